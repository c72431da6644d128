import NetralPlatforms

/// Every kind of target Netral scans, one row each. A new kind is a folder under
/// `Sources/NetralScan/Sources/` (its source, its row, its `Target.Kind` constant) and its row
/// here; see the module README.
enum SourceRegistry {
    static let rows: [SourceRow] = [
        PageSource.row,
        FeedSource.row,
        FileSource.row,
        WARCSource.row,
        SitemapSource.row,
        MastodonSource.row,
        BlueskySource.row,
        HashtagSource.row,
        SearchSource.row,
        CampaignAccountSource.row,
        CaptureSource.row,
        TikTokSource.row,
        FacebookSource.row,
        InstagramSource.row,
        XSource.row,
        YouTubeSource.row,
        TelegramSource.row,
    ]

    private static let byKind: [Target.Kind: SourceRow] = Dictionary(rows.map { ($0.kind, $0) }, uniquingKeysWith: { first, _ in first })

    static func row(for kind: Target.Kind) -> SourceRow? { byKind[kind] }

    /// The kind that reads `platform`'s accounts and posts.
    static func row(for platform: Platform) -> SourceRow? { rows.first { $0.location == .account(platform) } }

    /// The kinds that accept `key`, for a message saying where it belongs.
    static func kinds(accepting key: String) -> [Target.Kind] { rows.filter { $0.keys.contains(key) }.map(\.kind) }

    /// Every kind's name, in the table's order.
    static var names: [String] { rows.map(\.kind.rawValue) }
}
