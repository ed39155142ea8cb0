import Conversation
import Foundation
import TerminalUI

/// The header detail of a user message that has attachments: their file names, shortened when long.
public enum AttachmentHeader {
    /// How many columns the listed names may take before the rest are counted as "+N more".
    public static let maximumWidth = 40

    /// "with list.txt, notes.md, a.txt", or "with a.txt, b.txt +3 more" when the names are long; empty without attachments.
    public static func detail(for attachments: [Attachment], maximumWidth: Int = maximumWidth) -> String {
        let names = attachments.map { URL(fileURLWithPath: $0.path).lastPathComponent }
        guard let first = names.first else { return "" }
        let all = names.joined(separator: ", ")
        if DisplayWidth.of(all) <= maximumWidth { return "with " + all }
        var shown = [first]
        var width = DisplayWidth.of(first)
        for (index, name) in names.enumerated().dropFirst() {
            let left = names.count - index - 1
            // Room is kept for the "+N more" that would follow when later names do not fit.
            let reserve = left > 0 ? DisplayWidth.of(" +\(left) more") : 0
            let next = width + 2 + DisplayWidth.of(name)
            guard next + reserve <= maximumWidth else { break }
            shown.append(name)
            width = next
        }
        let hidden = names.count - shown.count
        return "with " + shown.joined(separator: ", ") + (hidden > 0 ? " +\(hidden) more" : "")
    }
}
