public import Foundation
import NetralModel

/// A case file on its way into the state: written to `root/.pending/` before its folder is
/// renamed into place and removed once its row is committed. A run killed in between leaves the
/// marker, and the next run adopts the folder from it whatever the item holds by then, so a
/// case file in place is never left without its row (and a later version names it in
/// `supersedes`). The marker carries what the manifest does not: the target and the listing's
/// acts, author and candidates.
public struct PendingCaseFile: Codable, Sendable, Equatable {
    public var caseID: String
    public var target: String?
    public var acts: String
    public var author: String
    public var candidates: String

    public static let folder = ".pending"

    /// The marker's file name: the case id, and the process and machine writing it, so a run
    /// never takes a live run's marker for a killed one's.
    static func fileName(caseID: String) -> String {
        "\(caseID)-\(getpid())@\(CaseFileWriter.hostName).json"
    }
}

extension CaseFileWriter {
    var pendingRoot: String { (root as NSString).appendingPathComponent(PendingCaseFile.folder) }

    /// Writes the marker, flushed, before the case file's folder is renamed into place.
    func markPending(_ pending: PendingCaseFile) throws(EvidenceError) -> String {
        do {
            try FileManager.default.createDirectory(atPath: pendingRoot, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw EvidenceError(path: pendingRoot, message: "cannot create folder: \(error.localizedDescription)")
        }
        let path = (pendingRoot as NSString).appendingPathComponent(PendingCaseFile.fileName(caseID: pending.caseID))
        let data: Data
        do { data = try NetralJSON.encoder().encode(pending) } catch {
            throw EvidenceError(path: path, message: "cannot encode: \(error)")
        }
        try DurableFile.replace(data, at: path)
        return path
    }

    /// True when a marker names `caseID` (for `verify`: a folder in place whose row the next
    /// run records is no stray).
    public func isPending(caseID: String) -> Bool {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: pendingRoot)) ?? []
        return names.contains { $0.hasPrefix(caseID + "-") && $0.hasSuffix(".json") }
    }

    /// The markers left in the folder: their paths and what they say (nil when unreadable).
    func pendingMarkers() -> [(path: String, marker: PendingCaseFile?, live: Bool)] {
        let all = (try? FileManager.default.contentsOfDirectory(atPath: pendingRoot)) ?? []
        // A marker being written by a run killed before its rename leaves `NAME.tmp-PID`.
        for name in all {
            guard let suffix = name.range(of: ".tmp-", options: .backwards), let pid = Int32(name[suffix.upperBound...]),
                pid != getpid(), kill(pid, 0) != 0, errno != EPERM
            else { continue }
            try? FileManager.default.removeItem(atPath: (pendingRoot as NSString).appendingPathComponent(name))
        }
        let names = all.filter { $0.hasSuffix(".json") }.sorted()
        return names.map { name in
            let path = (pendingRoot as NSString).appendingPathComponent(name)
            let marker = FileManager.default.contents(atPath: path).flatMap { try? NetralJSON.decoder().decode(PendingCaseFile.self, from: $0) }
            // `<id>-<pid>@<host>.json`: live when its process runs here, or on another machine (unknown).
            var live = false
            if let dash = name.lastIndex(of: "-"), let at = name.lastIndex(of: "@"), dash < at {
                let pid = Int32(name[name.index(after: dash)..<at]) ?? 0
                let host = name[name.index(after: at)...].dropLast(".json".count)
                live = host != CaseFileWriter.hostName || (pid != getpid() && (kill(pid, 0) == 0 || errno == EPERM))
            }
            return (path, marker, live)
        }
    }
}

extension CaseFileRecorder {
    /// Records every case file a killed run renamed into place without its row (from the markers
    /// it left), as its manifest says: its creation time, its own `supersedes`. Returns the ids
    /// adopted. A marker whose folder never reached its place is removed; a live run's is left.
    @discardableResult
    public func adoptPending() throws -> [String] {
        var adopted: [String] = []
        for (path, marker, live) in writer.pendingMarkers() {
            guard let marker else {
                // Written in one step, so unreadable means damaged: it names nothing to adopt.
                if !live { try? FileManager.default.removeItem(atPath: path) }
                continue
            }
            if try store.caseFile(id: marker.caseID) == nil {
                let relative = CaseFileWriter.relativePath(caseID: marker.caseID)
                guard let folder = try? CaseFolder(evidenceRoot: writer.root, relativePath: relative) else {
                    if !live { try? FileManager.default.removeItem(atPath: path) }
                    continue
                }
                let manifest = folder.manifest
                let findings = (try? folder.findings()) ?? []
                try store.recordCaseFile(
                    StoredCaseFile(
                        id: manifest.caseID, itemID: manifest.itemID, contentDigest: manifest.contentDigest, path: relative,
                        manifestSHA256: folder.manifestSHA256, supersedes: manifest.supersedes?.caseID, createdAt: manifest.createdAt,
                        acts: marker.acts, severity: manifest.severity, author: marker.author,
                        candidates: marker.candidates),
                    findings: findings, caseFilePath: writer.path(caseID: marker.caseID), target: marker.target)
                adopted.append(marker.caseID)
            }
            try? FileManager.default.removeItem(atPath: path)
        }
        return adopted
    }
}
