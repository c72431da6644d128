import Crypto
import CSV
import Foundation
import NetralEvidence
import NetralModel
import NetralStore

/// The file formats an export writes.
public enum ExportFormat: String, Sendable, CaseIterable, Codable {
    /// One JSON object per line (`CaseRecord`).
    case jsonl
    /// RFC 4180 CSV, one row per case file, CRLF line ends, UTF-8 (optionally with a BOM).
    case csv
    /// A JSON array of TheHive 5 alerts (`POST /api/v1/alert` bodies).
    case thehive
    /// MISP events in MISP's JSON format, `{"response": [{"Event": …}, …]}` as MISP's own JSON export.
    case misp

    public var fileExtension: String {
        switch self {
        case .jsonl: "jsonl"
        case .csv: "csv"
        case .thehive: "thehive.json"
        case .misp: "misp.json"
        }
    }

    public var contentType: String {
        switch self {
        case .jsonl: "application/jsonl; charset=utf-8"
        case .csv: "text/csv; charset=utf-8; header=present"
        case .thehive, .misp: "application/json; charset=utf-8"
        }
    }
}

/// Encodes records in each format. Pure: bytes in, bytes out.
enum ExportEncoding {
    static func encode(_ records: [CaseRecord], format: ExportFormat, byteOrderMark: Bool, indonesianHeaders: Bool = false) throws -> Data {
        switch format {
        case .jsonl:
            let encoder = NetralJSON.encoder(pretty: false)
            var data = Data()
            for record in records {
                // Data for programs: hidden characters kept, as `\u` escapes.
                data.append(DisplayText.escapingHidden(inJSON: try encoder.encode(record)))
                data.append(0x0A)
            }
            return data
        case .csv:
            return try csv(records, byteOrderMark: byteOrderMark, indonesianHeaders: indonesianHeaders)
        // TheHive and MISP show these to analysts: hidden characters shown, not obeyed.
        case .thehive:
            return neutralised(try plainEncoder().encode(records.map(TheHiveAlert.init)))
        case .misp:
            return neutralised(try plainEncoder().encode(MISPEventList(response: records.map { MISPEventList.Wrapped(event: MISPEvent($0)) })))
        }
    }

    /// camelCase keys as TheHive and MISP spell them, sorted for stable output.
    static func plainEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return encoder
    }

    /// The CSV columns, in order: the header, the header in Bahasa Indonesia (for reviewers' spreadsheets),
    /// and how each is read from a record. Documented in README.md.
    static let csvColumns: [(String, String, @Sendable (CaseRecord) -> String)] = [
        ("id", "id", { $0.id }),
        ("status", "status", { $0.status.rawValue }),
        ("decision", "keputusan", { $0.review?.decision.rawValue ?? "" }),
        ("reviewer", "peninjau", { $0.review?.reviewer ?? "" }),
        ("decided_at", "waktu_keputusan", { $0.review?.decidedAt ?? "" }),
        ("review_note", "catatan_peninjauan", { $0.review?.note ?? "" }),
        ("name", "nama_terlapor", { $0.reportedPerson.name ?? "" }),
        ("position", "jabatan", { $0.reportedPerson.position ?? "" }),
        ("agency", "instansi", { $0.reportedPerson.agency ?? "" }),
        ("nip_masked", "nip_disamarkan", { $0.reportedPerson.nipMasked ?? "" }),
        ("account_handle", "akun", { $0.reportedPerson.accountHandle ?? "" }),
        ("account_name", "nama_akun", { $0.reportedPerson.accountName ?? "" }),
        ("region", "wilayah", { $0.region ?? "" }),
        ("acts", "tindakan", { unique($0.acts.map(\.code)).joined(separator: "; ") }),
        ("act_titles", "uraian_tindakan", { record in unique(record.acts.map { "\($0.code): \($0.title)" }).joined(separator: "; ") }),
        ("severity", "tingkat", { $0.severity.rawValue }),
        ("class", "kelas", { $0.class.rawValue }),
        ("candidates", "calon_partai", { $0.candidateLabels.joined(separator: "; ") }),
        ("post_url", "tautan_unggahan", { $0.postURL }),
        ("platform", "platform", { $0.platform }),
        ("domain", "domain", { $0.domain ?? "" }),
        ("zone", "zona_waktu", { $0.zone }),
        ("posted_at_local", "waktu_unggah_lokal", { $0.postedAtLocal ?? "" }),
        ("posted_at_utc", "waktu_unggah_utc", { $0.postedAtUTC.map(utc) ?? "" }),
        ("captured_at_local", "waktu_rekam_lokal", { $0.capturedAtLocal }),
        ("captured_at_utc", "waktu_rekam_utc", { utc($0.capturedAtUTC) }),
        ("deadline", "batas_waktu_lapor", { $0.deadline }),
        ("narrative", "uraian_kejadian", { $0.narrative }),
        ("case_file_path", "folder_berkas", { $0.caseFilePath }),
        ("report_path", "berkas_laporan", { $0.reportPath }),
        ("manifest_sha256", "sha256_manifes", { $0.manifestSHA256 }),
        ("title", "judul", { $0.title ?? "" }),
        ("review_log_head", "kepala_log_peninjauan", { $0.reviewLogHead ?? "" }),
    ]

    /// Encoded JSON with each hidden character shown as `[U+202E]` (plain text inside a JSON string).
    static func neutralised(_ data: Data) -> Data {
        Data(DisplayText.neutralised(String(decoding: data, as: UTF8.self)).utf8)
    }

    static func unique(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }

    static func utc(_ date: Date) -> String { date.formatted(Date.ISO8601FormatStyle()) }

    /// A spreadsheet runs a cell that starts with = + - @ (or a tab or CR before one) as a
    /// formula; a post's text is untrusted, so such a cell gets a leading apostrophe (OWASP's
    /// advice against CSV injection). Ids, hashes and times never start that way.
    static func spreadsheetSafe(_ value: String) -> String {
        guard let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return value }
        return "'" + value
    }

    static func csv(_ records: [CaseRecord], byteOrderMark: Bool, indonesianHeaders: Bool = false) throws -> Data {
        let stream = OutputStream(toMemory: ())
        let writer = try CSVWriter(stream: stream, newline: .crlf)
        try writer.write(row: csvColumns.map { indonesianHeaders ? $0.1 : $0.0 })
        for record in records {
            try writer.write(row: csvColumns.map { spreadsheetSafe(DisplayText.neutralised($0.2(record))) })
        }
        stream.close()
        var data = Data(byteOrderMark ? [0xEF, 0xBB, 0xBF] : [])
        data.append((stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data) ?? Data())
        // The writer separates rows; RFC 4180 ends the last one with CRLF too.
        data.append(contentsOf: [0x0D, 0x0A])
        return data
    }
}

