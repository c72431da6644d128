import NetralExtract

extension Target.Kind {
    /// A local HTML, feed or API-answer file (`path:`).
    public static let file = Target.Kind(rawValue: "file")
}

/// A saved page, feed or Mastodon/Bluesky API answer on disk, read whole and judged as its
/// content says (sniffed from its name and first bytes). Nothing is fetched, pictures neither.
struct FileSource: TargetSource {
    static let row = SourceRow(kind: .file, location: .path, source: { _ in FileSource() })

    func read(_ scan: TargetScan, after headStart: Void) async throws {
        let capture = try Extractor.captureFile(atPath: scan.target.url)
        scan.countRead()
        try await scan.sink.judge(capture, record: .withTarget(digest: nil), fetchesImages: false, in: scan)
    }
}
