/// Joins canonical slices of a `TextBuffer`: separators at either end of a slice are dropped,
/// and between two slices the strongest separator asked for or dropped (newline over space) is
/// written once.
struct Joiner {
    private(set) var bytes: [UInt8] = []
    /// 0 (none), 0x20 (space) or 0x0A (newline); a newline outranks a space.
    private var pending: UInt8 = 0

    init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    @inline(__always)
    private static func stronger(_ a: UInt8, _ b: UInt8) -> UInt8 {
        a == 0x0A || b == 0x0A ? 0x0A : max(a, b)
    }

    mutating func separate(_ separator: UInt8) {
        pending = Joiner.stronger(pending, separator)
    }

    mutating func append(_ slice: UnsafeBufferPointer<UInt8>) {
        var start = 0
        var end = slice.count
        while start < end, slice[start] == 0x20 || slice[start] == 0x0A {
            pending = Joiner.stronger(pending, slice[start])
            start += 1
        }
        var trailing: UInt8 = 0
        while end > start, slice[end - 1] == 0x20 || slice[end - 1] == 0x0A {
            trailing = Joiner.stronger(trailing, slice[end - 1])
            end -= 1
        }
        guard start < end else {
            pending = Joiner.stronger(pending, trailing)
            return
        }
        if !bytes.isEmpty, pending != 0 { bytes.append(pending) }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: slice[start..<end]))
        pending = trailing
    }
}