/// A TheHive 5 alert (`POST /api/v1/alert`). (type, source, sourceRef) is unique in TheHive, so
/// sourceRef is the case id: sending one again is refused, never duplicated.
struct TheHiveAlert: Encodable {
    struct Observable: Encodable {
        var dataType, data, message: String
        var tags: [String]
        var ioc = false
    }

    var type = "netralitas-asn"
    var source = "netral"
    var sourceRef, title, description: String
    /// 1 low, 2 medium, 3 high.
    var severity: Int
    /// Milliseconds since 1970 (when the post was captured).
    var date: Int64
    var tags: [String]
    /// TLP:AMBER, PAP:AMBER: personal data of a civil servant, not for sharing beyond the case.
    var tlp = 2
    var pap = 2
    var externalLink, summary: String
    var observables: [Observable]

    init(_ record: CaseRecord) {
        sourceRef = record.id
        let who = record.reportedPerson.name ?? record.reportedPerson.accountHandle ?? "tidak diketahui"
        title = "Dugaan pelanggaran netralitas ASN: \(who) (\(ExportEncoding.unique(record.acts.map(\.code)).joined(separator: ", ")))"
        severity = record.severityRank
        date = Int64((record.capturedAtUTC.timeIntervalSince1970 * 1000).rounded())
        externalLink = record.postURL
        summary = record.narrative
        var lines = [record.narrative, "", "| Kolom | Isi |", "|---|---|"]
        let rows: [(String, String?)] = [
            ("Nama", record.reportedPerson.name), ("Jabatan", record.reportedPerson.position), ("Instansi", record.reportedPerson.agency),
            ("NIP (disamarkan)", record.reportedPerson.nipMasked), ("Akun", record.reportedPerson.accountHandle), ("Wilayah", record.region),
            ("Calon/partai", record.candidateLabels.isEmpty ? nil : record.candidateLabels.joined(separator: "; ")),
            ("Diunggah", record.postedAtLocal), ("Direkam", record.capturedAtLocal), ("Batas pelaporan", record.deadline),
            ("Status tinjauan", record.status.rawValue + (record.review.map { " oleh \($0.reviewer): \($0.note)" } ?? "")),
            ("Berkas kasus", record.caseFilePath), ("Hash manifes (SHA-256)", record.manifestSHA256),
            ("Kepala log tinjauan", record.reviewLogHead),
        ]
        for (label, value) in rows {
            guard let value, !value.isEmpty else { continue }
            // A pipe would end the table cell; a newline the row.
            lines.append("| \(label) | \(value.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")) |")
        }
        lines.append("")
        for act in record.acts {
            lines.append("- \(act.code) \(act.title) (aturan \(act.rule), \(act.class.rawValue), \(act.severity.rawValue))")
        }
        description = lines.joined(separator: "\n")
        var tags = ["netral", "severity:\(record.severity.rawValue)", "status:\(record.status.rawValue)", "class:\(record.class.rawValue)"]
        tags += ExportEncoding.unique(record.acts.map { "act:\($0.code)" })
        if let region = record.region { tags.append("region:\(region)") }
        tags += record.candidateLabels.map { "candidate:\($0)" }
        self.tags = tags
        // Two observables with the same data make TheHive refuse the alert: keep the first.
        var seen = Set<String>()
        var observables: [Observable] = []
        func add(_ type: String, _ data: String?, _ message: String) {
            guard let data, !data.isEmpty, seen.insert("\(type)\u{0}\(data)").inserted else { return }
            observables.append(Observable(dataType: type, data: data, message: message, tags: ["netral"]))
        }
        add("url", record.postURL, "Tautan unggahan")
        add("url", record.canonicalURL, "Tautan kanonis unggahan")
        add("url", record.reportedPerson.profileURL, "Profil akun penulis")
        add("domain", record.domain, "Domain unggahan")
        add("other", record.reportedPerson.accountHandle, "Akun penulis")
        self.observables = observables
    }
}

