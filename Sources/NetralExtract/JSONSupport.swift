import Foundation

/// A string field that also accepts a number or a boolean in its place (some servers and forks
/// write ids as numbers), so one odd field does not cost the whole post.
struct LenientString: Decodable, Equatable {
    var value: String

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            value = text
        } else if let number = try? container.decode(Int64.self) {
            value = String(number)
        } else if let number = try? container.decode(Double.self) {
            value = String(number)
        } else if let flag = try? container.decode(Bool.self) {
            value = String(flag)
        } else {
            throw DecodingError.typeMismatch(
                String.self,
                DecodingError.Context(codingPath: decoder.codingPath, debugDescription: "expected a string")
            )
        }
    }
}

/// One element of an array that may fail to decode on its own without failing the array.
struct Failable<Value: Decodable>: Decodable {
    var result: Result<Value, DecodingError>

    init(from decoder: any Decoder) throws {
        do {
            result = .success(try Value(from: decoder))
        } catch let error as DecodingError {
            result = .failure(error)
        }
    }
}

/// Indirection for recursive structures (a boost holds a status; a quote holds a record).
final class Box<Value: Decodable>: Decodable {
    let value: Value

    required init(from decoder: any Decoder) throws {
        value = try Value(from: decoder)
    }
}

/// The top-level shape of a JSON document: enough to tell which answer it is.
enum JSONShape: Decodable {
    case array(count: Int)
    case object(keys: Set<String>)
    case scalar

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        if let container = try? decoder.container(keyedBy: AnyKey.self) {
            self = .object(keys: Set(container.allKeys.map(\.stringValue)))
        } else if let container = try? decoder.unkeyedContainer() {
            self = .array(count: container.count ?? 0)
        } else {
            self = .scalar
        }
    }

    var keys: Set<String> {
        if case let .object(keys) = self { return keys }
        return []
    }

    var name: String {
        switch self {
        case .array: "an array"
        case let .object(keys): keys.isEmpty ? "an empty object" : "an object with keys \(keys.sorted().prefix(8).joined(separator: ", "))"
        case .scalar: "a single value"
        }
    }
}

/// An `{"error": ..., "message": ...}` answer, as Mastodon and the AT Protocol send on failure.
struct APIErrorAnswer: Decodable {
    var error: LenientString?
    var message: LenientString?

    var text: String {
        [error?.value, message?.value].compactMap { $0 }.joined(separator: ": ")
    }
}

/// Decodes API answers with tolerant defaults and turns every failure into a `SourceError`.
struct JSONReader {
    let source: String
    let data: Data
    /// Set when invalid UTF-8 had to be replaced.
    let repairWarning: String?

    /// Checks the bytes once; invalid UTF-8 is replaced (U+FFFD) rather than refused, with a warning.
    init(data: Data, source: String) throws {
        self.source = source
        let trimmed = data.drop { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        guard !trimmed.isEmpty else { throw SourceError.emptySource(source: source) }
        if String(data: data, encoding: .utf8) == nil {
            self.data = Data(String(decoding: data, as: UTF8.self).utf8)
            repairWarning = "\(source): the answer is not valid UTF-8; invalid bytes were replaced"
        } else {
            self.data = data
            repairWarning = nil
        }
    }

    func decode<Value: Decodable>(_ type: Value.Type) throws -> Value {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            return try decoder.decode(type, from: data)
        } catch let error as DecodingError {
            throw sourceError(error)
        } catch {
            throw SourceError.invalidJSON(source: source, reason: "\(error)")
        }
    }

    /// The shape of the document, or a clear error when it is not JSON at all.
    func shape() throws -> JSONShape {
        try decode(JSONShape.self)
    }

    /// Throws `apiError` when the answer is an error object.
    func rejectErrorAnswer(_ shape: JSONShape) throws {
        let keys = shape.keys
        guard keys.contains("error"), !keys.contains("id"), !keys.contains("uri") else { return }
        let answer = try decode(APIErrorAnswer.self)
        throw SourceError.apiError(source: source, message: answer.text.isEmpty ? "unknown error" : answer.text)
    }

    func sourceError(_ error: DecodingError) -> SourceError {
        let (path, reason) = Self.describe(error)
        if case .dataCorrupted = error, path == "$" {
            return .invalidJSON(source: source, reason: reason)
        }
        return .unexpectedJSON(source: source, path: path, reason: reason)
    }

    /// A JSON path (`$[3].account.acct`) and a reason, for one decoding failure.
    static func describe(_ error: DecodingError) -> (path: String, reason: String) {
        switch error {
        case let .typeMismatch(type, context):
            return (path(context.codingPath), "expected \(typeName(type)): \(context.debugDescription)")
        case let .valueNotFound(type, context):
            return (path(context.codingPath), "expected \(typeName(type)), found null")
        case let .keyNotFound(key, context):
            return (path(context.codingPath + [key]), "required field is missing")
        case let .dataCorrupted(context):
            var reason = context.debugDescription
            if let underlying = context.underlyingError {
                let detail = (underlying as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(underlying)"
                reason += " (\(detail))"
            }
            return (path(context.codingPath), reason)
        @unknown default:
            return ("$", "\(error)")
        }
    }

    static func path(_ keys: [any CodingKey]) -> String {
        var text = "$"
        for key in keys {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += "." + key.stringValue
            }
        }
        return text
    }

    private static func typeName(_ type: Any.Type) -> String {
        let name = String(describing: type)
        switch name {
        case "String", "LenientString": return "a string"
        case "Int", "Int64", "Double": return "a number"
        case "Bool": return "a boolean"
        default:
            if name.hasPrefix("Array") { return "an array" }
            if name.hasPrefix("Dictionary") { return "an object" }
            return "an object"
        }
    }
}

/// Percent-encodes a query value, leaving only RFC 3986 unreserved characters as they are
/// (`+`, `&`, `=`, `#`, `@`, `:` are all encoded, so cursors and handles survive any server).
func queryEscape(_ value: String) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    // `alphanumerics` includes non-ASCII letters; restrict to ASCII.
    return value.unicodeScalars.map { scalar -> String in
        if scalar.isASCII, allowed.contains(scalar) { return String(scalar) }
        return String(scalar).utf8.map { String(format: "%%%02X", $0) }.joined()
    }.joined()
}

/// An http(s) base URL: scheme and host checked, trailing slashes removed.
func normalizedBaseURL(_ text: String, defaultScheme: String = "https") throws -> URL {
    var trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    if !trimmed.contains("://") { trimmed = "\(defaultScheme)://\(trimmed)" }
    while trimmed.hasSuffix("/") { trimmed.removeLast() }
    guard let url = URL(string: trimmed), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
          let host = url.host, !host.isEmpty
    else { throw SourceError.invalidBaseURL(text) }
    return url
}
