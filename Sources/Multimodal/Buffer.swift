/// An owned, zero-filled block of `count` values, addressed through `p` (llama2.c-style run state).
final class Buffer<T: BinaryFloatingPoint>: @unchecked Sendable {
    let p: UnsafeMutablePointer<T>
    let count: Int

    init(_ count: Int) {
        self.count = max(count, 1)
        p = .allocate(capacity: self.count)
        p.initialize(repeating: 0, count: self.count)
    }

    /// A buffer holding a copy of `values`.
    convenience init(_ values: [T]) {
        self.init(values.count)
        values.withUnsafeBufferPointer { b in
            for i in 0..<b.count { p[i] = b[i] }
        }
    }

    deinit { p.deallocate() }

    var array: [T] { Array(UnsafeBufferPointer(start: p, count: count)) }
}
