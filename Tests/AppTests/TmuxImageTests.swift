import Foundation
import Testing
@testable import App

/// A picture through the real `nook chat` in tmux: the chip above the editor, the encoding progress in the status
/// bar, the thumbnail in the transcript and the reply.
@Suite(.serialized, .enabled(if: TmuxPane.tmux != nil, "tmux is not installed (.ci/run installs it)"),
       .enabled(if: NookBinary.url != nil, "needs the built nook executable"))
struct TmuxImageTests {
    @Test func aPictureInTheChat() throws {
        let home = try NookHome()
        let (decoder, mmproj, _) = try ImageSessionTests.files(home)
        let binary = try #require(NookBinary.url).path
        let pane = try TmuxPane(command: [binary, "chat", "--model", decoder, "--mmproj", mmproj, "--ctx", "2048",
                                          "-n", "4", "--seed", "1"],
                                environment: home.environment.merging(["TERM": "tmux-256color"]) { $1 },
                                directory: home.root)
        defer { pane.close() }
        try pane.waitFor("Message")
        try pane.send("/attach small.png")
        try pane.waitFor("small.png 300×200")
        try pane.send("What is in it?")
        let progress = try pane.waitFor("encoding small.png: tile", timeout: 60)
        #expect(progress.contains(" of 13"), "\(progress)")
        let screen = try pane.waitFor("the reply", timeout: 240) { TmuxEndToEndTests.replyHeaders(in: $0) == 1 }
        #expect(screen.contains("with small.png"))
        #expect(screen.contains("▀▀▀▀"), "a thumbnail under the message: \(screen)")
        #expect(!screen.contains("small.png 300×200"), "the chip went with the message")
    }
}