/// MISP's JSON export of several events.
struct MISPEventList: Encodable {
    struct Wrapped: Encodable {
        var event: MISPEvent
        enum CodingKeys: String, CodingKey { case event = "Event" }
    }

    var response: [Wrapped]
}

/// A MISP event in MISP's core format: one per case file, its uuid derived from the case id so
/// a second import updates the same event instead of adding one.
struct MISPEvent: Encodable {
    struct Attribute: Encodable {
        var uuid, type, category, value, comment: String
        var toIDs = false
        var distribution = "5"
        enum CodingKeys: String, CodingKey { case uuid, type, category, value, comment, toIDs = "to_ids", distribution }
    }

    struct Tag: Encodable {
        var name: String
    }

    var uuid, info, date: String
    /// 1 high, 2 medium, 3 low.
    var threatLevelID: String
    /// 0 initial, 1 ongoing, 2 completed.
    var analysis: String
    /// 0: this organisation only (personal data).
    var distribution = "0"
    var published = false
    var timestamp: String
    var tags: [Tag]
    var attributes: [Attribute]

    enum CodingKeys: String, CodingKey {
        case uuid, info, date, threatLevelID = "threat_level_id", analysis, distribution, published, timestamp
        case tags = "Tag", attributes = "Attribute"
    }

    init(_ record: CaseRecord) {
        uuid = Self.uuid("event", record.id)
        let who = record.reportedPerson.name ?? record.reportedPerson.accountHandle ?? "tidak diketahui"
        info = "Netral \(record.id): dugaan pelanggaran netralitas ASN oleh \(who) (\(ExportEncoding.unique(record.acts.map(\.code)).joined(separator: ", ")))"
        date = String(record.caseCreatedAtLocal.prefix(10))
        threatLevelID = String(4 - record.severityRank)
        analysis = record.status == .new ? "0" : "2"
        timestamp = String(Int64(record.caseCreatedAtUTC.timeIntervalSince1970))
        var tagNames = ["netral", "netral:severity=\"\(record.severity.rawValue)\"", "netral:status=\"\(record.status.rawValue)\"",
                        "tlp:amber"]
        tagNames += ExportEncoding.unique(record.acts.map { "netral:act=\"\($0.code)\"" })
        tags = tagNames.map { Tag(name: $0) }
        var list: [Attribute] = []
        var seen = Set<String>()
        func add(_ type: String, _ category: String, _ value: String?, _ comment: String) {
            guard let value, !value.isEmpty, seen.insert("\(type)\u{0}\(value)").inserted else { return }
            list.append(Attribute(uuid: Self.uuid("attribute", record.id, type, value), type: type, category: category, value: value, comment: comment))
        }
        add("url", "External analysis", record.postURL, "Tautan unggahan")
        add("url", "External analysis", record.canonicalURL, "Tautan kanonis unggahan")
        add("domain", "Network activity", record.domain, "Domain unggahan")
        add("text", "Social network", record.reportedPerson.accountHandle, "Akun penulis")
        add("url", "Social network", record.reportedPerson.profileURL, "Profil akun penulis")
        add("text", "Attribution", [record.reportedPerson.name, record.reportedPerson.position, record.reportedPerson.agency]
            .compactMap { $0 }.joined(separator: ", "), "Orang yang dilaporkan (nama, jabatan, instansi)")
        add("text", "Attribution", record.reportedPerson.nipMasked, "NIP (disamarkan)")
        add("text", "Other", record.region, "Wilayah")
        add("text", "Other", record.candidateLabels.isEmpty ? nil : record.candidateLabels.joined(separator: "; "), "Calon/partai yang disebut")
        add("comment", "Other", record.narrative, "Uraian (Bahasa Indonesia)")
        add("text", "Internal reference", record.caseFilePath, "Berkas kasus Netral")
        add("text", "Internal reference", record.manifestSHA256, "SHA-256 manifest.json berkas kasus")
        add("text", "Internal reference", record.reviewLogHead, "Kepala log tinjauan Netral (jumlah:SHA-256 entri terakhir)")
        add("datetime", "Other", ExportEncoding.utc(record.capturedAtUTC), "Waktu perekaman (UTC)")
        attributes = list
    }

    /// A stable UUID (RFC 9562 version 8, name-based on SHA-256) for the same parts.
    static func uuid(_ parts: String...) -> String {
        var bytes = Array(SHA256.hash(data: Data(("netral-misp\n" + parts.joined(separator: "\n")).utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x80
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let characters = Array(hexString(bytes))
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(characters[$0]) }.joined(separator: "-")
    }
}
