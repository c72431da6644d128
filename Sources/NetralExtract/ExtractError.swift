/// Why a capture gave no item.
public enum ExtractError: Error, Sendable, Equatable, CustomStringConvertible {
    case emptyDocument(url: String)
    case parseFailed(url: String, message: String)
    case unsupportedMediaType(url: String, mediaType: String)

    public var description: String {
        switch self {
        case .emptyDocument(let url):
            "\(url): the document is empty"
        case let .parseFailed(url, message):
            "\(url): cannot parse HTML: \(message)"
        case let .unsupportedMediaType(url, mediaType):
            "\(url): cannot extract items from media type '\(mediaType)'"
        }
    }
}
