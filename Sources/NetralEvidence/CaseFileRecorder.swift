public import Foundation
import NetralModel

/// Files case files and records them in the state: the one call the scanner makes per judged
/// item with findings. Links an edited item's new case file to its earlier one, and
/// reconciles a case file that was renamed into place by a run killed before its row was written.
public struct CaseFileRecorder: Sendable {
    public let writer: CaseFileWriter
    public let store: any CaseFileLedger

    public init(writer: CaseFileWriter, store: any CaseFileLedger) {
        self.writer = writer
        self.store = store
    }

    /// Writes (or finds) the case file of `caseFile` and records it and its findings.
    public func file(_ caseFile: CaseFile, now: Date = Date()) throws -> CaseFileOutcome {
        let caseID = caseFile.id
        if let known = try store.caseFile(id: caseID) {
            return CaseFileOutcome(caseID: caseID, path: writer.path(caseID: caseID), relativePath: known.path,
                                   manifestSHA256: known.manifestSHA256, created: false, supersedes: known.supersedes)
        }
        var supersedes: CaseManifest.Supersedes?
        if let earlier = try store.latestCaseFile(itemID: caseFile.item.identityURL), earlier.id != caseID {
            supersedes = CaseManifest.Supersedes(
                caseID: earlier.id, path: earlier.path, manifestDigest: earlier.manifestSHA256,
                changes: CaseChanges.describe(earlier: earlier, evidenceRoot: writer.root, now: caseFile)
            )
        }
        let outcome = try writer.write(caseFile, supersedes: supersedes, now: now)
        try store.recordCaseFile(StoredCaseFile(
            id: caseID, itemID: caseFile.item.identityURL, contentDigest: caseFile.contentDigest, path: outcome.relativePath,
            manifestSHA256: outcome.manifestSHA256, supersedes: supersedes?.caseID, createdAt: now,
            acts: caseFile.acts.joined(separator: ","), severity: caseFile.severity,
            author: NIPMasking.mask(caseFile.who), candidates: caseFile.candidateLabels.joined(separator: "; ")
        ), findings: caseFile.findings, caseFilePath: outcome.path, target: caseFile.target)
        return outcome
    }

    /// Rewrites `index.html` of the evidence folder from the state.
    public func writeIndex(now: Date = Date()) throws {
        try EvidenceIndex.write(root: writer.root, caseFiles: store.caseFiles(), superseded: store.supersededCaseFileIDs(), now: now)
    }
}

/// What changed between an item's earlier case file and its new content, in Bahasa Indonesia.
enum CaseChanges {
    static func describe(earlier stored: StoredCaseFile, evidenceRoot: String, now caseFile: CaseFile) -> [String] {
        // A version history that cannot be read never stops the new case file: it says so.
        guard let folder = try? CaseFolder(evidenceRoot: evidenceRoot, relativePath: stored.path), let earlier = try? folder.item() else {
            return ["Berkas kasus sebelumnya tidak dapat dibaca; perubahan tidak dapat dirinci."]
        }
        let current = Masked.item(caseFile.item)
        var changes: [String] = []
        func compare(_ label: String, _ before: String?, _ after: String?) {
            let old = before ?? "", new = after ?? ""
            guard old != new else { return }
            if old.isEmpty {
                changes.append("\(label) ditambahkan (\(new.count) karakter).")
            } else if new.isEmpty {
                changes.append("\(label) dihapus (sebelumnya \(old.count) karakter).")
            } else {
                changes.append("\(label) berubah (\(old.count) → \(new.count) karakter).")
            }
        }
        compare("Judul", earlier.title, current.title)
        compare("Deskripsi", earlier.description, current.description)
        compare("Isi", earlier.body, current.body)
        compare("Teks alt gambar", earlier.imageAlts.joined(separator: "\n"), current.imageAlts.joined(separator: "\n"))
        compare("Teks tautan", earlier.links.map(\.text).joined(separator: "\n"), current.links.map(\.text).joined(separator: "\n"))
        compare("Nama penulis", earlier.author?.name, current.author?.name)
        compare("Bio penulis", earlier.author?.bio, current.author?.bio)
        let before = Set(folder.manifest.acts.map(\.act)), after = Set(caseFile.acts)
        let added = after.subtracting(before).sorted(), removed = before.subtracting(after).sorted()
        if !added.isEmpty { changes.append("Jenis pelanggaran baru: \(added.joined(separator: ", ")).") }
        if !removed.isEmpty { changes.append("Tidak lagi ditemukan: \(removed.joined(separator: ", ")).") }
        if changes.isEmpty { changes.append("Teks sama; aturan yang terpenuhi berbeda (paket aturan berubah).") }
        return changes
    }
}
