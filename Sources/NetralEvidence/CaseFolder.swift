public import Foundation
import Crypto
public import NetralModel
import NetralWARC

/// Why a part of a case file's folder could not be read: which path, and what is wrong with it.
public struct CaseFolderError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Problem: Sendable, Equatable {
        /// The state's path for the case file leaves the evidence folder (absolute, `..`, `.`),
        /// or a file name leaves the case file's folder.
        case outsideFolder
        /// A symlink where a file or folder should be; never followed.
        case symlink
        /// Larger than the reader reads into memory.
        case tooLarge(limit: Int)
        case missing
        /// A folder, a device or a socket where a file should be.
        case notRegularFile
        /// The file is there but could not be read.
        case unreadable(String)
        /// The file was read but does not hold what its name says (JSON that does not decode).
        case undecodable(String)
        /// A file the manifest does not list: not part of this case file.
        case notInManifest
    }

    /// The path read (or asked for).
    public var path: String
    public var problem: Problem

    public var description: String { "\(path): \(reasons.english)" }

    /// What is wrong, for the reviewer (the desk), in Bahasa Indonesia.
    public var reviewerDescription: String { "\(path): \(reasons.indonesian)" }

    private var reasons: (english: String, indonesian: String) {
        switch problem {
        case .outsideFolder: ("outside the evidence folder", "keadaan (state) mencatat jalur berkas perkara di luar folder bukti")
        case .symlink: ("is a symlink", "berupa tautan simbolik")
        case .tooLarge(let limit): ("larger than \(limit) bytes", "lebih besar dari \(limit) bita")
        case .missing: ("missing", "tidak ada")
        case .notRegularFile: ("not a regular file", "bukan berkas biasa")
        case .unreadable(let detail): ("unreadable: \(detail)", "tidak terbaca: \(detail)")
        case .undecodable(let detail): ("cannot be read: \(detail)", "isinya tidak terbaca: \(detail)")
        case .notInManifest: ("not a file of this case file", "bukan berkas dari berkas perkara ini")
        }
    }
}

/// One case file's folder, read: the one reader of the case-file format, used by the desk, the
/// exports, `verify` and the version history. Every read is guarded the same way: a path from
/// the state never leaves the evidence folder, a symlink is never followed, only files the
/// manifest lists are handed out, and a file is read into memory only up to `maxFileBytes`
/// (hashing streams, so `verify` checks a file of any size).
public struct CaseFolder: Sendable {
    /// The largest file read into memory for one answer.
    public static let maxFileBytes = 32 * 1024 * 1024
    public static let itemFileName = "item.json"
    public static let findingsFileName = "findings.json"
    public static let reportFileName = "report.html"
    public static let warcFileName = "capture.warc.gz"

    /// The folder.
    public let path: String
    /// `manifest.json` as it is on disk, and as decoded.
    public let manifestData: Data
    public let manifest: CaseManifest
    /// Lowercase hex SHA-256 of `manifestData`: what the state recorded when the case file was
    /// written, unless someone changed it since.
    public let manifestSHA256: String

    /// The folder of a case file the state records at `relativePath` below `evidenceRoot`. A
    /// path that would leave the root is refused.
    public static func path(of relativePath: String, evidenceRoot: String) throws(CaseFolderError) -> String {
        let parts = relativePath.split(separator: "/")
        guard !relativePath.hasPrefix("/"), !parts.isEmpty, !parts.contains(where: { $0 == ".." || $0 == "." }) else {
            throw CaseFolderError(path: relativePath, problem: .outsideFolder)
        }
        return (evidenceRoot as NSString).appendingPathComponent(relativePath)
    }

    /// Opens the case file the state records at `relativePath` below `evidenceRoot`.
    public init(evidenceRoot: String, relativePath: String) throws(CaseFolderError) {
        try self.init(path: Self.path(of: relativePath, evidenceRoot: evidenceRoot))
    }

    /// Opens the case file in `path`: reads and decodes its manifest.
    public init(path: String) throws(CaseFolderError) {
        try self.init(path: path, manifestData: Self.readManifest(in: path))
    }

    /// Decodes manifest bytes already read from `path` with `readManifest(in:)` (`verify`
    /// hashes them before it knows whether they decode).
    public init(path: String, manifestData: Data) throws(CaseFolderError) {
        do {
            manifest = try NetralJSON.decoder().decode(CaseManifest.self, from: manifestData)
        } catch {
            throw CaseFolderError(path: (path as NSString).appendingPathComponent(CaseManifest.fileName),
                                  problem: .undecodable(error.localizedDescription))
        }
        self.path = path
        self.manifestData = manifestData
        manifestSHA256 = hexString(SHA256.hash(data: manifestData))
    }

    /// The bytes of `manifest.json` in `folder`; the folder itself must not be a symlink.
    public static func readManifest(in folder: String) throws(CaseFolderError) -> Data {
        switch FileKind(folder) {
        case .directory: break
        case .symlink: throw CaseFolderError(path: folder, problem: .symlink)
        case .missing: throw CaseFolderError(path: folder, problem: .missing)
        case .regular, .other: throw CaseFolderError(path: folder, problem: .notRegularFile)
        }
        return try readFile((folder as NSString).appendingPathComponent(CaseManifest.fileName))
    }

    /// The extracted item (NIP-masked by the writer).
    public func item() throws(CaseFolderError) -> Item {
        try decode(Item.self, Self.itemFileName)
    }

