import Foundation

/// Builds visible text: whitespace runs collapse to one space, block boundaries become newlines.
struct TextAccumulator {
    private var paragraphs: [String] = []
    private var current = ""

    mutating func append(_ raw: String) {
        let collapsed = collapseWhitespace(raw, keepEdges: true)
        if collapsed.isEmpty { return }
        if current.hasSuffix(" ") && collapsed.hasPrefix(" ") {
            current += collapsed.dropFirst()
        } else {
            current += collapsed
        }
    }

    mutating func breakParagraph() {
        let trimmed = current.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty { paragraphs.append(trimmed) }
        current = ""
    }

    var result: String {
        var all = paragraphs
        let trimmed = current.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty { all.append(trimmed) }
        return all.joined(separator: "\n")
    }
}

/// Collapses every run of whitespace (including non-breaking spaces) to one space. Works on
/// UTF-8 bytes: Foundation's and `Unicode.Scalar.Properties`' whitespace tests were a tenth of
/// the extraction time.
func collapseWhitespace(_ text: String, keepEdges: Bool = false) -> String {
    var copy = text
    return copy.withUTF8 { bytes -> String in
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var pendingSpace = false
        var index = 0
        while index < bytes.count {
            let space = whitespaceLength(bytes, at: index)
            if space > 0 {
                pendingSpace = true
                index += space
                continue
            }
            if pendingSpace && (keepEdges || !output.isEmpty) { output.append(0x20) }
            pendingSpace = false
            output.append(bytes[index])
            index += 1
        }
        if pendingSpace && keepEdges { output.append(0x20) }
        if output.count == bytes.count && output.elementsEqual(bytes) { return text }
        return String(decoding: output, as: UTF8.self)
    }
}

/// `TextBuffer.whitespaceLength` for a bounded buffer (no NUL terminator to stop on).
@inline(__always)
func whitespaceLength(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
    let byte = bytes[index]
    if byte <= 0x20 { return 1 }
    if byte < 0xC2 || byte > 0xE3 { return 0 }
    let count = bytes.count
    let second = index + 1 < count ? bytes[index + 1] : 0
    let third = index + 2 < count ? bytes[index + 2] : 0
    switch byte {
    case 0xC2: return second == 0xA0 || second == 0x85 ? 2 : 0
    case 0xE1: return second == 0x9A && third == 0x80 ? 3 : 0
    case 0xE2:
        if second == 0x80 { return (third >= 0x80 && third <= 0x8A) || third == 0xA8 || third == 0xA9 || third == 0xAF ? 3 : 0 }
        return second == 0x81 && third == 0x9F ? 3 : 0
    case 0xE3: return second == 0x80 && third == 0x80 ? 3 : 0
    default: return 0
    }
}

/// The text without leading and trailing whitespace (as `collapseWhitespace` defines it), or nil
/// when nothing is left.
func nonEmpty(_ text: String) -> String? {
    var copy = text
    return copy.withUTF8 { bytes -> String? in
        var start = 0
        while start < bytes.count {
            let space = whitespaceLength(bytes, at: start)
            if space == 0 { break }
            start += space
        }
        guard start < bytes.count else { return nil }
        // Scan forward for the end of the last non-space run; multi-byte spaces cannot be
        // recognised backwards without decoding.
        var end = start
        var index = start
        while index < bytes.count {
            let space = whitespaceLength(bytes, at: index)
            if space > 0 {
                index += space
            } else {
                index += 1
                end = index
            }
        }
        if start == 0 && end == bytes.count { return text }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }
}
