import Crypto
public import Foundation
import ZIPFoundation

/// Why a WACZ package, or one of its files, could not be used. Every case names the package.
public struct WACZError: Error, Sendable, Equatable, CustomStringConvertible {
    public var package: String
    /// The entry inside the package, when the problem is one entry's.
    public var entry: String?
    public var reason: String

    public init(package: String, entry: String? = nil, reason: String) {
        self.package = package
        self.entry = entry
        self.reason = reason
    }

    public var description: String { "\(package)" + (entry.map { " (\($0))" } ?? "") + ": \(reason)" }
}

/// One page an analyst visited, from the package's `pages/pages.jsonl`.
public struct WACZPage: Sendable, Equatable {
    public var url: String
    /// The visit's time as the capture tool wrote it (ISO 8601).
    public var timestamp: String?
    public var title: String?
}

/// A WACZ package (Web Archive Collection Zipped, 1.0 and 1.1) as browser-capture tools write
/// it: WARCs under `archive/`, the pages visited in `pages/pages.jsonl`, every file's size and
/// SHA-256 in `datapackage.json` (and, when signed, that file's digest in
/// `datapackage-digest.json`). Read with ZIPFoundation, entry by entry, nothing unpacked beside
/// the package: a WARC is streamed into a private temporary file while its digest is checked,
/// read from there, and the file is removed.
///
/// Refused at once: a file that is not a ZIP or is cut short, an entry or a listed resource whose
/// path leaves the package (`../`, an absolute path), ZIP64 sizes beyond the caps, a package
/// without `datapackage.json`. Refused per entry: a digest or size that does not match the
/// package's list (a WARC whose bytes changed after the capture is never read), an entry larger
/// than its cap. The signature in `datapackage-digest.json` is not checked (its key belongs to the
/// capture tool's operator); the digest it states of `datapackage.json` is.
public final class WACZPackage {
    /// A listed file: its path inside the package and the digest and size the package states.
    public struct Resource: Sendable, Equatable {
        public var path: String
        /// Lowercase hex SHA-256, when listed.
        public var sha256: String?
        public var bytes: Int64?
    }

    /// The largest WARC read from a package.
    public static let maxWARCBytes: Int64 = 8 * 1024 * 1024 * 1024
    /// The largest metadata file read whole (`datapackage.json`, `pages.jsonl`).
    public static let maxMetadataBytes = 64 * 1024 * 1024
    /// The most entries a package may hold.
    public static let maxEntries = 100_000
    /// The most pages kept from `pages.jsonl`.
    public static let maxPages = 100_000

    /// The package's path, as errors name it.
    public let path: String
    /// `wacz_version` from `datapackage.json`.
    public private(set) var version: String?
    /// The files `datapackage.json` lists, in its order.
    public private(set) var resources: [Resource] = []
    /// What was noticed and tolerated (an entry the package does not list, a page line that
    /// cannot be read), in order.
    public private(set) var warnings: [String] = []

    private let archive: Archive
    private var entries: [String: Entry] = [:]

