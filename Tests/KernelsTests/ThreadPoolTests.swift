import Foundation
import Synchronization
import Testing
@testable import Kernels

@Suite struct ThreadPoolTests {
    @Test(arguments: [1, 2, 3, 4, 8])
    func everyIndexRunsExactlyOnce(threads: Int) {
        let pool = ThreadPool(threads: threads)
        #expect(pool.threadCount == threads)
        for count in [0, 1, 2, 7, 64, 1000, 100_003] {
            let hits = UnsafeMutablePointer<Int32>.allocate(capacity: max(1, count))
            hits.initialize(repeating: 0, count: max(1, count))
            defer { hits.deallocate() }
            pool.parallelFor(count) { i in hits[i] += 1 }   // each index is written by one thread only
            #expect((0..<count).allSatisfy { hits[$0] == 1 }, "threads \(threads) count \(count)")
        }
    }

    @Test func manyShortLoopsInARow() {
        let pool = ThreadPool(threads: 4)
        let total = Atomic<Int>(0)
        for round in 0..<20_000 {
            let n = round % 9 + 1
            pool.parallelFor(n) { i in total.add(i + 1, ordering: .relaxed) }
        }
        let expected = (0..<20_000).reduce(0) { s, r in let n = r % 9 + 1; return s + n * (n + 1) / 2 }
        #expect(total.load(ordering: .relaxed) == expected)
    }

    @Test func workIsSharedByTheThreads() {
        let pool = ThreadPool(threads: 2)
        let ids = Mutex<Set<UInt>>([])
        for _ in 0..<50 {
            pool.parallelFor(64) { _ in
                ids.withLock { _ = $0.insert(UInt(pthread_self())) }
                usleep(100)
            }
        }
        #expect(ids.withLock { $0.count } == 2)
    }

    @Test func nestedLoopsRunSeriallyInsteadOfDeadlocking() {
        let pool = ThreadPool(threads: 3)
        let total = Atomic<Int>(0)
        pool.parallelFor(6) { _ in
            pool.parallelFor(10) { j in total.add(j, ordering: .relaxed) }
        }
        #expect(total.load(ordering: .relaxed) == 6 * 45)
    }

    @Test func concurrentCallersAllComplete() {
        let pool = ThreadPool(threads: 2)
        let total = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            for _ in 0..<200 { pool.parallelFor(16) { _ in total.add(1, ordering: .relaxed) } }
        }
        #expect(total.load(ordering: .relaxed) == 4 * 200 * 16)
    }

    @Test func workersWakeAfterSleeping() {
        let pool = ThreadPool(threads: 3)
        let total = Atomic<Int>(0)
        for _ in 0..<3 {
            usleep(5_000)   // longer than the spin window: the workers go to sleep
            pool.parallelFor(100) { i in total.add(i, ordering: .relaxed) }
        }
        #expect(total.load(ordering: .relaxed) == 3 * 4950)
    }
}
