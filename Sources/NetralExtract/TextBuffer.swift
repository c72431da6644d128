internal import CLibXML2

/// Visible text, built as UTF-8 bytes straight from libxml2's node content (no Swift `String` per
/// text node): whitespace runs collapse to one space, block boundaries become one newline, and
/// nothing is emitted before the first or after the last visible character.
struct TextBuffer {
    private(set) var bytes: [UInt8] = []
    private var pendingSpace = false
    private var pendingBreak = false

    init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    var count: Int { bytes.count }

    /// Ends the current paragraph: the next text starts on a new line.
    mutating func breakParagraph() {
        pendingBreak = true
    }

    /// Appends NUL-terminated UTF-8 text. Returns how many Unicode scalars were added (spaces
    /// between words excluded) and how many commas, the two numbers content scoring needs.
    @discardableResult
    mutating func append(_ text: UnsafePointer<UInt8>) -> (characters: Int, commas: Int) {
        var characters = 0
        var commas = 0
        var index = 0
        while true {
            let byte = text[index]
            if byte == 0 { break }
            let space = TextBuffer.whitespaceLength(text, at: index, byte: byte)
            if space > 0 {
                pendingSpace = true
                index += space
                continue
            }
            if byte == 0x7F {
                index += 1
                continue
            }
            flushSeparator()
            // Find the end of the run of non-space bytes, counting commas and UTF-8 continuation
            // bytes on the way; most bytes are letters and take the first test only.
            let start = index
            var continuation = 0
            while true {
                let current = text[index]
                if current > 0x2C && current < 0x7F {
                    index &+= 1
                    continue
                }
                if current <= 0x20 || current == 0x7F { break }
                if current == 0x2C {
                    commas &+= 1
                } else if current >= 0x80 {
                    if current < 0xC0 {
                        continuation &+= 1
                    } else if current <= 0xE3, TextBuffer.whitespaceLength(text, at: index, byte: current) > 0 {
                        break
                    }
                }
                index &+= 1
            }
            let run = UnsafeBufferPointer(start: text + start, count: index &- start)
            characters &+= run.count &- continuation
            bytes.append(contentsOf: run)
        }
        return (characters, commas)
    }

    /// Appends a Swift string (attribute values, JSON-LD text) the same way.
    mutating func append(_ text: String) {
        var copy = text
        copy.withUTF8 { buffer in
            var terminated = [UInt8](buffer)
            terminated.append(0)
            terminated.withUnsafeBufferPointer { _ = append($0.baseAddress!) }
        }
    }

    @inline(__always)
    private mutating func flushSeparator() {
        if let last = bytes.last {
            if pendingBreak {
                if last != 0x0A { bytes.append(0x0A) }
            } else if pendingSpace, last != 0x20, last != 0x0A {
                bytes.append(0x20)
            }
        }
        pendingBreak = false
        pendingSpace = false
    }

    /// Bytes of whitespace at `index`: ASCII whitespace and C0 controls, NO-BREAK SPACE, NEL,
    /// OGHAM SPACE MARK, U+2000–U+200A, LINE/PARAGRAPH SEPARATOR, NARROW NBSP, MEDIUM
    /// MATHEMATICAL SPACE and IDEOGRAPHIC SPACE, as `Character.isWhitespace` would say. Reads
    /// past `index` only while the bytes so far match, so the NUL terminator is never passed.
    @inline(__always)
    static func whitespaceLength(_ text: UnsafePointer<UInt8>, at index: Int, byte: UInt8) -> Int {
        if byte <= 0x20 { return 1 }
        if byte < 0xC2 || byte > 0xE3 { return 0 }
        switch byte {
        case 0xC2:
            let next = text[index + 1]
            return next == 0xA0 || next == 0x85 ? 2 : 0
        case 0xE1:
            return text[index + 1] == 0x9A && text[index + 2] == 0x80 ? 3 : 0
        case 0xE2:
            let second = text[index + 1]
            if second == 0x80 {
                let third = text[index + 2]
                return (third >= 0x80 && third <= 0x8A) || third == 0xA8 || third == 0xA9 || third == 0xAF ? 3 : 0
            }
            return second == 0x81 && text[index + 2] == 0x9F ? 3 : 0
        case 0xE3:
            return text[index + 1] == 0x80 && text[index + 2] == 0x80 ? 3 : 0
        default:
            return 0
        }
    }

    /// The text between two offsets as a clean string: lines trimmed, empty lines dropped, runs of
    /// spaces collapsed; with `singleLine`, newlines become spaces.
    func string(from start: Int, to end: Int, singleLine: Bool = false) -> String {
        TextBuffer.clean(bytes[start..<end], singleLine: singleLine)
    }

    static func clean(_ slice: some Collection<UInt8>, singleLine: Bool) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(slice.count)
        var pendingSpace = false
        var pendingNewline = false
        for byte in slice {
            if byte == 0x0A {
                if singleLine { pendingSpace = true } else { pendingNewline = true }
            } else if byte == 0x20 {
                pendingSpace = true
            } else {
                if !output.isEmpty {
                    if pendingNewline {
                        output.append(0x0A)
                    } else if pendingSpace {
                        output.append(0x20)
                    }
                }
                pendingSpace = false
                pendingNewline = false
                output.append(byte)
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
