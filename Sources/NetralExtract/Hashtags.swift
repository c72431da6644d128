import Foundation

/// Finds `#hashtags`: a `#` at a word start followed by letters, digits or underscores.
public enum Hashtags {
    public static func find(in texts: [String]) -> [String] {
        var seen = Set<String>()
        var result: [String] = []
        for text in texts {
            var copy = text
            copy.withUTF8 { bytes in
                var index = 0
                while index < bytes.count {
                    guard bytes[index] == UInt8(ascii: "#") else {
                        index += 1
                        continue
                    }
                    if index > 0, isWordScalar(scalar(endingBefore: index, in: bytes)) {
                        index += 1
                        continue
                    }
                    var end = index + 1
                    while end < bytes.count {
                        let (value, length) = scalar(at: end, in: bytes)
                        guard isWordScalar(value) else { break }
                        end += length
                    }
                    if end > index + 1 {
                        let tag = String(decoding: UnsafeBufferPointer(rebasing: bytes[index..<end]), as: UTF8.self)
                        if seen.insert(tag.lowercased()).inserted { result.append(tag) }
                    }
                    index = max(end, index + 1)
                }
            }
        }
        return result
    }

    /// The scalar starting at `index` of valid UTF-8, and its length in bytes.
    @inline(__always)
    static func scalar(at index: Int, in bytes: UnsafeBufferPointer<UInt8>) -> (Unicode.Scalar, Int) {
        let lead = bytes[index]
        if lead < 0x80 { return (Unicode.Scalar(lead), 1) }
        let length = lead >= 0xF0 ? 4 : (lead >= 0xE0 ? 3 : 2)
        guard index + length <= bytes.count else { return (Unicode.Scalar(0xFFFD)!, 1) }
        var value = UInt32(lead) & (length == 2 ? 0x1F : (length == 3 ? 0x0F : 0x07))
        for offset in 1..<length { value = value << 6 | (UInt32(bytes[index + offset]) & 0x3F) }
        return (Unicode.Scalar(value) ?? Unicode.Scalar(0xFFFD)!, length)
    }

    /// The scalar that ends just before `index`.
    @inline(__always)
    static func scalar(endingBefore index: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Unicode.Scalar {
        var start = index - 1
        while start > 0, index - start < 4, bytes[start] & 0xC0 == 0x80 { start -= 1 }
        return scalar(at: start, in: bytes).0
    }

    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value < 0x80 {
            let value = scalar.value
            return (value >= 0x30 && value <= 0x39) || (value >= 0x41 && value <= 0x5A) || (value >= 0x61 && value <= 0x7A) || value == 0x5F
        }
        return scalar.properties.isAlphabetic || scalar.properties.numericType != nil || scalar == "_"
    }
}
