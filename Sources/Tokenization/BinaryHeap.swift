/// An element of a ``BinaryHeap``: `outranks` says which of two comes out first.
protocol HeapElement {
    static func outranks(_ a: Self, _ b: Self) -> Bool
}

/// A binary heap whose top is the element that outranks all others.
struct BinaryHeap<Element: HeapElement> {
    /// Heap-ordered storage (shape: [count]).
    private var items: [Element] = []

    var isEmpty: Bool { items.isEmpty }

    mutating func removeAll() { items.removeAll(keepingCapacity: true) }

    mutating func push(_ e: Element) {
        items.append(e)
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard Element.outranks(items[i], items[parent]) else { break }
            items.swapAt(i, parent)
            i = parent
        }
    }

    mutating func pop() -> Element? {
        guard let top = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var i = 0
            let n = items.count
            while true {
                let l = 2 * i + 1, r = l + 1
                var best = i
                if l < n && Element.outranks(items[l], items[best]) { best = l }
                if r < n && Element.outranks(items[r], items[best]) { best = r }
                if best == i { break }
                items.swapAt(i, best)
                i = best
            }
        }
        return top
    }
}

/// One symbol of a word being merged: a byte range and its neighbours in the chain.
struct MergeSymbol {
    /// First byte of the symbol within the word.
    var start: Int32
    /// Length in bytes; 0 once merged into its left neighbour.
    var length: Int32
    /// Index of the previous and next live symbols, or -1.
    var prev: Int32
    var next: Int32
    /// Interned piece id of the symbol's text (BPE), or -1 when it has none.
    var piece: Int32
}
