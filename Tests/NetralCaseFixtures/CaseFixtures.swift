public import Foundation
import NetralEvidence
import NetralModel
public import NetralStore
public import NetralTestSupport

/// A state and an evidence folder holding case files of invented posts, written through the
/// real recorder, so exports read real case-file folders.
public struct CaseFixtures {
    public let folder: TemporaryFolder
    public let store: StateStore
    public var statePath: String { folder.path + "/state.sqlite" }
    public var evidence: String { folder.path + "/evidence" }

    /// `state`: where the state is; nil, a SQLite file in the folder.
    public init(folder: TemporaryFolder, state: StateLocation? = nil) throws {
        self.folder = folder
        store = try StateStore(location: state ?? .sqlite(path: folder.path + "/state.sqlite"))
    }

    public static let voices: [(name: String, role: String, agency: String, text: String)] = [
        (
            "Drs. Hartono Wibisono", "Camat", "Kecamatan Sungai Jernih",
            "Sebagai Camat saya ajak warga coblos nomor 2, Prabowo pilihan kita!"
        ),
        ("Sri Wahyuni, S.Pd.", "Guru PPPK", "SDN 4 Tenggarong", "Ibu-ibu guru, ayo dukung Prabowo, \"tegas\", berani; kita menangkan!"),
        ("Yohanes Kii", "Kepala Desa", "Desa Waimangura", "=HYPERLINK(\"http://contoh.test\") Kades ajak coblos Prabowo"),
        ("Andi Mappasessu", "Staf Dinas Kominfo", "Dinas Kominfo Kab. Bone", "Kami ASN Bone siap menangkan Prabowo\nbaris kedua"),
    ]

    /// Records case file number `index` and returns its id.
    @discardableResult
    public func add(_ index: Int, at date: Date = Date(timeIntervalSince1970: 1_705_750_000), edited: Bool = false) throws -> String {
        let voice = Self.voices[index % Self.voices.count]
        let url = "https://warga-\(index).contoh.test/posts/\(index)"
        let body = voice.text + (edited ? " (disunting)" : "")
        let capture = Capture(
            requestURL: url, finalURL: url, status: 200, headers: [HTTPHeader(name: "Content-Type", value: "text/html")],
            body: Data("<p>\(body)</p>".utf8), fetchedAt: date, peerIP: "192.0.2.7")
        let item = Item(
            sourceURL: url, platform: "web",
            author: Author(name: voice.name, handle: "@warga\(index)", profileURL: "https://warga-\(index).contoh.test/@warga\(index)"),
            publishedAt: date.addingTimeInterval(-3600), title: "Unggahan \(index)", body: body,
            metadata: ["article:published_time": "2024-01-20T10:26:40+08:00"],
            subject: Subject(name: voice.name, role: voice.role, agency: voice.agency, nip: "196804111993031009"))
        let pack = PackReference(name: "pilpres-2024", version: "3", sha256: String(repeating: "a", count: 64))
        let start = Array(body.utf8).firstRange(of: Array("Prabowo".utf8))?.lowerBound ?? 0
        let finding = Finding(
            id: "temuan-\(index)", rule: "asn-kampanye-paslon", pack: pack, act: "A2", severity: index % 3 == 2 ? .medium : .high,
            score: 0.9, description: "ASN mengajak memilih paslon",
            hits: [
                Hit(
                    signal: "paslon-02", kind: "candidate", term: "prabowo", field: .body, fieldIndex: 0, start: start, end: start + 7,
                    quote: "Prabowo")
            ],
            fired: ["asn", "candidate", "support"], condition: "asn and candidate and support", unless: nil)
        let caseFile = CaseFile(
            capture: capture, item: item, findings: [finding], packs: [pack], contentDigest: "isi-\(index)\(edited ? "-disunting" : "")",
            signalLabels: ["paslon-02": "02 Prabowo Subianto – Gibran Rakabuming Raka"],
            region: "Kabupaten Kutai Kartanegara, Kalimantan Timur", zone: .wita, target: "target-\(index)")
        let recorder = CaseFileRecorder(writer: CaseFileWriter(root: evidence), store: store)
        return try recorder.file(caseFile, now: date.addingTimeInterval(Double(index) + (edited ? 86_400 : 0))).caseID
    }

    /// `count` case files; the ones at indexes in `confirmed` confirmed, in `dismissed` dismissed.
    @discardableResult
    public func populate(_ count: Int, confirmed: Set<Int>, dismissed: Set<Int> = []) throws -> [String] {
        var ids: [String] = []
        for index in 0..<count {
            let id = try add(index)
            ids.append(id)
            if confirmed.contains(index) {
                try store.recordReview(caseID: id, decision: .confirm, note: "Jelas ajakan memilih, identitas cocok.", reviewer: "Rina")
            } else if dismissed.contains(index) {
                try store.recordReview(caseID: id, decision: .dismiss, note: "Akun parodi.", reviewer: "Dodi")
            }
        }
        return ids
    }
}
