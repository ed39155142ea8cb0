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

    /// A cache for `capacity` positions, refused before allocating when it would not fit in `availableBytes`
    /// (the machine's available memory, less what the model needs for its buffers).
    init(capacity: Int, layers: Int, rowSize: Int, availableBytes: Int = SystemMemory.availableBytes()) throws(ModelError) {
        let perToken = Self.bytesPerPosition(layers: layers, rowSize: rowSize)
        let need = Self.bytes(capacity: capacity, layers: layers, rowSize: rowSize)
        // Leave a tenth of what is free for everything else the process and the machine do.
        let budget = availableBytes / 10 * 9
        guard capacity > 0, let need, need <= budget else {
            throw .contextTooLarge(requested: capacity, bytesNeeded: need, bytesAvailable: availableBytes,
                                   largestFitting: max(0, budget / max(perToken, 1)))
        }
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

    /// Bytes one position takes over all layers, keys and values.
    public static func bytesPerPosition(layers: Int, rowSize: Int) -> Int {
        2 * layers * rowSize * MemoryLayout<Float>.size
    }

    /// Bytes a cache of `capacity` positions takes; nil when the count overflows.
    public static func bytes(capacity: Int, layers: Int, rowSize: Int) -> Int? {
        let (n, overflow) = capacity.multipliedReportingOverflow(by: bytesPerPosition(layers: layers, rowSize: rowSize))
        return overflow ? nil : n
    }
}
