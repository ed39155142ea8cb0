import Conversation
import Foundation
import Sessions

/// Runs async work from synchronous code (a command's `run()`) and waits for it.
public enum Blocking {
    /// Starts `work` in a detached task and blocks the calling thread until it finishes.
    /// Never call it from inside an async context.
    public static func wait<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            do { box.set(.success(try await work())) } catch { box.set(.failure(error)) }
            done.signal()
        }
        done.wait()
        return try box.get()
    }

    private final class ResultBox<T: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var result: Result<T, any Error>?

        func set(_ value: Result<T, any Error>) {
            lock.lock()
            result = value
            lock.unlock()
        }

        func get() throws -> T {
            lock.lock()
            defer { lock.unlock() }
            guard let result else { throw CancellationError() }
            return try result.get()
        }
    }
}

/// Prints a replay's transcript as it happens: notes in brackets, user lines quoted with `> `,
/// replies streamed as they are generated.
final class TranscriptPrinter: @unchecked Sendable {
    private let lock = NSLock()
    /// Whether reply text was printed since the last entry; guarded by `lock`.
    private var streamed = false

    func show(_ progress: ReplayProgress) {
        lock.lock()
        defer { lock.unlock() }
        var out = ""
        switch progress {
        case .replyText(let piece):
            out = piece
            streamed = true
        case .entry(let entry):
            switch entry.kind {
            case .note: out = "[\(entry.text)]\n"
            case .user:
                out = entry.text.split(separator: "\n", omittingEmptySubsequences: false).map { "> " + $0 + "\n" }.joined()
                out += entry.attachments.map { "> [attached \($0.kind.rawValue): \($0.path)]\n" }.joined()
                out += "\n"
            case .assistant:
                out = (streamed ? "" : entry.text) + "\n\n"
            case .partial:
                out = (streamed ? "" : entry.text) + "\n[reply interrupted: \(entry.stopReason?.rawValue ?? StopReason.cancelled.rawValue)]\n\n"
            case .failure:
                out = (streamed ? "\n" : "") + "[reply failed: \(entry.text)]\n\n"
            }
            streamed = false
        }
        FileHandle.standardOutput.write(Data(out.utf8))
    }
}
