/// Why a capture gave no item.
public enum ExtractError: Error, Sendable, Equatable, CustomStringConvertible {
    case emptyDocument(url: String)
    case parseFailed(url: String, message: String)
    case unsupportedMediaType(url: String, mediaType: String)
    /// A site profile's XPath expression failed on this page (for example, it ran past
    /// libxml2's operation limit on a huge page).
    case selectorFailed(url: String, profile: String, field: String, message: String)

    public var description: String {
        switch self {
        case .emptyDocument(let url):
            "\(url): the document is empty"
        case let .parseFailed(url, message):
            "\(url): cannot parse HTML: \(message)"
        case let .unsupportedMediaType(url, mediaType):
            "\(url): cannot extract items from media type '\(mediaType)'"
        case let .selectorFailed(url, profile, field, message):
            "\(url): site profile '\(profile)': the '\(field)' selector failed: \(message)"
        }
    }
}
