import Foundation

/// Picks and checks the name of the local user whose profile is read and written.
public enum ProfileUser {
    /// The `--user` flag, else the configured user, else the OS user (`USER`, `LOGNAME`), else "default".
    public static func resolve(flag: String?, configured: String?, environment: [String: String]) throws -> String {
        let candidates = [flag, configured, environment["USER"], environment["LOGNAME"]]
        guard let name = candidates.compactMap({ $0?.trimmingCharacters(in: .whitespaces) }).first(where: { !$0.isEmpty }) else {
            return "default"
        }
        try validate(name)
        return name
    }

    /// Throws unless `name` is 1–64 characters with no control characters or slashes.
    public static func validate(_ name: String) throws {
        guard !name.isEmpty, name.count <= 64 else {
            throw ProfileError("user name \"\(name)\" must be 1 to 64 characters")
        }
        if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0 == "/" }) {
            throw ProfileError("user name \"\(name)\" must not contain control characters or slashes")
        }
    }
}
