/// The trie's edges below the root, by (node, key id), in one open-addressing table: a
/// lookup is a multiply and, usually, one slot, where a `Dictionary` would hash with SipHash.
///
/// Most lookups find nothing (the word after a first name is seldom a surname that follows it),
/// so a bit filter of 16 bits per edge, small enough to stay in cache, answers those without
/// touching the table.
struct EdgeTable: Sendable {
    /// An edge and the node it leads to, side by side: a lookup that finds it reads one line.
    struct Slot: Sendable {
        /// node << 32 | key (0 when empty: nodes below the root are never 0).
        var edge: UInt64
        var child: Int32
    }

    private var slots: [Slot] = [Slot(edge: 0, child: -1), Slot(edge: 0, child: -1)]
    private var shift: UInt64 = 63
    private var filter: [UInt64] = [0]

    init() {}

    init(_ edges: [UInt64: Int32]) {
        let capacity = max(2, (edges.count * 2).nextPowerOfTwo)
        slots = Array(repeating: Slot(edge: 0, child: -1), count: capacity)
        shift = UInt64(64 - capacity.trailingZeroBitCount)
        filter = Array(repeating: 0, count: max(1, (edges.count * 16 / 64).nextPowerOfTwo))
        for (edge, child) in edges {
            var slot = home(edge)
            while slots[slot].edge != 0 { slot = (slot + 1) & (capacity - 1) }
            slots[slot] = Slot(edge: edge, child: child)
            let (word, bit) = filterBit(edge)
            filter[word] |= bit
        }
    }

    @inline(__always)
    private func home(_ edge: UInt64) -> Int {
        Int(truncatingIfNeeded: (edge &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// From other bits of another multiply than `home`'s, so the two do not agree.
    @inline(__always)
    private func filterBit(_ edge: UInt64) -> (word: Int, bit: UInt64) {
        let bit = Int(truncatingIfNeeded: (edge &* 0xC2B2_AE3D_27D4_EB4F) >> 20) & (filter.count * 64 - 1)
        return (bit >> 6, 1 &<< UInt64(bit & 63))
    }

    @inline(__always)
    func child(of node: Int, key: Int32) -> Int? {
        let wanted = UInt64(node) << 32 | UInt64(UInt32(bitPattern: key))
        let (word, bit) = filterBit(wanted)
        if filter[word] & bit == 0 { return nil }
        return slots.withUnsafeBufferPointer { slots in
            let mask = slots.count - 1
            var slot = home(wanted)
            while true {
                let stored = slots[slot]
                if stored.edge == wanted { return Int(stored.child) }
                if stored.edge == 0 { return nil }
                slot = (slot + 1) & mask
            }
        }
    }
}
