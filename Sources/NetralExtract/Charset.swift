import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The character encoding of a page, as Netral decodes it.
enum TextEncoding: Equatable, CustomStringConvertible {
    case utf8
    /// Also used for pages labelled `iso-8859-1`, `latin1` or `us-ascii`: the HTML Standard's
    /// Encoding specification maps those labels to windows-1252, because real pages labelled
    /// latin-1 routinely carry windows-1252 smart quotes and dashes in 0x80–0x9F.
    case windows1252
    case utf16LE
    case utf16BE
    /// Any other encoding iconv knows, by its canonical name (`windows-1251`, `GBK`, ...).
    case other(String)

    var description: String {
        switch self {
        case .utf8: "UTF-8"
        case .windows1252: "windows-1252"
        case .utf16LE: "UTF-16LE"
        case .utf16BE: "UTF-16BE"
        case .other(let name): name
        }
    }

    /// CJK multi-byte legacy encodings, where much valid multi-byte UTF-8 means the label lies.
    var isMultiByteLegacy: Bool {
        guard case .other(let name) = self else { return false }
        let lower = name.lowercased()
        return ["gbk", "gb18030", "gb2312", "cp936", "big5", "shift_jis", "sjis", "x-sjis", "cp932", "windows-31j", "ms932",
                "euc-jp", "euc-kr", "cp949", "uhc"].contains(where: { lower.hasPrefix($0) })
    }

    /// Single-byte legacy encodings, where valid multi-byte UTF-8 in the bytes means the label lies.
    var isSingleByteLegacy: Bool {
        switch self {
        case .windows1252: return true
        case .other(let name):
            let lower = name.lowercased()
            return lower.hasPrefix("windows-12") || lower.hasPrefix("iso-8859-") || lower.hasPrefix("koi8")
        default: return false
        }
    }

    /// Maps an encoding label (from a header or a `<meta>`) to an encoding, or nil when the label
    /// names nothing Netral can decode (then the next source is tried).
    init?(label: String) {
        let name = label.trimmingCharacters(in: CharacterSet(charactersIn: " \t\r\n\"'")).lowercased()
        switch name {
        case "utf-8", "utf8", "unicode-1-1-utf-8", "x-unicode20utf8", "unicode20utf8":
            self = .utf8
        case "windows-1252", "cp1252", "x-cp1252", "iso-8859-1", "iso8859-1", "iso_8859-1", "iso88591",
             "iso_8859-1:1987", "latin1", "l1", "ascii", "us-ascii", "ansi_x3.4-1968", "iso-ir-100", "cp819",
             "csisolatin1", "ibm819":
            self = .windows1252
        case "utf-16le", "utf-16", "unicode", "ucs-2", "csunicode", "iso-10646-ucs-2", "unicodefeff":
            self = .utf16LE
        case "utf-16be", "unicodefffe":
            self = .utf16BE
        case "gb2312", "gbk", "x-gbk", "chinese", "csgb2312", "gb_2312-80", "iso-ir-58":
            self = .other("GBK")
        case "iso-8859-9", "iso8859-9", "latin5", "l5", "windows-1254", "cp1254":
            self = .other("windows-1254")
        case "tis-620", "iso-8859-11", "windows-874", "dos-874":
            self = .other("windows-874")
        case "":
            return nil
        default:
            // Anything else iconv can open is accepted by its own name.
            guard name.utf8.count < 40, name.utf8.allSatisfy({ $0 < 0x80 }), Transcoder.canDecode(name) else { return nil }
            self = .other(name.uppercased())
        }
    }
}

/// Where the encoding decision came from, in the order they are consulted.
enum CharsetSource: String, Equatable {
    /// A byte order mark: the strongest signal, as in the HTML Standard's sniffing algorithm.
    case byteOrderMark = "bom"
    /// `Content-Type: text/html; charset=...`
    case header
    /// `<meta charset>` or `<meta http-equiv="content-type" content="...; charset=...">`.
    case meta
    /// No usable label, or a label the bytes contradict: decided from the bytes.
    case sniffed
    case defaulted = "default"
}

