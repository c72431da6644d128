public import NetralModel

/// The items of one source and what could not be read on the way.
public struct SourceExtraction: Sendable, Equatable {
    public var items: [Item]
    /// Entries, records or bytes skipped, each with where and why.
    public var warnings: [String]

    public init(items: [Item] = [], warnings: [String] = []) {
        self.items = items
        self.warnings = warnings
    }
}
