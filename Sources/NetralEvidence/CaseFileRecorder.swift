public import Foundation
public import NetralModel
public import NetralStore

/// Files case files and records them in the state: the one call the scanner makes per judged
/// item with findings. Links an edited item's new case file to its earlier one, and
/// reconciles a bundle that was renamed into place by a run killed before its row was written.
public struct CaseFileRecorder: Sendable {
    public let writer: CaseFileWriter
    public let store: StateStore

    public init(writer: CaseFileWriter, store: StateStore) {
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
                changes: CaseChanges.describe(earlierFolder: (writer.root as NSString).appendingPathComponent(earlier.path), now: caseFile)
            )
        }
        let outcome = try writer.write(caseFile, supersedes: supersedes, now: now)
        try store.recordCaseFile(StoredCaseFile(
            id: caseID, itemID: caseFile.item.identityURL, contentDigest: caseFile.contentDigest, path: outcome.relativePath,
            manifestSHA256: outcome.manifestSHA256, supersedes: supersedes?.caseID, createdAt: now,
            acts: caseFile.acts.joined(separator: ","), severity: caseFile.severity.rawValue,
            author: NIPMasking.mask(caseFile.who), candidates: caseFile.candidateLabels.joined(separator: "; ")
        ), findings: caseFile.findings, bundlePath: outcome.path, target: caseFile.target)
        return outcome
    }

    /// As `file(_:now:)`, and for a case file not yet written, first fetches the item's images
    /// (`CaseFile.imageURLs`) with `fetchImage`; an image that fails is left out, never the case.
    /// A scan that awaits can call this instead of `file(_:now:)`.
    public func file(_ caseFile: CaseFile, now: Date = Date(), fetchImage: (String) async throws -> Capture) async throws -> CaseFileOutcome {
        var caseFile = caseFile
        if try store.caseFile(id: caseFile.id) == nil, caseFile.images.isEmpty {
            for url in CaseFile.imageURLs(of: caseFile.item) {
                if let image = try? await fetchImage(url) { caseFile.images.append(image) }
            }
        }
        return try file(caseFile, now: now)
    }

    /// Rewrites `index.html` of the evidence folder from the state.
    public func writeIndex(now: Date = Date()) throws {
        try EvidenceIndex.write(root: writer.root, caseFiles: store.caseFiles(), superseded: store.supersededCaseFileIDs(), now: now)
    }
}

/// What changed between an item's earlier case file and its new content, in Bahasa Indonesia.
enum CaseChanges {
    static func describe(earlierFolder: String, now caseFile: CaseFile) -> [String] {
        let itemPath = (earlierFolder as NSString).appendingPathComponent("item.json")
        let manifestPath = (earlierFolder as NSString).appendingPathComponent(CaseManifest.fileName)
        guard let itemData = FileManager.default.contents(atPath: itemPath),
              let earlier = try? NetralJSON.decoder().decode(Item.self, from: itemData) else {
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
        if let manifestData = FileManager.default.contents(atPath: manifestPath),
           let manifest = try? NetralJSON.decoder().decode(CaseManifest.self, from: manifestData) {
            let before = Set(manifest.acts.map(\.act)), after = Set(caseFile.acts)
            let added = after.subtracting(before).sorted(), removed = before.subtracting(after).sorted()
            if !added.isEmpty { changes.append("Jenis pelanggaran baru: \(added.joined(separator: ", ")).") }
            if !removed.isEmpty { changes.append("Tidak lagi ditemukan: \(removed.joined(separator: ", ")).") }
        }
        if changes.isEmpty { changes.append("Teks sama; aturan yang terpenuhi berbeda (paket aturan berubah).") }
        return changes
    }
}
