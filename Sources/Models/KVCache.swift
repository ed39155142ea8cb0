/// Keys and values of every layer for the positions evaluated so far.
///
/// Layout per layer: keys and values are each [capacity, kvHeads · headDim] f32, position-major.
public final class KVCache: @unchecked Sendable {
    public let capacity: Int
    public let layers: Int
    /// Floats per position in one layer (kvHeads · headDim).
    public let rowSize: Int
    /// Number of positions filled.
    public internal(set) var count = 0
    let keys: UnsafeMutablePointer<Float>
    let values: UnsafeMutablePointer<Float>

    init(capacity: Int, layers: Int, rowSize: Int) {
        self.capacity = capacity
        self.layers = layers
        self.rowSize = rowSize
        let n = capacity * layers * rowSize
        keys = .allocate(capacity: n)
        values = .allocate(capacity: n)
        keys.initialize(repeating: 0, count: n)
        values.initialize(repeating: 0, count: n)
    }

    deinit {
        keys.deallocate()
        values.deallocate()
    }

    /// Forgets every position after the first `n` (for regenerating or editing a turn).
    public func truncate(to n: Int) { count = max(0, min(n, count)) }

    /// Start of layer `l`'s key rows.
    func keys(layer l: Int) -> UnsafeMutablePointer<Float> { keys + l * capacity * rowSize }
    func values(layer l: Int) -> UnsafeMutablePointer<Float> { values + l * capacity * rowSize }

    /// Bytes held by the cache.
    public var byteCount: Int { 2 * capacity * layers * rowSize * MemoryLayout<Float>.size }
}
