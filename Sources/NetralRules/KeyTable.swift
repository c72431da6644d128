import Foundation

/// What the trie does with a key as a term's first word. `KeyTable` keeps it beside the key, so
/// the lookup of a text word also gives its first step, and most one-word matches touch no
/// trie node. Four bytes (the upper half of a key-table slot's metadata):
///
/// - `none` (-1): no term starts with the key;
/// - `entry(e)` (-2 - e): the key alone is a one-word term, entry `e` of any case, and no
///   longer term starts with it (its node is a leaf accepting that entry only);
/// - `node(n, acceptsEntries:)` (n, or n | `longerTermsOnlyBit`): the trie node the key leads
///   to; the bit is set when that node accepts no entry (only longer terms, such as a first
///   name's, start with the key), so the walk goes on without reading the node.
struct FirstStep: Equatable, Sendable {
    private let rawValue: Int32

    /// Nodes are numbered below this.
    static let maximumNodeCount = 1 << 30
    private static let longerTermsOnlyBit: Int32 = 1 << 30

    @inline(__always)
    private init(rawValue: Int32) { self.rawValue = rawValue }

    /// From the upper 32 bits of a key-table slot's metadata.
    @inline(__always)
    init(stored meta: UInt64) { rawValue = Int32(truncatingIfNeeded: meta >> 32) }

    /// The step in the upper 32 bits of a slot's metadata, the lower ones zero.
    @inline(__always)
    var storedBits: UInt64 { UInt64(UInt32(bitPattern: rawValue)) << 32 }

    static let none = FirstStep(rawValue: -1)

    static func entry(_ entry: Int32) -> FirstStep {
        precondition(entry >= 0, "an entry index is never negative")
        return FirstStep(rawValue: -2 - entry)
    }

    static func node(_ node: Int, acceptsEntries: Bool) -> FirstStep {
        precondition(node >= 0 && node < maximumNodeCount, "a node beyond the trie's numbering")
        return FirstStep(rawValue: acceptsEntries ? Int32(node) : Int32(node) | longerTermsOnlyBit)
    }

    /// Whether some term starts with the key.
    @inline(__always)
    var startsATerm: Bool { rawValue != -1 }

    /// Whether the key alone is the one-word term `entry`.
    @inline(__always)
    var isEntry: Bool { rawValue <= -2 }

    /// The entry, when `isEntry`.
    @inline(__always)
    var entry: Int { Int(-2 - rawValue) }

    /// Whether the key leads to `node`.
    @inline(__always)
    var isNode: Bool { rawValue >= 0 }

    /// The node, when `isNode`.
    @inline(__always)
    var node: Int { Int(rawValue & ~Self.longerTermsOnlyBit) }

    /// Whether `node` may accept entries (else only longer terms start with the key), when `isNode`.
    @inline(__always)
    var nodeAcceptsEntries: Bool { rawValue & Self.longerTermsOnlyBit == 0 }
}

/// Byte strings interned to dense ids, looked up straight from a text's bytes with the hash
/// the tokenizer computed (open addressing, linear probing). Only the keys of compiled terms
/// are in it.
///
/// A slot holds a key's first eight bytes beside its id, length and `FirstStep` (where a term
/// starting with the key goes), so a word of up to eight bytes (most words) is found, and its
/// first step in the trie known, from the one slot; a longer one reads the stored key only
/// past its eighth byte.
struct KeyTable: Sendable {
    private var storage: [UInt8] = []
    private var starts: [Int] = [0]

    struct Slot: Sendable {
        /// The key's first eight bytes, little-endian, zero-padded.
        var prefix: UInt64
        /// Bits 32...63: the key's `FirstStep`; 24...31: its length (255 for 255 bytes or
        /// more, 0 for an empty slot); 0...23: its id.
        var meta: UInt64
    }

    /// A key found: its id, and its first step in the trie (see `setFirstSteps`).
    struct Found {
        var id: Int32
        var firstStep: FirstStep
    }

    /// Keys have ids below this (24 bits in a slot).
    static let maximumCount = 1 << 24

