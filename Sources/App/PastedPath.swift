import Foundation

/// Recognises a pasted or drag-and-dropped file path, as terminals send it.
///
/// Terminals paste a dropped file as its path, sometimes quoted (`'/a b.txt'`), with escaped
/// spaces (`/a\ b.txt`) or as a `file://` URL. Only a single line naming an existing regular file
/// counts.
public enum PastedPath {
    /// The absolute path of the existing file the pasted text names, or nil.
    public static func file(in pasted: String, workingDirectory: String, homeDirectory: String) -> String? {
        let text = pasted.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, !text.contains("\n"), text.count < 4096 else { return nil }
        var candidates: [String] = []
        if text.hasPrefix("file://") {
            if let url = URL(string: text), url.isFileURL { candidates.append(url.path) }
        } else {
            candidates.append(text)
            if let words = try? SlashCommand.splitArguments(text), words.count == 1 { candidates.append(words[0]) }
        }
        for candidate in candidates {
            var path = candidate
            if path == "~" || path.hasPrefix("~/") { path = homeDirectory + path.dropFirst() }
            guard path.hasPrefix("/") || path.hasPrefix("./") || path.hasPrefix("../") else { continue }
            if !path.hasPrefix("/") { path = workingDirectory + "/" + path }
            let standardized = URL(fileURLWithPath: path).standardizedFileURL.path
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: standardized, isDirectory: &isDirectory), !isDirectory.boolValue {
                return standardized
            }
        }
        return nil
    }
}