/// Decides a page's encoding in Swift, before libxml2 sees it, and turns the bytes into valid
/// UTF-8 so libxml2 only ever parses UTF-8.
///
/// Order: byte order mark, then the HTTP header's charset, then a `<meta>` prescan of the first
/// 16 KiB, then UTF-8. The BOM goes first (the HTML Standard does the same) because it cannot be
/// there by accident, while server headers are often a global default. Two contradictions are
/// resolved from the bytes, because labels lie more often than bytes do:
/// - a single-byte legacy label (latin-1, windows-125x) on bytes that are valid UTF-8 and contain
///   multi-byte sequences is UTF-8 (an old server default in front of a modern CMS);
/// - a UTF-8 `<meta>` (or no label at all) on bytes that are not valid UTF-8 and contain no valid
///   multi-byte sequence at all is windows-1252 (a legacy page copied into a UTF-8 template).
/// Otherwise invalid UTF-8 is repaired: each invalid sequence becomes U+FFFD, and the rest of the
/// text is kept.
///
/// Decoding is done here rather than by handing the label to `htmlCtxtReadMemory`: libxml2 2.9
/// stops the parse at the first byte iconv cannot convert (0x81 in windows-1252, a broken
/// Shift_JIS pair), which silently truncates the text and writes "encoding error" to stderr.
enum CharsetSniffer {
    struct Decision: Equatable {
        var encoding: TextEncoding
        var source: CharsetSource
        /// Bytes of byte order mark to skip.
        var bomLength: Int
        /// Whether the bytes (BOM included) are valid UTF-8, checked once here.
        var isValidUTF8: Bool
        /// Whether the bytes hold a NUL byte (only checked for valid UTF-8).
        var hasNUL = false
    }

    /// How far into the document a `<meta>` charset is looked for.
    static let prescanLimit = 16 * 1024

    static func decide(headerCharset: String?, bytes: UnsafeRawBufferPointer) -> Decision {
        let check = UTF8Check(bytes)
        if var bom = byteOrderMark(bytes) {
            bom.isValidUTF8 = check.isValid
            bom.hasNUL = check.hasNUL
            return bom
        }
        func decision(_ encoding: TextEncoding, _ source: CharsetSource) -> Decision {
            Decision(encoding: encoding, source: source, bomLength: 0, isValidUTF8: check.isValid, hasNUL: check.hasNUL)
        }
        var labelled: (TextEncoding, CharsetSource)?
        if let header = headerCharset, let encoding = TextEncoding(label: header) {
            labelled = (encoding, .header)
        } else if let meta = metaCharset(bytes), let encoding = TextEncoding(label: meta) {
            // A <meta> can only be read because the document is ASCII-compatible: UTF-16 there is a lie.
            switch encoding {
            case .utf16LE, .utf16BE: labelled = (.utf8, .meta)
            default: labelled = (encoding, .meta)
            }
        }
        switch labelled {
        case let (encoding, source)? where encoding.isSingleByteLegacy:
            if check.isValid && check.hasMultiByte { return decision(.utf8, .sniffed) }
            return decision(encoding, source)
        case let (encoding, source)? where encoding.isMultiByteLegacy:
            // A page labelled gb2312 whose bytes are UTF-8 (a site moved to UTF-8 and kept its
            // old <meta>): a short valid run could be chance, a long one is not.
            if check.isValid && check.multiByteCount >= UTF8Check.enoughMultiByte { return decision(.utf8, .sniffed) }
            return decision(encoding, source)
        case let (.utf8, source)? where source == .meta:
            if !check.isValid && !check.hasMultiByte { return decision(.windows1252, .sniffed) }
            return decision(.utf8, .meta)
        case let (encoding, source)?:
            return decision(encoding, source)
        case nil:
            if !check.isValid && !check.hasMultiByte { return decision(.windows1252, .sniffed) }
            return decision(.utf8, .defaulted)
        }
    }

