import Foundation
@testable import Personalization

/// A clock that stands still until a test moves it.
final class FixedClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) { current = start }

    var now: Date {
        lock.lock()
        defer { lock.unlock() }
        return current
    }

    func advance(days: Double) {
        lock.lock()
        current += days * 86_400
        lock.unlock()
    }
}

/// A fresh temporary folder, removed when the value is deinitialised.
final class TempFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("nook-profile-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    var database: URL { url.appendingPathComponent("nook/profile.sqlite") }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// Opens a store in `folder` on `clock`.
func openStore(_ folder: TempFolder, _ clock: FixedClock) throws -> ProfileStore {
    try ProfileStore(url: folder.database, clock: { clock.now })
}

/// The fixture file `name` of this test target.
func fixture(_ name: String) throws -> String {
    guard let url = Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil) else {
        throw ProfileError("missing fixture \(name)")
    }
    return try String(contentsOf: url, encoding: .utf8)
}
