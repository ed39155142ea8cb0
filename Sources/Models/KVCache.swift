import Kernels

/// How the KV cache stores keys and values.
public enum KVCacheType: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Half precision, as llama.cpp stores them by default: half the memory, and its numerics.
    case f16
    /// Single precision.
    case f32
    /// Q8_0 blocks (32 int8 and an f16 scale: 34 bytes for 32 values), as llama.cpp's `-ctk q8_0 -ctv q8_0`.
    case q8_0

    /// Bytes of `count` stored values (a whole number of blocks for q8_0).
    public func bytes(_ count: Int) -> Int {
        switch self {
        case .f16: return 2 * count
        case .f32: return 4 * count
        case .q8_0: return count / 32 * 34
        }
    }

    public var description: String { rawValue }
}

/// Keys and values of every layer for the positions evaluated so far.
///
/// Layout per layer: keys and values are each [capacity, kvHeads · headDim] elements of `type`, position-major.
public final class KVCache: @unchecked Sendable {
    public let capacity: Int
    public let layers: Int
    /// Elements per position in one layer (kvHeads · headDim).
    public let rowSize: Int
    public let type: KVCacheType
    /// Number of positions filled.
    public internal(set) var count = 0
    let keys: UnsafeMutableRawPointer
    let values: UnsafeMutableRawPointer

    /// A cache for `capacity` positions, refused before allocating when it would not fit in `availableBytes`
    /// (the machine's available memory, less what the model needs for its buffers).
    init(capacity: Int, layers: Int, rowSize: Int, type: KVCacheType = .f16,
         availableBytes: Int = SystemMemory.availableBytes()) throws(ModelError) {
        let perToken = Self.bytesPerPosition(layers: layers, rowSize: rowSize, type: type)
        let need = Self.bytes(capacity: capacity, layers: layers, rowSize: rowSize, type: type)
        // Leave a tenth of what is free for everything else the process and the machine do.
        let budget = availableBytes / 10 * 9
        guard capacity > 0, let need, need <= budget else {
            throw .contextTooLarge(requested: capacity, bytesNeeded: need, bytesAvailable: availableBytes,
                                   largestFitting: max(0, budget / max(perToken, 1)))
        }
        self.capacity = capacity
        self.layers = layers
        self.rowSize = rowSize
        self.type = type
        let half = need / 2
        keys = .allocate(byteCount: half, alignment: 64)
        values = .allocate(byteCount: half, alignment: 64)
        keys.initializeMemory(as: UInt8.self, repeating: 0, count: half)
        values.initializeMemory(as: UInt8.self, repeating: 0, count: half)
    }

    deinit {
        keys.deallocate()
        values.deallocate()
    }

    /// Forgets every position after the first `n` (for regenerating or editing a turn).
    public func truncate(to n: Int) { count = max(0, min(n, count)) }

    /// Stores `rows` positions of keys and values (f32, [rows, rowSize] each) at `position` of layer `l`,
    /// rounded to the cache's type.
    func write(layer l: Int, position: Int, keys k: UnsafePointer<Float>, values v: UnsafePointer<Float>, rows: Int) {
        let offset = (l * capacity + position) * rowSize
        let n = rows * rowSize
        switch type {
        case .q8_0:
            let bytes = type.bytes(offset)
            Attention.storeQ8_0(k, into: keys + bytes, count: n)
            Attention.storeQ8_0(v, into: values + bytes, count: n)
        case .f32:
            (keys.assumingMemoryBound(to: Float.self) + offset).update(from: k, count: n)
            (values.assumingMemoryBound(to: Float.self) + offset).update(from: v, count: n)
        case .f16:
            Half.roundRow(k, into: keys.assumingMemoryBound(to: UInt16.self) + offset, count: n)
            Half.roundRow(v, into: values.assumingMemoryBound(to: UInt16.self) + offset, count: n)
        }
    }

    /// Start of layer `l`'s key rows, in the cache's type.
    func keys(layer l: Int) -> UnsafeMutableRawPointer { keys + type.bytes(l * capacity * rowSize) }
    func values(layer l: Int) -> UnsafeMutableRawPointer { values + type.bytes(l * capacity * rowSize) }

    /// Bytes held by the cache.
    public var byteCount: Int { 2 * type.bytes(capacity * layers * rowSize) }

    /// Bytes one position takes over all layers, keys and values.
    public static func bytesPerPosition(layers: Int, rowSize: Int, type: KVCacheType = .f16) -> Int {
        2 * layers * type.bytes(rowSize)
    }

    /// Bytes a cache of `capacity` positions takes; nil when the count overflows.
    public static func bytes(capacity: Int, layers: Int, rowSize: Int, type: KVCacheType = .f16) -> Int? {
        let (n, overflow) = capacity.multipliedReportingOverflow(by: bytesPerPosition(layers: layers, rowSize: rowSize, type: type))
        return overflow ? nil : n
    }
}
