public import Foundation

/// The project's one JSON style: snake_case keys, sorted, ISO 8601 dates. Output that scripts
/// read (`--format json`, case files) is produced only through these.
public enum NetralJSON {
    public static func encoder(pretty: Bool = true) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting =
            pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .custom { path in CamelCaseKey(snakeCase: path.last!.stringValue) }
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}

/// The version of Netral, written into every manifest and shown by `netral --version`.
public enum NetralVersion {
    public static let current = "0.1.0"
}

/// Maps `finding_id` back to `findingID` and `source_url` to `sourceURL`: Foundation's
/// `.convertFromSnakeCase` would give `findingId`, which does not match Swift's naming of
/// acronyms, so encoding and decoding would not round-trip.
private struct CamelCaseKey: CodingKey {
    static let acronyms: Set<String> = ["id", "url", "ip", "nip", "html", "json"]

    var stringValue: String
    var intValue: Int? { nil }

    init(snakeCase: String) {
        let parts = snakeCase.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count > 1 else {
            stringValue = snakeCase
            return
        }
        var result = String(parts[0])
        for part in parts.dropFirst() {
            let word = String(part)
            result += Self.acronyms.contains(word) ? word.uppercased() : word.prefix(1).uppercased() + word.dropFirst()
        }
        stringValue = result
    }

    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// Lowercase hexadecimal of bytes (digests, ids). `String(format:)` per byte is slow on Linux.
public func hexString<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
    Array(bytes).withUnsafeBytes { hexString($0) }
}

/// Lowercase hexadecimal of raw bytes.
public func hexString(_ bytes: UnsafeRawBufferPointer) -> String {
    String(unsafeUninitializedCapacity: bytes.count * 2) { output in
        let digits: StaticString = "0123456789abcdef"
        for (index, byte) in bytes.enumerated() {
            output[2 * index] = digits.utf8Start[Int(byte >> 4)]
            output[2 * index + 1] = digits.utf8Start[Int(byte & 0x0F)]
        }
        return bytes.count * 2
    }
}