    static func byteOrderMark(_ bytes: UnsafeRawBufferPointer) -> Decision? {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            return Decision(encoding: .utf8, source: .byteOrderMark, bomLength: 3, isValidUTF8: true)
        }
        if bytes.count >= 2, bytes[0] == 0xFF, bytes[1] == 0xFE {
            return Decision(encoding: .utf16LE, source: .byteOrderMark, bomLength: 2, isValidUTF8: false)
        }
        if bytes.count >= 2, bytes[0] == 0xFE, bytes[1] == 0xFF {
            return Decision(encoding: .utf16BE, source: .byteOrderMark, bomLength: 2, isValidUTF8: false)
        }
        return nil
    }

    /// The charset named by the first `<meta charset>` or `<meta http-equiv=content-type>` in the
    /// first `prescanLimit` bytes, skipping comments, in the spirit of the HTML Standard's prescan.
    static func metaCharset(_ bytes: UnsafeRawBufferPointer) -> String? {
        let end = min(bytes.count, prescanLimit)
        var index = 0
        while index < end {
            guard bytes[index] == UInt8(ascii: "<") else { index += 1; continue }
            if matches(bytes, at: index, "<!--", end: end) {
                index = skipComment(bytes, from: index + 4, end: end)
                continue
            }
            if matches(bytes, at: index, "<meta", end: end), index + 5 < end, isSpaceOrSlash(bytes[index + 5]) {
                var attributes = AttributeScanner(bytes: bytes, index: index + 5, end: end)
                var charset: String?
                var httpEquivContentType = false
                var content: String?
                while let (name, value) = attributes.next() {
                    switch name {
                    case "charset": if charset == nil { charset = value }
                    case "http-equiv": httpEquivContentType = value.lowercased() == "content-type"
                    case "content": if content == nil { content = value }
                    default: break
                    }
                }
                index = attributes.index
                if let charset, !charset.isEmpty { return charset }
                if httpEquivContentType, let content, let charset = charsetParameter(in: content) { return charset }
                continue
            }
            index += 1
        }
        return nil
    }

    /// `charset=...` inside a `content` attribute, as the HTML Standard's algorithm for extracting
    /// a character encoding from a meta element reads it.
    static func charsetParameter(in content: String) -> String? {
        let lower = content.lowercased()
        guard let range = lower.range(of: "charset") else { return nil }
        var rest = lower[range.upperBound...].drop { $0 == " " || $0 == "\t" }
        guard rest.first == "=" else { return charsetParameter(in: String(lower[range.upperBound...])) }
        rest = rest.dropFirst().drop { $0 == " " || $0 == "\t" }
        if let quote = rest.first, quote == "\"" || quote == "'" {
            let inner = rest.dropFirst()
            guard let close = inner.firstIndex(of: quote) else { return nil }
            return String(inner[..<close])
        }
        let value = rest.prefix { $0 != ";" && $0 != " " && $0 != "\t" }
        return value.isEmpty ? nil : String(value)
    }

    private static func matches(_ bytes: UnsafeRawBufferPointer, at index: Int, _ literal: StaticString, end: Int) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard index + count <= end else { return false }
        let pointer = literal.utf8Start
        for offset in 0..<count where lowercase(bytes[index + offset]) != pointer[offset] {
            return false
        }
        return true
    }

    private static func skipComment(_ bytes: UnsafeRawBufferPointer, from start: Int, end: Int) -> Int {
        var index = start
        while index + 2 < end {
            if bytes[index] == UInt8(ascii: "-"), bytes[index + 1] == UInt8(ascii: "-"), bytes[index + 2] == UInt8(ascii: ">") {
                return index + 3
            }
            index += 1
        }
        return end
    }

    static func lowercase(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }

    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0C || byte == 0x0D
    }

    static func isSpaceOrSlash(_ byte: UInt8) -> Bool { isSpace(byte) || byte == UInt8(ascii: "/") }

    /// Reads `name=value` pairs of one tag, as the prescan's "get an attribute" step does.
    struct AttributeScanner {
        let bytes: UnsafeRawBufferPointer
        var index: Int
        let end: Int

        mutating func next() -> (String, String)? {
            while index < end, isSpaceOrSlash(bytes[index]) { index += 1 }
            guard index < end, bytes[index] != UInt8(ascii: ">") else {
                if index < end { index += 1 }
                return nil
            }
            var name: [UInt8] = []
            while index < end, !isSpace(bytes[index]), bytes[index] != UInt8(ascii: "="), bytes[index] != UInt8(ascii: ">"),
                  bytes[index] != UInt8(ascii: "/") || name.isEmpty {
                name.append(lowercase(bytes[index]))
                index += 1
            }
            while index < end, isSpace(bytes[index]) { index += 1 }
            guard index < end, bytes[index] == UInt8(ascii: "=") else {
                return (String(decoding: name, as: UTF8.self), "")
            }
            index += 1
            while index < end, isSpace(bytes[index]) { index += 1 }
            var value: [UInt8] = []
            if index < end, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") {
                let quote = bytes[index]
                index += 1
                while index < end, bytes[index] != quote {
                    value.append(bytes[index])
                    index += 1
                }
                if index < end { index += 1 }
            } else {
                while index < end, !isSpace(bytes[index]), bytes[index] != UInt8(ascii: ">") {
                    value.append(bytes[index])
                    index += 1
                }
            }
            return (String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self))
        }
    }
}