    /// A power of two in count, at most half full.
    private var slots: [Slot] = Array(repeating: Slot(prefix: 0, meta: 0), count: 64)
    /// One bit per (hash bits 24...) value, set for every key: most words of a text are no
    /// term's key, and this small table refuses them without touching the slots.
    private var filter: [UInt64] = Array(repeating: 0, count: 1 << 10)

    var count: Int { starts.count - 1 }

    @inline(__always)
    private static func filterBit(_ finished: Int, words: Int) -> (word: Int, mask: UInt64) {
        let bit = (finished >> 24) & (words * 64 - 1)
        return (bit >> 6, 1 &<< UInt64(bit & 63))
    }

    /// The first eight bytes of `key`, little-endian, zero-padded.
    @inline(__always)
    private static func prefix(of key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var prefix: UInt64 = 0
        for index in 0..<min(key.count, 8) { prefix |= UInt64(key[index]) &<< UInt64(index * 8) }
        return prefix
    }

    @inline(__always)
    private static func lengthBits(_ length: Int) -> UInt64 { UInt64(min(length, 255)) << 24 }

    func id(of key: UnsafeBufferPointer<UInt8>) -> Int32? {
        find(key, hash: KeyHash.of(key))?.id
    }

    /// `key`, whose unfinished `KeyHash` is `hash`.
    func find(_ key: UnsafeBufferPointer<UInt8>, hash: Int) -> Found? {
        probe(hash: hash, length: key.count, prefix: { Self.prefix(of: key) }) { rest in
            memcmp(rest.baseAddress!, key.baseAddress! + 8, rest.count) == 0
        }
    }

    /// The ASCII letters and digits `word` read lowercased, whose lowercase `KeyHash` is
    /// `hash`. `text` is the buffer `word` lies in: when eight bytes can be read from the
    /// word's start, its prefix is one load.
    func find(plainWord word: UnsafeBufferPointer<UInt8>, in text: UnsafeBufferPointer<UInt8>, hash: Int) -> Found? {
        probe(hash: hash, length: word.count, prefix: { Self.lowercasePrefix(of: word, in: text) }) { rest in
            for offset in 0..<rest.count where rest[offset] != word[offset + 8] | 0x20 { return false }
            return true
        }
    }

    /// The first eight bytes of the ASCII letters and digits `word`, lowercased: one load
    /// when eight bytes can be read from the word's start in `text`.
    @inline(__always)
    private static func lowercasePrefix(of word: UnsafeBufferPointer<UInt8>, in text: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let start = word.baseAddress!
        var prefix: UInt64
        if start + 8 <= text.baseAddress! + text.count {
            prefix = UInt64(littleEndian: UnsafeRawPointer(start).loadUnaligned(as: UInt64.self))
            if word.count < 8 { prefix &= (1 &<< UInt64(word.count * 8)) - 1 }
        } else {
            prefix = Self.prefix(of: word)
        }
        // Letters and digits: setting bit 5 lowercases a letter and leaves a digit as it is.
        return prefix | (0x2020_2020_2020_2020 & (word.count >= 8 ? ~0 : (1 &<< UInt64(word.count * 8)) - 1))
    }

    /// The one lookup: the filter, then the slots from the hash's home on. A slot whose
    /// length and prefix agree is the key when `restEquals` accepts the stored bytes after the
    /// eighth (empty for short keys).
    @inline(__always)
    private func probe(hash: Int, length: Int, prefix: () -> UInt64, restEquals: (UnsafeBufferPointer<UInt8>) -> Bool) -> Found? {
        let finished = KeyHash.finish(hash)
        let (filterWord, filterMask) = Self.filterBit(finished, words: filter.count)
        if filter[filterWord] & filterMask == 0 { return nil }
        let wantedLength = Self.lengthBits(length)
        let wantedPrefix = prefix()
        return slots.withUnsafeBufferPointer { slots in
            let mask = slots.count - 1
            var slot = finished & mask
            while true {
                let stored = slots[slot]
                let storedLength = stored.meta & 0xFF00_0000
                if storedLength == 0 { return nil }
                if storedLength == wantedLength && stored.prefix == wantedPrefix {
                    let found = Found(id: Int32(stored.meta & 0xFF_FFFF), firstStep: FirstStep(stored: stored.meta))
                    if length <= 8 { return found }
                    let start = starts[Int(found.id)]
                    if starts[Int(found.id) + 1] - start == length,
                       storage.withUnsafeBufferPointer({ restEquals(UnsafeBufferPointer(rebasing: $0[(start + 8)..<(start + length)])) }) {
                        return found
                    }
                }
                slot = (slot + 1) & mask
            }
        }
    }