    /// Opens the package and reads its `datapackage.json` (checked against
    /// `datapackage-digest.json` when there is one).
    public init(path: String) throws(WACZError) {
        self.path = path
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw WACZError(package: path, reason: "not a readable ZIP archive (\(error)); cut short or not a WACZ")
        }
        var count = 0
        for entry in archive {
            count += 1
            guard count <= Self.maxEntries else { throw WACZError(package: path, reason: "more than \(Self.maxEntries) entries") }
            guard Self.isInside(entry.path) else {
                throw WACZError(package: path, entry: entry.path, reason: "an entry's path leads outside the package; not read")
            }
            guard entry.type == .file else { continue }
            entries[entry.path] = entry
        }
        guard let listing = entries["datapackage.json"] else {
            throw WACZError(package: path, reason: "no datapackage.json (not a WACZ package, or its directory is damaged)")
        }
        let listingBytes = try contents(listing, limit: Self.maxMetadataBytes)
        if let digestEntry = entries["datapackage-digest.json"] {
            let stated = try Self.statedDigest(of: contents(digestEntry, limit: Self.maxMetadataBytes), package: path)
            let actual = Self.hex(SHA256.hash(data: listingBytes))
            if let stated, stated != actual {
                throw WACZError(
                    package: path, entry: "datapackage.json",
                    reason: "SHA-256 \(actual) differs from \(stated) stated in datapackage-digest.json (changed after capture)")
            }
        }
        try readListing(listingBytes)
        let listed = Set(resources.map(\.path))
        for name in entries.keys.sorted()
        where !listed.contains(name) && name != "datapackage.json" && name != "datapackage-digest.json" {
            warnings.append("\(path): \(name) is not listed in datapackage.json; not read")
        }
    }

    /// The WARCs the package lists (`.warc`, `.warc.gz`), in its order.
    public var warcPaths: [String] {
        resources.map(\.path).filter { name in
            let lower = name.lowercased()
            return lower.hasSuffix(".warc") || lower.hasSuffix(".warc.gz")
        }
    }

    /// The pages of `pages/pages.jsonl` and `pages/extraPages.jsonl`, digests checked; a line
    /// that cannot be read is a warning.
    public func pages() throws(WACZError) -> [WACZPage] {
        var pages: [WACZPage] = []
        for name in ["pages/pages.jsonl", "pages/extraPages.jsonl"] {
            guard let entry = entries[name] else { continue }
            let data = try checked(name, contents(entry, limit: Self.maxMetadataBytes))
            var lineNumber = 0
            for line in data.split(separator: UInt8(ascii: "\n")) {
                lineNumber += 1
                guard pages.count < Self.maxPages else {
                    warnings.append("\(path): \(name): pages after \(Self.maxPages) not read")
                    break
                }
                guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else {
                    warnings.append("\(path): \(name) line \(lineNumber) is not a JSON object; skipped")
                    continue
                }
                // The first line is the file's header (`format`, `id`, `title`), not a page.
                guard let url = object["url"] as? String else { continue }
                pages.append(WACZPage(url: url, timestamp: object["ts"] as? String, title: object["title"] as? String))
            }
        }
        return pages
    }

    /// Streams the WARC `name` into a private temporary file, checking its size and SHA-256
    /// against the package's list, then hands the file's path to `body` and removes the file.
    ///
    /// - Throws: `WACZError` when the entry is missing, over `maxWARCBytes`, damaged, or its
    ///   digest differs from the listed one (then `body` is never called).
    public func withWARC<T>(_ name: String, _ body: (String) async throws -> T) async throws -> T {
        guard let entry = entries[name] else { throw WACZError(package: path, entry: name, reason: "listed but not in the package") }
        let suffix = name.lowercased().hasSuffix(".gz") ? ".warc.gz" : ".warc"
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("netral-wacz-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        } catch {
            throw WACZError(package: path, entry: name, reason: "cannot make a temporary folder: \(error.localizedDescription)")
        }
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("record" + suffix)
        guard FileManager.default.createFile(atPath: file.path, contents: nil), let handle = try? FileHandle(forWritingTo: file) else {
            throw WACZError(package: path, entry: name, reason: "cannot write a temporary copy")
        }
        var hasher = SHA256()
        do {
            defer { try? handle.close() }
            try stream(entry, limit: Self.maxWARCBytes) { chunk in
                hasher.update(data: chunk)
                try handle.write(contentsOf: chunk)
            }
        } catch let error as WACZError {
            throw error
        } catch {
            throw WACZError(package: path, entry: name, reason: "cannot write a temporary copy: \(error.localizedDescription)")
        }
        try verify(name, digest: Self.hex(hasher.finalize()), bytes: Int64(entry.uncompressedSize))
        return try await body(file.path)
    }

    // MARK: - Entries

    /// A whole entry, at most `limit` bytes, CRC-32 checked.
    private func contents(_ entry: Entry, limit: Int) throws(WACZError) -> Data {
        var data = Data()
        try stream(entry, limit: Int64(limit)) { data.append($0) }
        return data
    }

    /// An entry's bytes in chunks, refused past `limit` bytes (counted as they come, whatever the
    /// header declares) or when the CRC-32 differs.
    private func stream(_ entry: Entry, limit: Int64, _ consume: (Data) throws -> Void) throws(WACZError) {
        guard entry.uncompressedSize <= UInt64(limit) else {
            throw WACZError(package: path, entry: entry.path, reason: "declares \(entry.uncompressedSize) bytes, over the cap of \(limit)")
        }
        var produced: Int64 = 0
        let checksum: CRC32
        do {
            checksum = try archive.extract(entry, skipCRC32: false) { chunk in
                produced += Int64(chunk.count)
                guard produced <= limit else { throw WACZError(package: path, entry: entry.path, reason: "inflates past \(limit) bytes") }
                try consume(chunk)
            }
        } catch let error as WACZError {
            throw error
        } catch {
            throw WACZError(package: path, entry: entry.path, reason: "damaged entry (\(error))")
        }
        guard checksum == entry.checksum else {
            throw WACZError(package: path, entry: entry.path, reason: "CRC-32 does not match (damaged or altered)")
        }
    }

    // MARK: - datapackage.json

    private func readListing(_ data: Data) throws(WACZError) {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw WACZError(package: path, entry: "datapackage.json", reason: "not a JSON object")
        }
        version = object["wacz_version"] as? String
        guard let list = object["resources"] as? [[String: Any]] else {
            throw WACZError(package: path, entry: "datapackage.json", reason: "no `resources` list")
        }
        for (index, resource) in list.enumerated() {
            guard let name = resource["path"] as? String else {
                warnings.append("\(path): datapackage.json resource \(index + 1) has no path; skipped")
                continue
            }
            guard Self.isInside(name) else {
                throw WACZError(package: path, entry: name, reason: "a listed resource's path leads outside the package; not read")
            }
            // WACZ 1.1: "hash": "sha256:<hex>", "bytes"; WACZ 1.0: "stats": {"hash", "bytes"}, "hashing": "sha256".
            let stats = resource["stats"] as? [String: Any]
            var hash = (resource["hash"] as? String) ?? (stats?["hash"] as? String)
            let scheme = (resource["hashing"] as? String)?.lowercased()
            if let value = hash, let colon = value.firstIndex(of: ":") {
                hash = value[value.startIndex..<colon].lowercased() == "sha256" ? String(value[value.index(after: colon)...]) : nil
            } else if scheme != nil, scheme != "sha256" {
                hash = nil
            }
            if hash == nil { warnings.append("\(path): \(name) has no SHA-256 in datapackage.json; its bytes cannot be checked") }
            let bytes = ((resource["bytes"] as? NSNumber) ?? (stats?["bytes"] as? NSNumber))?.int64Value
            resources.append(Resource(path: name, sha256: hash?.lowercased(), bytes: bytes))
        }
    }

    /// Checks a metadata entry's digest; returns its bytes.
    private func checked(_ name: String, _ data: Data) throws(WACZError) -> Data {
        try verify(name, digest: Self.hex(SHA256.hash(data: data)), bytes: Int64(data.count))
        return data
    }

    private func verify(_ name: String, digest: String, bytes: Int64) throws(WACZError) {
        guard let resource = resources.first(where: { $0.path == name }) else {
            throw WACZError(package: path, entry: name, reason: "not listed in datapackage.json; not read")
        }
        if let stated = resource.bytes, stated != bytes {
            throw WACZError(package: path, entry: name, reason: "\(bytes) bytes, but datapackage.json states \(stated) (changed after capture)")
        }
        if let stated = resource.sha256, stated != digest {
            throw WACZError(
                package: path, entry: name, reason: "SHA-256 \(digest) differs from \(stated) in datapackage.json (changed after capture)")
        }
    }

    /// `datapackage-digest.json`'s digest of `datapackage.json` (`{"path", "hash": "sha256:…"}`).
    private static func statedDigest(of data: Data, package: String) throws(WACZError) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw WACZError(package: package, entry: "datapackage-digest.json", reason: "not a JSON object")
        }
        guard let hash = object["hash"] as? String, hash.lowercased().hasPrefix("sha256:") else { return nil }
        return String(hash.dropFirst("sha256:".count)).lowercased()
    }

    /// Whether a path stays inside the package: relative, no `..` component, no NUL.
    static func isInside(_ name: String) -> Bool {
        guard !name.isEmpty, !name.hasPrefix("/"), !name.hasPrefix("\\"), !name.contains("\0") else { return false }
        if name.count >= 2, name.dropFirst().first == ":" { return false }  // C:\…
        return !name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).contains("..")
    }

    static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { byte in (byte < 16 ? "0" : "") + String(byte, radix: 16) }.joined()
    }
}
