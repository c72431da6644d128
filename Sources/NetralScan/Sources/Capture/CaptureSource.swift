import Crypto
import Foundation
import Logging
import NetralExtract
import NetralModel
import NetralStore
import NetralWARC

extension Target.Kind {
    /// A local folder (`path:`) of what analysts captured while browsing (WACZ, WARC, saved
    /// pages) and what citizens sent in (screenshots, WhatsApp chat exports).
    public static let capture = Target.Kind(rawValue: "capture")
}

/// A capture folder: every file in it (and its subfolders) read once, each response inside
/// routed to its platform's parser by URL (`CaptureRouter`). A file is known by its `file://`
/// URL and the SHA-256 of its bytes and the packs: a rescan reads only new or changed files and
/// files nothing new. A file that cannot be read (a WACZ whose digest does not match, a path
/// outside its archive, a truncated zip, an image bomb) is skipped with its reason; the others
/// are read, then the target fails naming the files skipped, and they are tried again next run.
/// Nothing is fetched: a post's pictures are those the capture holds.
struct CaptureSource: TargetSource {
    static let row = SourceRow(kind: .capture, location: .path, maxPages: (10_000, 1...100_000), source: { _ in CaptureSource() })

    /// Files larger than this are not read (a WACZ is streamed; other files are read whole).
    static let maxFileBytes: Int64 = 16 * 1024 * 1024 * 1024
    static let maxWholeFileBytes = 256 * 1024 * 1024

    func read(_ scan: TargetScan, after headStart: Void) async throws {
        let files = try CaptureFolder.files(in: scan.target.url, limit: scan.target.maxPages, logger: scan.logger)
        let router = CaptureRouter(scan: scan)
        var problems: [String] = []
        for file in files {
            try Task.checkCancellation()
            let url = URL(fileURLWithPath: file.path).absoluteString
            let digest: String
            do {
                digest = try scan.sink.judge.digest(ofFile: file.path)
            } catch {
                problems.append("\(file.name): \(error)")
                continue
            }
            if try scan.sink.memory(url: url)?.bodyDigest == digest {
                scan.sink.summary.unchanged += 1
                continue
            }
            scan.countRead()
            do {
                try await router.read(file)
            } catch let abort as RunAbort {
                throw abort
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                let reason = "\(error)"
                scan.logger.warning("capture file not read", metadata: ["file": "\(file.name)", "reason": "\(reason)"])
                try scan.sink.recordFailure(url: url, status: nil, message: reason)
                problems.append("\(file.name): \(reason)")
                continue
            }
            let marker = Capture(
                requestURL: url, finalURL: url, status: 0, headers: [], body: Data(), fetchedAt: Date())
            try scan.sink.read(file: marker, digest: digest, in: scan)
        }
        if !problems.isEmpty {
            throw TargetError(
                "\(problems.count) of \(files.count) files not read: " + problems.prefix(5).joined(separator: "; ")
                    + (problems.count > 5 ? "; …" : ""))
        }
    }
}

/// The files of a capture folder, in name order: regular files under it, hidden ones and
/// symbolic links left out (a link could lead outside the folder), at most `limit`.
enum CaptureFolder {
    struct File {
        var path: String
        /// The path inside the folder, as messages name it.
        var name: String
    }

    static func files(in folder: String, limit: Int, logger: Logger) throws -> [File] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw TargetError("\(folder): not a folder (a capture target names a folder of captures and tips)")
        }
        let root = URL(fileURLWithPath: folder).standardizedFileURL
        guard
            let walker = FileManager.default.enumerator(
                at: root, includingPropertiesForKeys: [.isRegularFileKey, .isSymbolicLinkKey], options: [.skipsHiddenFiles])
        else { throw TargetError("\(folder): cannot list the folder") }
        var files: [File] = []
        var skipped = 0
        for case let url as URL in walker {
            let values = try? url.resourceValues(forKeys: [.isRegularFileKey, .isSymbolicLinkKey])
            guard values?.isSymbolicLink != true, values?.isRegularFile == true else { continue }
            let path = url.standardizedFileURL.path
            let name = String(path.dropFirst(root.path.count).drop(while: { $0 == "/" }))
            files.append(File(path: path, name: name))
        }
        files.sort { $0.name < $1.name }
        if files.count > limit {
            skipped = files.count - limit
            files.removeLast(skipped)
            logger.warning("capture folder: files over max_pages left for later", metadata: ["skipped": "\(skipped)"])
        }
        return files
    }
}

extension Judge {
    /// SHA-256 of a file's bytes (read in 1 MiB chunks) and of the packs, as `digest(_:)` of a
    /// capture with that body: a file is judged again only when it or the packs change.
    func digest(ofFile path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw TargetError("\(path): cannot read the file") }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        return digest(continuing: hasher)
    }
}
