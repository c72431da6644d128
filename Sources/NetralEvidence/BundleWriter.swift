public import Foundation
import Crypto
public import NetralModel

/// Why a bundle could not be written.
public struct EvidenceError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var message: String

    public var description: String { "\(path): \(message)" }
}

/// Everything a bundle records about one finding.
public struct BundleContent: Sendable {
    public var capture: Capture
    public var item: Item
    public var finding: Finding
    /// Every pack loaded when the item was judged.
    public var packs: [PackReference]

    public init(capture: Capture, item: Item, finding: Finding, packs: [PackReference]) {
        self.capture = capture
        self.item = item
        self.finding = finding
        self.packs = packs
    }
}

/// Where a bundle is, and whether this call created it.
public struct BundleOutcome: Sendable, Equatable {
    public var path: String
    /// False when a bundle for the same finding already existed and was left untouched.
    public var created: Bool
}

/// Writes evidence bundles: one folder per finding under `root/YYYY/MM/DD/<finding-id>/`.
///
/// A bundle is assembled in a temporary folder inside `root` and renamed into place in one
/// step, so a reader never sees half a bundle and a killed run leaves only a temporary folder
/// (removed by the next run). Files are readable by the owner only: bundles hold personal data.
public struct BundleWriter: Sendable {
    public let root: String

    public init(root: String) {
        self.root = root
    }

    static let temporaryFolder = ".incomplete"

    /// The folder of a bundle for a finding fetched at `date`.
    public func bundlePath(findingID: String, fetchedAt date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        let day = String(format: "%04d/%02d/%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
        return (root as NSString).appendingPathComponent("\(day)/\(findingID)")
    }

    /// Writes the bundle unless one for the same finding exists at its path.
    public func write(_ content: BundleContent, now: Date = Date()) throws -> BundleOutcome {
        let finalPath = bundlePath(findingID: content.finding.id, fetchedAt: content.capture.fetchedAt)
        let fileManager = FileManager.default
        if fileManager.fileExists(atPath: (finalPath as NSString).appendingPathComponent("manifest.json")) {
            return BundleOutcome(path: finalPath, created: false)
        }
        let temporaryRoot = (root as NSString).appendingPathComponent(Self.temporaryFolder)
        let temporaryPath = (temporaryRoot as NSString).appendingPathComponent("\(content.finding.id)-\(UUID().uuidString)")
        do {
            try makeDirectory(temporaryPath)
            var files: [BundleManifest.File] = []
            func add(_ name: String, _ data: Data) throws {
                let path = (temporaryPath as NSString).appendingPathComponent(name)
                try Self.writeDurably(data, to: path)
                files.append(BundleManifest.File(path: name, sha256: Self.sha256Hex(data), size: data.count))
            }
            let encoder = NetralJSON.encoder()
            try add("capture.\(Self.bodyExtension(for: content.capture))", content.capture.body)
            // Request and response metadata; not "capture.json", which a JSON body (an API answer) takes.
            try add("exchange.json", encoder.encode(content.capture))
            try add("item.json", encoder.encode(content.item))
            try add("finding.json", encoder.encode(content.finding))
            try add("report.html", Data(ReportRenderer.render(content, createdAt: now).utf8))

            let manifest = BundleManifest(
                format: 1,
                findingID: content.finding.id,
                rule: content.finding.rule,
                act: content.finding.act,
                severity: content.finding.severity,
                sourceURL: content.item.sourceURL,
                fetchedAt: content.capture.fetchedAt,
                createdAt: now,
                tool: .init(name: "netral", version: NetralVersion.current),
                packs: content.packs,
                files: files
            )
            let manifestPath = (temporaryPath as NSString).appendingPathComponent("manifest.json")
            try Self.writeDurably(try encoder.encode(manifest), to: manifestPath)
            Self.syncDirectory(temporaryPath)
            let parent = (finalPath as NSString).deletingLastPathComponent
            try makeDirectory(parent)
            // rename(2) moves the whole folder in one step, and refuses if the target is a
            // non-empty folder.
            if rename(temporaryPath, finalPath) != 0 {
                let code = errno
                try? fileManager.removeItem(atPath: temporaryPath)
                let manifestExists = fileManager.fileExists(atPath: (finalPath as NSString).appendingPathComponent("manifest.json"))
                if (code == EEXIST || code == ENOTEMPTY) && manifestExists { return BundleOutcome(path: finalPath, created: false) }
                throw EvidenceError(path: finalPath, message: "cannot move bundle into place: \(String(cString: strerror(code)))")
            }
            Self.syncDirectory(parent)
            return BundleOutcome(path: finalPath, created: true)
        } catch let error as EvidenceError {
            try? fileManager.removeItem(atPath: temporaryPath)
            throw error
        } catch {
            try? fileManager.removeItem(atPath: temporaryPath)
            throw EvidenceError(path: finalPath, message: "cannot write bundle: \(error)")
        }
    }

    /// Removes temporary folders left by a run that was killed while writing.
    public func removeIncomplete() {
        let temporaryRoot = (root as NSString).appendingPathComponent(Self.temporaryFolder)
        try? FileManager.default.removeItem(atPath: temporaryRoot)
    }

    private func makeDirectory(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }

    /// Writes a new file readable by the owner only and flushes it to disk, so a bundle renamed
    /// into place after a crash never holds empty or half-written files.
    static func writeDurably(_ data: Data, to path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw EvidenceError(path: path, message: "cannot create file: \(String(cString: strerror(errno)))")
        }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        do {
            try handle.write(contentsOf: data)
            try handle.synchronize()
        } catch {
            throw EvidenceError(path: path, message: "cannot write file: \(error.localizedDescription)")
        }
    }

    /// Flushes a folder's entries (new files, a rename) to disk; best effort.
    static func syncDirectory(_ path: String) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }

    static func sha256Hex(_ data: Data) -> String {
        hexString(SHA256.hash(data: data))
    }

    /// A file extension for the raw body, so a reviewer's system opens it sensibly.
    static func bodyExtension(for capture: Capture) -> String {
        switch capture.mediaType {
        case let type? where type.contains("html"): "html"
        case let type? where type.contains("json"): "json"
        case let type? where type.contains("xml"): "xml"
        case let type? where type.hasPrefix("text/"): "txt"
        case nil where capture.finalURL.hasSuffix(".html") || capture.finalURL.hasSuffix(".htm"): "html"
        default: "body"
        }
    }
}
