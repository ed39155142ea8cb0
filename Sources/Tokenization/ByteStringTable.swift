/// An open-addressing hash map from byte strings to `Int32` values, looked up from raw byte
/// slices without building a `String`.
///
/// Keys are stored back to back in one buffer; `insert` either keeps or replaces the value of a
/// key already present, so callers choose "first wins" or "last wins" as llama.cpp does.
struct ByteStringTable: Sendable {
    /// All keys concatenated (shape: [total key bytes]).
    private var storage: [UInt8] = []
    /// Key `k` is `storage[keyStart[k] ..< keyStart[k] + keyLength[k]]` (shape: [keys] each).
    private var keyStart: [Int32] = []
    private var keyLength: [Int32] = []
    /// Value of key `k` (shape: [keys]).
    private var values: [Int32] = []
    /// Hash of key `k`, kept to rehash without rereading keys (shape: [keys]).
    private var hashes: [UInt64] = []
    /// Open-addressing slots: key index, or -1 when empty (shape: [capacity], a power of two).
    private var slots: [Int32]

    init(capacity: Int = 16) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Int32](repeating: -1, count: size)
    }

    /// Number of keys.
    var count: Int { values.count }

    /// FNV-1a over the bytes.
    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return h ^ (h >> 29)
    }

    /// The value stored for a key, or nil.
    func lookup(_ key: UnsafeBufferPointer<UInt8>) -> Int32? {
        let k = findKey(key, hash: Self.hash(key))
        return k >= 0 ? values[k] : nil
    }

    /// The value stored for a key given as an array, or nil.
    func lookup(_ key: [UInt8]) -> Int32? {
        key.withUnsafeBufferPointer { lookup($0) }
    }

    /// Stores `value` for `key`. When the key exists, `replace` decides whether the new value wins.
    /// - Returns: the value now stored for the key.
    @discardableResult
    mutating func insert(_ key: UnsafeBufferPointer<UInt8>, value: Int32, replace: Bool) -> Int32 {
        let h = Self.hash(key)
        let existing = findKey(key, hash: h)
        if existing >= 0 {
            if replace { values[existing] = value }
            return values[existing]
        }
        if (values.count + 1) * 2 > slots.count { grow() }
        let k = Int32(values.count)
        keyStart.append(Int32(storage.count))
        keyLength.append(Int32(key.count))
        storage.append(contentsOf: key)
        values.append(value)
        hashes.append(h)
        place(k, hash: h)
        return value
    }

    @discardableResult
    mutating func insert(_ key: [UInt8], value: Int32, replace: Bool) -> Int32 {
        key.withUnsafeBufferPointer { insert($0, value: value, replace: replace) }
    }

    private func findKey(_ key: UnsafeBufferPointer<UInt8>, hash h: UInt64) -> Int {
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        return storage.withUnsafeBufferPointer { store in
            while true {
                let k = Int(slots[i])
                if k < 0 { return -1 }
                if hashes[k] == h && Int(keyLength[k]) == key.count {
                    let start = Int(keyStart[k])
                    var equal = true
                    var j = 0
                    while j < key.count {
                        if store[start + j] != key[j] { equal = false; break }
                        j += 1
                    }
                    if equal { return k }
                }
                i = (i + 1) & mask
            }
        }
    }

    private mutating func place(_ k: Int32, hash h: UInt64) {
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while slots[i] >= 0 { i = (i + 1) & mask }
        slots[i] = k
    }

    private mutating func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        for k in 0..<values.count { place(Int32(k), hash: hashes[k]) }
    }
}

/// An open-addressing hash map from pairs of piece ids to a merge: its rank and the piece id
/// of the merged result.
struct MergeTable: Sendable {
    /// Slot keys `left << 32 | right`, or `UInt64.max` when empty (shape: [capacity]).
    private var keys: [UInt64]
    /// Slot values: rank in the high half, result piece id in the low half (shape: [capacity]).
    private var entries: [UInt64]
    private var used = 0

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = [UInt64](repeating: .max, count: size)
        entries = [UInt64](repeating: 0, count: size)
    }

    @inline(__always)
    private static func slot(_ key: UInt64, mask: Int) -> Int {
        var x = key &* 0x9E37_79B9_7F4A_7C15
        x ^= x >> 32
        return Int(truncatingIfNeeded: x) & mask
    }

    /// Adds a merge unless the pair already has one (the first merge listed wins, as in llama.cpp).
    mutating func insertIfAbsent(left: Int32, right: Int32, rank: Int32, result: Int32) {
        if (used + 1) * 2 > keys.count { grow() }
        let key = UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
        let mask = keys.count - 1
        var i = Self.slot(key, mask: mask)
        while keys[i] != .max {
            if keys[i] == key { return }
            i = (i + 1) & mask
        }
        keys[i] = key
        entries[i] = UInt64(UInt32(bitPattern: rank)) << 32 | UInt64(UInt32(bitPattern: result))
        used += 1
    }

    /// The merge of two pieces: its rank and the merged piece id.
    @inline(__always)
    func find(left: Int32, right: Int32) -> (rank: Int32, result: Int32)? {
        let key = UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
        let mask = keys.count - 1
        var i = Self.slot(key, mask: mask)
        while true {
            let k = keys[i]
            if k == key {
                let e = entries[i]
                return (Int32(bitPattern: UInt32(e >> 32)), Int32(bitPattern: UInt32(e & 0xFFFF_FFFF)))
            }
            if k == .max { return nil }
            i = (i + 1) & mask
        }
    }

    private mutating func grow() {
        let oldKeys = keys, oldEntries = entries
        keys = [UInt64](repeating: .max, count: oldKeys.count * 2)
        entries = [UInt64](repeating: 0, count: oldKeys.count * 2)
        let mask = keys.count - 1
        for (j, key) in oldKeys.enumerated() where key != .max {
            var i = Self.slot(key, mask: mask)
            while keys[i] != .max { i = (i + 1) & mask }
            keys[i] = key
            entries[i] = oldEntries[j]
        }
    }
}
