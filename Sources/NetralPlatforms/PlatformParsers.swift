import Foundation

/// One entry for every platform: which platform an answer belongs to (by its URL), and its
/// parse. A capture reader routes each response it holds through here; a source that knows its
/// platform calls that platform's parser directly.
public enum PlatformParsers {
    /// The platform whose answers `url` gives, or nil for any other site. A WhatsApp export
    /// has no URL of its own: a capture reader recognises it by `WhatsAppChat.looksLikeExport`.
    public static func platform(for url: String) -> Platform? {
        if TikTokParser.handles(url: url) { return .tiktok }
        if InstagramParser.handles(url: url) { return .instagram }
        if XParser.handles(url: url) { return .x }
        if FacebookParser.handles(url: url) { return .facebook }
        if YouTubeParser.handles(url: url) { return .youtube }
        if TelegramParser.handles(url: url) { return .telegram }
        return nil
    }

    /// The answer read by `platform`'s parser (by default the one its URL names).
    ///
    /// - Throws: `PlatformParseError` when the platform is unknown or the answer cannot be read
    ///   as that platform's; a wall is not an error (see `PlatformPage.wall`).
    public static func parse(
        _ input: PlatformInput, as platform: Platform? = nil,
        limits: PlatformLimits = .default
    ) throws(PlatformParseError) -> PlatformPage {
        guard let platform = platform ?? Self.platform(for: input.url) else {
            throw PlatformParseError(platform: .tiktok, url: input.url, reason: "no platform parser for this URL")
        }
        switch platform {
        case .tiktok: return try TikTokParser(limits: limits).parse(input)
        case .instagram: return try InstagramParser(limits: limits).parse(input)
        case .x: return try XParser(limits: limits).parse(input)
        case .facebook: return try FacebookParser(limits: limits).parse(input)
        case .youtube: return try YouTubeParser(limits: limits).parse(input)
        case .telegram: return try TelegramParser(limits: limits).parse(input)
        case .whatsapp: return try WhatsAppChat(limits: limits).parse(input)
        }
    }
}