/// One pass over bytes: are they valid UTF-8, and do they hold any multi-byte sequence?
struct UTF8Check {
    var isValid = true
    var hasMultiByte = false
    /// Valid multi-byte sequences seen (counted up to `UTF8Check.enoughMultiByte`).
    var multiByteCount = 0
    /// So many valid multi-byte sequences and no invalid byte cannot be a CJK legacy encoding
    /// by chance: in GBK, Big5, Shift_JIS or EUC, most trail bytes (and every lead byte from
    /// 0xA1 to 0xC1) break UTF-8 at once.
    static let enoughMultiByte = 16
    /// NUL bytes: libxml2's HTML parser drops the text that follows a NUL at the start of an
    /// element's content, so they are removed before parsing (browsers ignore them too).
    var hasNUL = false

    init(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        let count = bytes.count
        var index = 0
        while index < count {
            // ASCII fast path, eight bytes at a time.
            if index + 8 <= count {
                let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                if word & 0x8080_8080_8080_8080 == 0 {
                    // A zero byte anywhere in the word (the classic "has zero byte" test).
                    if (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080 != 0 { hasNUL = true }
                    index += 8
                    continue
                }
            }
            let lead = base[index]
            if lead < 0x80 {
                if lead == 0 { hasNUL = true }
                index += 1
                continue
            }
            let length: Int
            var lower: UInt8 = 0x80
            var upper: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; upper = 0x9F
            case 0xF0: length = 4; lower = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; upper = 0x8F
            default: length = 0
            }
            var valid = length > 0 && index + length <= count
            if valid {
                let second = base[index + 1]
                valid = second >= lower && second <= upper
                var offset = 2
                while valid && offset < length {
                    valid = base[index + offset] & 0xC0 == 0x80
                    offset += 1
                }
            }
            if valid {
                hasMultiByte = true
                if multiByteCount < UTF8Check.enoughMultiByte { multiByteCount += 1 }
                index += length
            } else {
                isValid = false
                index += 1
            }
        }
    }
}

