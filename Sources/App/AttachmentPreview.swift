import Conversation
import Foundation
import Media
import TerminalUI

/// What the chat shows of attachments: chips above the editor, thumbnails of pictures in the transcript.
enum AttachmentPreview {
    /// A chip: the file name, with the size of a picture ("cat.png 640×480").
    static func chip(_ attachment: Attachment) -> String {
        let name = URL(fileURLWithPath: attachment.path).lastPathComponent
        guard attachment.kind == .image, let image = try? ImageDecoder().decode(fileAt: attachment.path).image else { return name }
        return "\(name) \(image.width)×\(image.height)"
    }

    /// Half-block thumbnails of the pictures among `attachments` (those that still decode).
    static func thumbnails(_ attachments: [Attachment]) -> [Thumbnail] {
        attachments.filter { $0.kind == .image }.compactMap { a in
            guard let image = try? ImageDecoder().decode(fileAt: a.path).image.droppingAlpha() else { return nil }
            return Thumbnail(rgb: image.pixels, width: image.width, height: image.height)
        }
    }
}