    /// Every finding on the item (NIP-masked by the writer).
    public func findings() throws(CaseFolderError) -> [Finding] {
        try decode([Finding].self, Self.findingsFileName)
    }

    /// The bytes of one file the manifest lists.
    public func data(_ name: String) throws(CaseFolderError) -> Data {
        try Self.readFile(try listedPath(name))
    }

    /// The manifest's signature or time-stamp token (`signature.json`, `timestamp.tst`), which
    /// the manifest cannot list because they are made over it; nil when the folder has none.
    public func companion(_ name: String) throws(CaseFolderError) -> Data? {
        guard name == ManifestSignature.fileName || name == Timestamper.tokenFileName else {
            throw CaseFolderError(path: name, problem: .notInManifest)
        }
        let companionPath = try filePath(name)
        guard FileKind(companionPath) != .missing else { return nil }
        return try Self.readFile(companionPath)
    }

    /// The SHA-256 (lowercase hex) and size of one file of the folder, read in chunks, so a
    /// large capture is checked without being held in memory.
    public func digest(_ name: String) throws(CaseFolderError) -> (sha256: String, size: Int) {
        let filePath = try filePath(name)
        try Self.checkRegularFile(filePath)
        guard let handle = FileHandle(forReadingAtPath: filePath) else {
            throw CaseFolderError(path: filePath, problem: .unreadable("cannot open"))
        }
        defer { try? handle.close() }
        var hash = SHA256()
        var size = 0
        do {
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                hash.update(data: chunk)
                size += chunk.count
            }
        } catch {
            throw CaseFolderError(path: filePath, problem: .unreadable(error.localizedDescription))
        }
        return (hexString(hash.finalize()), size)
    }

    /// The name of the archived copy (`capture.html`, `capture.json`, ...), as the manifest lists it.
    public var captureFileName: String? {
        manifest.files.map(\.path).first { $0.hasPrefix("capture.") && $0 != Self.warcFileName }
    }

    /// Image types a browser shows without running anything (no SVG: it can carry scripts).
    public static let photoTypes: Set<String> = ["image/jpeg", "image/png", "image/gif", "image/webp"]

    /// The post's images kept in the capture's WARC (response records of `photoTypes`, after the
    /// page itself), in order, at most `CaseFile.maxImages`.
    public func photos() throws -> [Capture] {
        guard manifest.files.contains(where: { $0.path == Self.warcFileName }) else { return [] }
        let warcPath = try listedPath(Self.warcFileName)
        try Self.checkRegularFile(warcPath)
        let reader = try WARCReader(path: warcPath)
        var photos: [Capture] = []
        while let record = try reader.next() {
            guard let capture = try record.responseCapture(), let type = capture.mediaType?.lowercased(),
                  Self.photoTypes.contains(type) else { continue }
            photos.append(capture)
            if photos.count >= CaseFile.maxImages { break }
        }
        return photos
    }

    /// The path of `name` inside the folder: one plain name, never a way out of it.
    public func filePath(_ name: String) throws(CaseFolderError) -> String {
        guard !name.isEmpty, !name.contains("/"), !name.hasPrefix(".") else {
            throw CaseFolderError(path: name, problem: .outsideFolder)
        }
        return (path as NSString).appendingPathComponent(name)
    }

    private func listedPath(_ name: String) throws(CaseFolderError) -> String {
        guard manifest.files.contains(where: { $0.path == name }) else { throw CaseFolderError(path: name, problem: .notInManifest) }
        return try filePath(name)
    }

    private func decode<Value: Decodable>(_ type: Value.Type, _ name: String) throws(CaseFolderError) -> Value {
        let data = try data(name)
        do {
            return try NetralJSON.decoder().decode(type, from: data)
        } catch {
            throw CaseFolderError(path: (path as NSString).appendingPathComponent(name), problem: .undecodable("\(error)"))
        }
    }

    /// Reads one file whole: a regular file (never through a symlink) of at most `maxFileBytes`.
    public static func readFile(_ path: String) throws(CaseFolderError) -> Data {
        let size = try checkRegularFile(path)
        guard size <= maxFileBytes else { throw CaseFolderError(path: path, problem: .tooLarge(limit: maxFileBytes)) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CaseFolderError(path: path, problem: .unreadable("cannot open"))
        }
        return data
    }

    /// Refuses anything but a regular file; returns its size.
    @discardableResult
    static func checkRegularFile(_ path: String) throws(CaseFolderError) -> Int {
        // FileManager reads the entry itself (lstat), never what a symlink points to.
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        switch FileKind(attributes) {
        case .regular: return (attributes?[.size] as? NSNumber)?.intValue ?? 0
        case .symlink: throw CaseFolderError(path: path, problem: .symlink)
        case .missing: throw CaseFolderError(path: path, problem: .missing)
        case .directory, .other: throw CaseFolderError(path: path, problem: .notRegularFile)
        }
    }
}

/// What an entry of the evidence folder is, without following a symlink.
public enum FileKind: Sendable, Equatable {
    case missing
    case regular
    case directory
    case symlink
    case other

    public init(_ path: String) {
        self.init(try? FileManager.default.attributesOfItem(atPath: path))
    }

    init(_ attributes: [FileAttributeKey: Any]?) {
        guard let attributes else {
            self = .missing
            return
        }
        switch attributes[.type] as? FileAttributeType {
        case .typeSymbolicLink?: self = .symlink
        case .typeDirectory?: self = .directory
        case .typeRegular?: self = .regular
        default: self = .other
        }
    }
}
