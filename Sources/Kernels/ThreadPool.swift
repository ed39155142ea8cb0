import CKernels

/// A fixed pool of worker threads with low-latency fork/join (spin then park), for many small parallel loops per token.
///
/// Idle workers poll an atomic generation counter for about a millisecond after each loop, then sleep on a
/// condition variable. One loop runs at a time: a `parallelFor` issued while another is running (nested inside
/// a body, or from a second thread) runs serially on its calling thread instead of deadlocking.
public final class ThreadPool: @unchecked Sendable {
    /// nil only if the pool could not be allocated; everything then runs on the caller.
    let raw: OpaquePointer?

    /// A pool with `threads` threads in all, the caller of `parallelFor` included (at least 1).
    public init(threads: Int) {
        raw = nook_pool_create(Int32(max(1, min(threads, 1024))))
    }

    deinit { nook_pool_destroy(raw) }

    /// Number of threads that run a loop, the caller included.
    public var threadCount: Int { Int(nook_pool_size(raw)) }

    /// Runs body(i) for i in 0..<count split over the threads (caller thread participates); returns when all are done.
    ///
    /// Indices are handed out in small chunks on demand, so uneven bodies balance. `body` runs concurrently on
    /// several threads: it must only write memory that no other index writes.
    public func parallelFor(_ count: Int, _ body: (Int) -> Void) {
        guard count > 0 else { return }
        let threads = threadCount
        guard threads > 1, count > 1 else {
            for i in 0..<count { body(i) }
            return
        }
        let grain = max(1, count / (threads * 8))
        withoutActuallyEscaping(body) { escaping in
            var closure = escaping
            withUnsafeMutablePointer(to: &closure) { ptr in
                nook_pool_run(raw, Int64(count), Int64(grain), { ctx, begin, end in
                    guard let ctx else { return }
                    let f = ctx.assumingMemoryBound(to: ((Int) -> Void).self).pointee
                    for i in Int(begin)..<Int(end) { f(i) }
                }, UnsafeMutableRawPointer(ptr))
            }
        }
    }
}
