/// Why a WARC file could not be read, or not to its end. Every case names the file (its path or
/// URL) and, where there is one, the byte offset of the damage: for a gzipped file, the offset of
/// the gzip member in the compressed file, as `warcio index` prints it.
public enum WARCReadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file cannot be opened or read.
    case unreadableFile(path: String, reason: String)
    /// The file does not start with a WARC record (`WARC/1.0` or `WARC/1.1`, plain or gzipped).
    case notWARC(source: String, found: String)
    /// A record whose Content-Length runs past the end of the file.
    case truncatedRecord(source: String, offset: Int64, declared: Int64, available: Int64)
    /// A record whose header, or whose HTTP message, cannot be read.
    case invalidRecord(source: String, offset: Int64, reason: String)
    /// A gzip member that zlib cannot inflate.
    case corruptGzip(source: String, offset: Int64, reason: String)
    /// A gzip member cut short by the end of the file.
    case truncatedGzip(source: String, offset: Int64)

    public var description: String {
        switch self {
        case let .unreadableFile(path, reason):
            "\(path): cannot read the file: \(reason)"
        case let .notWARC(source, found):
            "\(source): not a WARC file (it starts with \(found), not WARC/1.0 or WARC/1.1)"
        case let .truncatedRecord(source, offset, declared, available):
            "\(source): WARC record at byte offset \(offset) declares Content-Length \(declared) "
                + "but the file ends after \(available) bytes of it"
        case let .invalidRecord(source, offset, reason):
            "\(source): invalid WARC record at byte offset \(offset): \(reason)"
        case let .corruptGzip(source, offset, reason):
            "\(source): corrupt gzip member at byte offset \(offset): \(reason)"
        case let .truncatedGzip(source, offset):
            "\(source): gzip member at byte offset \(offset) is cut short by the end of the file"
        }
    }
}
