import NetralExtract

extension Target.Kind {
    /// An RSS or Atom feed, fetched; each entry is an item.
    public static let feed = Target.Kind(rawValue: "feed")
}

/// A feed is fetched like a page (the same fast path, conditional GET and digest), and its
/// answer is always read as a feed.
enum FeedSource {
    static let row = SourceRow(kind: .feed, location: .url, source: { _ in PageSource(extractAs: .feed) })
}