    mutating func intern(_ key: [UInt8]) -> Int32 {
        precondition(!key.isEmpty, "an empty key")
        if let existing = key.withUnsafeBufferPointer({ id(of: $0) }) { return existing }
        precondition(count + 1 < Self.maximumCount, "more than \(Self.maximumCount) term words")
        storage.append(contentsOf: key)
        starts.append(storage.count)
        if count * 2 > slots.count || count * 16 > filter.count * 64 {
            // Grow the slots (at most half full) and the filter (16 bits per key) together.
            let stepsByID = firstStepsByID()
            slots = Array(repeating: Slot(prefix: 0, meta: 0), count: max(slots.count, count.nextPowerOfTwo * 2))
            filter = Array(repeating: 0, count: max(filter.count, (count * 16 / 64).nextPowerOfTwo))
            for id in 0..<count { place(Int32(id), firstStep: id < stepsByID.count ? stepsByID[id] : .none) }
        } else {
            place(Int32(count - 1), firstStep: .none)
        }
        return Int32(count - 1)
    }

    /// Each key's first step, by id.
    private func firstStepsByID() -> [FirstStep] {
        var result = [FirstStep](repeating: .none, count: count)
        for slot in slots where slot.meta & 0xFF00_0000 != 0 {
            let id = Int(slot.meta & 0xFF_FFFF)
            if id < result.count { result[id] = FirstStep(stored: slot.meta) }
        }
        return result
    }

    /// Sets each key's first step, which lookups return with its id: what the trie does with a
    /// term's first word (see `TermMatcherBuilder.finish()`). Also sizes the table for
    /// matching: the slots at most three quarters full and the filter at about eight bits per
    /// key, so that with tens of thousands of names both stay as small as they can in the caches.
    mutating func setFirstSteps(_ firstStep: (Int32) -> FirstStep) {
        let steps = (0..<count).map { firstStep(Int32($0)) }
        slots = Array(repeating: Slot(prefix: 0, meta: 0), count: max(64, (count * 4 / 3 + 1).nextPowerOfTwo))
        let filterWords = max(16, count * 8 / 64)
        filter = Array(repeating: 0, count: filterWords.nextPowerOfTwo == filterWords ? filterWords : filterWords.nextPowerOfTwo / 2)
        for id in 0..<count { place(Int32(id), firstStep: steps[id]) }
    }

    private mutating func place(_ id: Int32, firstStep: FirstStep) {
        let range = starts[Int(id)]..<starts[Int(id) + 1]
        let (hash, prefix) = storage.withUnsafeBufferPointer { storage in
            let key = UnsafeBufferPointer(rebasing: storage[range])
            return (KeyHash.finish(KeyHash.of(key)), Self.prefix(of: key))
        }
        let mask = slots.count - 1
        var slot = hash & mask
        while slots[slot].meta & 0xFF00_0000 != 0 { slot = (slot + 1) & mask }
        slots[slot] = Slot(prefix: prefix, meta: firstStep.storedBits | Self.lengthBits(range.count) | UInt64(id))
        let (word, bit) = Self.filterBit(hash, words: filter.count)
        filter[word] |= bit
    }
}

extension Int {
    /// The smallest power of two at least this (1 for 0 and 1): table sizes.
    var nextPowerOfTwo: Int { self <= 1 ? 1 : 1 << (Int.bitWidth - (self - 1).leadingZeroBitCount) }
}
