import Testing
@testable import TerminalUI

/// Pictures in the transcript as half-block thumbnails, and attachment chips above the editor, at every colour depth.
@Suite struct ThumbnailTests {
    /// A 16×12 test card: a red-green gradient across, blue rising downwards, a white square in the middle.
    static func card() -> (pixels: [UInt8], width: Int, height: Int) {
        let w = 16, h = 12
        var p: [UInt8] = []
        for y in 0..<h {
            for x in 0..<w {
                let inSquare = (6..<10).contains(x) && (4..<8).contains(y)
                p += inSquare ? [255, 255, 255] : [UInt8(x * 255 / (w - 1)), UInt8(255 - x * 255 / (w - 1)), UInt8(y * 255 / (h - 1))]
            }
        }
        return (p, w, h)
    }

    static func chat() throws -> ChatView {
        let c = card()
        let thumb = try #require(Thumbnail(rgb: c.pixels, width: c.width, height: c.height, maxColumns: 16, maxRows: 6))
        var chat = ChatView(status: StatusInfo(model: "smolvlm.gguf", contextUsed: 900, contextLimit: 4096))
        chat.transcript.append(TranscriptMessage(role: .user, label: "you", text: "What is in this picture?",
                                                 detail: "with card.png", thumbnails: [thumb]))
        chat.transcript.append(TranscriptMessage(role: .assistant, label: "Assistant", text: "A gradient with a white square."))
        chat.chips = ["card.png 16×12", "notes.txt"]
        return chat
    }

    @Test func theCardShrinksToFitAndKeepsItsShape() throws {
        let c = Self.card()
        let small = try #require(Thumbnail(rgb: c.pixels, width: c.width, height: c.height, maxColumns: 8, maxRows: 8))
        #expect(small.columns == 8 && small.rows == 3)
        let same = try #require(Thumbnail(rgb: c.pixels, width: c.width, height: c.height, maxColumns: 40, maxRows: 40))
        #expect(same.columns == 16 && same.rows == 6)
        #expect(Thumbnail(rgb: [1, 2], width: 1, height: 1) == nil)
    }

    @Test(arguments: [ColorCapability.truecolor, .ansi256, .ansi8, .none])
    func thumbnailAndChipsAtEveryColourDepth(_ capability: ColorCapability) throws {
        var chat = try Self.chat()
        let screen = Fixtures.render(&chat, columns: 40, rows: 16, capability: capability)
        Golden.check(screen.snapshot(), named: "thumbnail-\(capability.rawValue)")
        let regions = chat.regions(for: screen.size)
        #expect(regions.chipRow == 14 && regions.statusRow == 13)
        #expect(screen.line(14).hasPrefix(" card.png 16×12   notes.txt"))
    }
}
