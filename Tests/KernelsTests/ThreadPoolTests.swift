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

    @Test(arguments: [2, 3, 8])
    func resultsEqualTheSerialLoop(threads: Int) {
        // Whichever thread runs a chunk, and however the chunks are claimed, the result is the serial loop's.
        let pool = ThreadPool(threads: threads)
        for count in [3, 64, 4097] {
            let out = UnsafeMutablePointer<UInt64>.allocate(capacity: count)
            out.initialize(repeating: 0, count: count)
            defer { out.deallocate() }
            for round in 0..<20 {
                pool.parallelFor(count) { i in out[i] = out[i] &* 31 &+ UInt64(i * (round + 1)) }
            }
            var serial = [UInt64](repeating: 0, count: count)
            for round in 0..<20 { for i in 0..<count { serial[i] = serial[i] &* 31 &+ UInt64(i * (round + 1)) } }
            #expect((0..<count).allSatisfy { out[$0] == serial[$0] }, "threads \(threads) count \(count)")
        }
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

    @Test func everyIndexRunsOnceAfterTheWorkersIdle() {
        // Idle gaps let the workers go from spinning to parked (how long that takes does not matter: the
        // assertion is only that every index of every loop ran exactly once).
        let pool = ThreadPool(threads: 3)
        let hits = UnsafeMutablePointer<Int32>.allocate(capacity: 100)
        defer { hits.deallocate() }
        for round in 0..<3 {
            hits.initialize(repeating: 0, count: 100)
            usleep(5_000)
            pool.parallelFor(100) { i in hits[i] += 1 }
            #expect((0..<100).allSatisfy { hits[$0] == 1 }, "round \(round)")
        }
    }
}
