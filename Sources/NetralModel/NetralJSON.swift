public import Foundation

/// The project's one JSON style: snake_case keys, sorted, ISO 8601 dates. Output that scripts
/// read (`--format json`, bundle files) is produced only through these.
public enum NetralJSON {
    public static func encoder(pretty: Bool = true) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}

/// The version of Netral, written into every manifest and shown by `netral --version`.
public enum NetralVersion {
    public static let current = "0.1.0"
}