/// Conversions of a whole document into UTF-8.
enum Transcoder {
    /// windows-1252's 0x80–0x9F, as the Encoding Standard's index defines them; the five bytes the
    /// code page leaves undefined map to the C1 control of the same value, so no byte is ever lost.
    static let windows1252High: [UInt16] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]

    static func fromWindows1252(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + bytes.count / 8)
        for byte in bytes {
            if byte < 0x80 {
                output.append(byte)
                continue
            }
            let scalar: UInt32 = byte < 0xA0 ? UInt32(windows1252High[Int(byte - 0x80)]) : UInt32(byte)
            appendUTF8(scalar, to: &output)
        }
        return output
    }

    static func appendUTF8(_ scalar: UInt32, to output: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            output.append(UInt8(scalar))
        case 0x80..<0x800:
            output.append(UInt8(0xC0 | (scalar >> 6)))
            output.append(UInt8(0x80 | (scalar & 0x3F)))
        case 0x800..<0x10000:
            output.append(UInt8(0xE0 | (scalar >> 12)))
            output.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            output.append(UInt8(0x80 | (scalar & 0x3F)))
        default:
            output.append(UInt8(0xF0 | (scalar >> 18)))
            output.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
            output.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            output.append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }

    /// Invalid UTF-8 with every maximal invalid subsequence replaced by U+FFFD (Swift's repair,
    /// which follows the Unicode recommendation browsers also use).
    static func repairUTF8(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        Array(String(decoding: bytes, as: UTF8.self).utf8)
    }

    static func fromUTF16(_ bytes: UnsafeRawBufferPointer, bigEndian: Bool) -> [UInt8] {
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var index = 0
        while index + 1 < bytes.count {
            let first = UInt16(bytes[index]), second = UInt16(bytes[index + 1])
            units.append(bigEndian ? first << 8 | second : second << 8 | first)
            index += 2
        }
        var text = String(decoding: units, as: UTF16.self)
        if bytes.count % 2 == 1 { text.unicodeScalars.append("\u{FFFD}") }
        return Array(text.utf8)
    }

    /// True when iconv can convert from `name` to UTF-8.
    static func canDecode(_ name: String) -> Bool {
        let descriptor = iconv_open("UTF-8", name)
        guard Int(bitPattern: descriptor) != -1 else { return false }
        iconv_close(descriptor)
        return true
    }

    /// Converts with iconv, replacing each byte iconv rejects with U+FFFD and carrying on, so a
    /// single bad byte never cuts the rest of the page. Nil when iconv cannot open `name`.
    static func fromIconv(_ bytes: UnsafeRawBufferPointer, encoding name: String) -> [UInt8]? {
        let descriptor = iconv_open("UTF-8", name)
        guard Int(bitPattern: descriptor) != -1 else { return nil }
        defer { iconv_close(descriptor) }
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return [] }
        var output = [UInt8](repeating: 0, count: bytes.count * 2 + 16)
        var written = 0
        var input = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: CChar.self))
        var inputLeft = bytes.count
        while true {
            if output.count - written < 16 { output.append(contentsOf: repeatElement(0, count: output.count)) }
            var outputLeft = output.count - written
            let result = output.withUnsafeMutableBufferPointer { buffer -> Int in
                var outputPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(buffer.baseAddress! + written)
                    .assumingMemoryBound(to: CChar.self)
                var inputPointer: UnsafeMutablePointer<CChar>? = input
                // iconv(3) never writes through the input pointer; it only advances it.
                let status = iconv(descriptor, &inputPointer, &inputLeft, &outputPointer, &outputLeft)
                input = inputPointer!
                return status
            }
            written = output.count - outputLeft
            if result != -1 {
                if inputLeft == 0 { break }
                continue
            }
            let failure = errno
            if failure == E2BIG {
                output.append(contentsOf: repeatElement(0, count: output.count))
                continue
            }
            // EILSEQ (a byte that is not valid here) or EINVAL (a sequence cut at the end).
            if output.count - written < 3 { output.append(contentsOf: repeatElement(0, count: 16)) }
            output[written] = 0xEF
            output[written + 1] = 0xBF
            output[written + 2] = 0xBD
            written += 3
            if failure == EINVAL || inputLeft <= 1 { break }
            input += 1
            inputLeft -= 1
        }
        // Flush any shift state (ISO-2022-JP and other stateful encodings).
        var tail = [UInt8](repeating: 0, count: 16)
        var tailLeft = tail.count
        tail.withUnsafeMutableBufferPointer { buffer in
            var tailPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self)
            _ = iconv(descriptor, nil, nil, &tailPointer, &tailLeft)
        }
        output.removeSubrange(written...)
        output.append(contentsOf: tail.prefix(16 - tailLeft))
        return output
    }

    /// The page as valid UTF-8, according to `decision`; nil when the bytes are already valid
    /// UTF-8 and can be parsed as they are (after skipping `bomLength`).
    /// NUL bytes are removed from the result whatever the encoding (see `UTF8Check.hasNUL`).
    static func utf8(_ bytes: UnsafeRawBufferPointer, decision: CharsetSniffer.Decision) -> [UInt8]? {
        var converted = convert(bytes, decision: decision)
        if converted != nil {
            converted!.removeAll { $0 == 0 }
        } else if decision.hasNUL {
            converted = UnsafeRawBufferPointer(rebasing: bytes[decision.bomLength...]).filter { $0 != 0 }
        }
        return converted
    }

    private static func convert(_ bytes: UnsafeRawBufferPointer, decision: CharsetSniffer.Decision) -> [UInt8]? {
        let body = UnsafeRawBufferPointer(rebasing: bytes[decision.bomLength...])
        switch decision.encoding {
        case .utf8:
            return decision.isValidUTF8 ? nil : repairUTF8(body)
        case .windows1252:
            return fromWindows1252(body)
        case .utf16LE:
            return fromUTF16(body, bigEndian: false)
        case .utf16BE:
            return fromUTF16(body, bigEndian: true)
        case .other(let name):
            return fromIconv(body, encoding: name) ?? repairUTF8(body)
        }
    }
}
