public import Foundation
import Mustache
public import NetralEvidence
public import NetralModel
public import NetralStore

/// One case as the report form Bawaslu receives: *Formulir Model B.1, Formulir Laporan*
/// (Perbawaslu 7/2022 for a Pemilu; the same fields in Perbawaslu 9/2024 for a Pemilihan),
/// filled from the case file. The reporter's own identity is left for the reporter to write
/// (Netral never fills it); the terlapor, the event, the witnesses, the evidence with its
/// hashes and the chronology come from the case file, its review and the post's own words.
public struct ReportForm: Sendable, Equatable {
    /// A labelled line of the form; an empty value is a line for the reporter to fill by hand.
    public struct Line: Sendable, Equatable {
        public var label: String
        public var value: String
    }

    /// One item of evidence: a file of the case (with its SHA-256 and size) or the post's link.
    public struct Evidence: Sendable, Equatable {
        public var name: String
        public var description: String
        public var sha256: String?
        public var size: Int?
    }

    public var caseID: String
    public var reporter: [Line]
    public var terlapor: [Line]
    public var event: [Line]
    public var witnesses: [String]
    public var evidence: [Evidence]
    /// The post's words around every match, matched words in «…».
    public var quotes: [String]
    /// The chronology (what, where, when, how), quoting the post.
    public var chronology: String
    public var deadline: String
    public var manifestSHA256: String

    static let dayNames = ["Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"]
    static let months = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November",
                         "Desember"]

    /// `Sabtu, 20 Januari 2024 pukul 19.30 WITA`.
    static func dayAndTime(_ date: Date, zone: IndonesianZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone.timeZone
        let parts = calendar.dateComponents([.weekday, .day, .month, .year, .hour, .minute], from: date)
        return "\(dayNames[((parts.weekday ?? 1) - 1) % 7]), \(parts.day ?? 0) \(months[((parts.month ?? 1) - 1) % 12]) \(parts.year ?? 0)"
            + String(format: " pukul %02d.%02d ", parts.hour ?? 0, parts.minute ?? 0) + zone.rawValue
    }

    /// What each file of a case file is, for the evidence list.
    static func describe(_ path: String) -> String {
        switch path {
        case CaseFolder.warcFileName: "Arsip WARC rekaman halaman, seperti diterima dari server (termasuk gambar)"
        case CaseFolder.itemFileName: "Teks unggahan yang diekstrak (JSON)"
        case CaseFolder.findingsFileName: "Temuan: aturan, tindakan, dan kata yang cocok (JSON)"
        case CaseFolder.reportFileName: "Laporan berkas kasus (HTML)"
        case CaseManifest.fileName: "Manifes: daftar sidik SHA-256 setiap berkas"
        case "signature.json": "Tanda tangan Ed25519 atas manifes"
        case "timestamp.tst": "Cap waktu RFC 3161 atas manifes"
        case "capture.json": "Jawaban platform seperti diterima (JSON)"
        default:
            if path.hasPrefix("capture.") { "Salinan isi halaman seperti diterima" }
            else if path.hasPrefix("related-") { "Jawaban terkait yang menjadi dasar temuan" }
            else if path.hasPrefix("screenshot") { "Tangkapan layar halaman arsip" }
            else { "Berkas kasus" }
        }
    }

    /// The form of one case file.
    public static func make(record: CaseRecord, folder: CaseFolder, item: Item, findings: [Finding], reviews: [ReviewEntry])
        -> ReportForm {
        let zone = IndonesianZone(rawValue: record.zone) ?? .wib
        let terlapor = Terlapor.of(item: item, findings: findings)
        func sourced(_ fact: Terlapor.Fact?) -> String {
            guard let fact else { return "" }
            return NIPMasking.mask(fact.value) + " (sumber: \(fact.source))"
        }
        let account = [terlapor.accountName, terlapor.accountHandle, terlapor.profileURL].compactMap { $0 }.filter { !$0.isEmpty }
        var seen = Set<String>()
        let terlaporLines = [
            Line(label: "Nama", value: sourced(terlapor.name)),
            Line(label: "Jabatan", value: sourced(terlapor.position)),
            Line(label: "Instansi", value: sourced(terlapor.agency)),
            Line(label: "NIP", value: terlapor.nipMasked.map { "\($0) (disamarkan; NIP lengkap dari catatan analis)" } ?? ""),
            Line(label: "Akun media sosial / situs", value: account.filter { seen.insert($0).inserted }.joined(separator: " · ")),
            Line(label: "Alamat", value: ""),
            Line(label: "Nomor telepon/HP", value: ""),
        ]
        let acts = record.acts.map { "\($0.code) \($0.title)" + ($0.class == .report ? " (dilaporkan tentang pihak lain)" : "") }
        var actSeen = Set<String>()
        let uniqueActs = acts.filter { actSeen.insert($0).inserted }
        let place = [record.platform == "web" ? nil : record.platform, record.domain, record.postURL].compactMap { $0 }
            .filter { actSeen.insert($0).inserted }.joined(separator: " · ")
        let event = [
            Line(label: "Peristiwa", value: "Dugaan pelanggaran netralitas ASN: " + uniqueActs.joined(separator: "; ")),
            Line(label: "Tempat kejadian", value: "Daring: \(place)" + (record.region.map { ". Wilayah: \($0)" } ?? "")),
            Line(label: "Hari dan tanggal kejadian", value: record.postedAtUTC.map { dayAndTime($0, zone: zone) }
                ?? "Waktu unggah tidak tercantum pada halaman; direkam \(dayAndTime(record.capturedAtUTC, zone: zone))"),
            Line(label: "Hari dan tanggal diketahui", value: dayAndTime(record.caseCreatedAtUTC, zone: zone)
                + " (ditemukan oleh sistem Netral)"),
            Line(label: "Batas waktu pelaporan", value: CaseFileFacts.day(CaseFileFacts.deadline(createdAt: record.caseCreatedAtUTC, zone: zone),
                                                                            zone: zone)
                + " (\(CaseFileFacts.reportingDays) hari sejak diketahui)"),
        ]
        // Saksi: who reviewed the case, and the system that captured it.
        var witnesses: [String] = []
        var named = Set<String>()
        for entry in reviews where named.insert(entry.reviewer).inserted {
            let status = entry.decision.resultingStatus.label.lowercased()
            let when = entry.decidedAtDate.map { dayAndTime($0, zone: zone) } ?? entry.decidedAt
            witnesses.append("\(entry.reviewer): peninjau yang memeriksa berkas ini (\(status) pada \(when))")
        }
        witnesses.append("Sistem Netral \(folder.manifest.tool.version): perekaman otomatis pada \(dayAndTime(record.capturedAtUTC, zone: zone))")
        var evidence = [Evidence(name: record.postURL, description: "Tautan unggahan", sha256: nil, size: nil)]
        evidence.append(Evidence(name: CaseManifest.fileName, description: describe(CaseManifest.fileName), sha256: folder.manifestSHA256,
                                 size: folder.manifestData.count))
        for file in folder.manifest.files {
            evidence.append(Evidence(name: file.path, description: describe(file.path), sha256: file.sha256, size: file.size))
        }
        let quotes = Self.quotes(item: item, findings: findings)
        return ReportForm(
            caseID: record.id,
            reporter: ["Nama", "Tempat/tanggal lahir", "Jenis kelamin", "Pekerjaan", "Kewarganegaraan", "Alamat", "Nomor telepon/HP",
                       "E-mail"].map { Line(label: $0, value: "") },
            terlapor: terlaporLines, event: event, witnesses: witnesses, evidence: evidence, quotes: quotes,
            chronology: chronology(record: record, terlapor: terlapor, quotes: quotes, reviews: reviews, zone: zone),
            deadline: record.deadline, manifestSHA256: folder.manifestSHA256)
    }

    /// The post's words around its matches (at most five excerpts, each at most 600 characters),
    /// matched words in «…», NIPs masked.
    static func quotes(item: Item, findings: [Finding]) -> [String] {
        var byField: [String: [Hit]] = [:]
        var seen = Set<Hit>()
        for hit in findings.flatMap(\.hits) where seen.insert(hit).inserted {
            byField["\(hit.field.rawValue)#\(hit.fieldIndex)", default: []].append(hit)
        }
        var quotes: [String] = []
        for field in item.fieldTexts where quotes.count < 5 {
            guard let hits = byField["\(field.field.rawValue)#\(field.index)"], !field.text.isEmpty else { continue }
            let text = CaseFileFacts.highlighted(field.text, hits: hits).map { $0.kind == nil ? $0.text : "«\($0.text)»" }.joined()
            let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ").trimmingCharacters(in: .whitespaces)
            quotes.append("\(field.label): \u{201C}\(flat.count > 600 ? String(flat.prefix(600)) + " …" : flat)\u{201D}")
        }
        return quotes
    }

    static func chronology(record: CaseRecord, terlapor: Terlapor, quotes: [String], reviews: [ReviewEntry], zone: IndonesianZone)
        -> String {
        let when = record.postedAtUTC.map { "Pada \(dayAndTime($0, zone: zone)), " } ?? "Pada waktu yang tidak tercantum di halaman, "
        let place = record.domain.map { "di \($0) " } ?? ""
        var text = when
        if terlapor.isReportAboutOthers {
            text += "sebuah unggahan \(place)(\(record.postURL)) memberitakan dugaan pelanggaran netralitas oleh \(terlapor.line)"
                + (terlapor.uploader.map { "; unggahan itu diunggah oleh \($0), yang bukan terlapor" } ?? "") + "."
        } else {
            text += "\(terlapor.line) " + (terlapor.uploader.map { "(unggahan oleh \($0)) " } ?? "")
                + "mengunggah konten \(place)(\(record.postURL)) yang diduga melanggar netralitas ASN."
        }
        if !quotes.isEmpty { text += " Isi unggahan yang relevan: " + quotes.joined(separator: " ") }
        var actSeen = Set<String>()
        let acts = record.acts.filter { actSeen.insert($0.code).inserted }.map { "\($0.code) (\($0.title))" }
        text += " Perbuatan tersebut diduga termasuk larangan dalam SKB 5 lembaga No. 2/2022: \(acts.joined(separator: "; "))."
        if !record.candidateLabels.isEmpty { text += " Peserta pemilu yang disebut: \(record.candidateLabels.joined(separator: "; "))." }
        text += " Unggahan direkam oleh sistem Netral pada \(dayAndTime(record.capturedAtUTC, zone: zone)) sebagai berkas kasus \(record.id)"
            + " (sidik SHA-256 manifes \(record.manifestSHA256))."
        if let last = reviews.last {
            text += " Berkas diperiksa oleh \(last.reviewer) (\(last.decision.resultingStatus.label.lowercased())) dengan catatan: "
                + "\u{201C}\(last.note)\u{201D}."
        }
        return NIPMasking.mask(text)
    }

    // MARK: - Printable HTML

    /// The form as one self-contained printable page (no script, nothing loaded from elsewhere).
    public func html() -> String {
        let context: [String: Any] = [
            "caseID": caseID,
            "reporter": reporter.map { ["label": $0.label, "value": $0.value] },
            "terlapor": terlapor.map { ["label": $0.label, "value": $0.value] },
            "event": event.map { ["label": $0.label, "value": $0.value] },
            "witnesses": witnesses,
            "evidence": evidence.map { item -> [String: Any] in
                var entry: [String: Any] = ["name": item.name, "description": item.description]
                if let sha256 = item.sha256 { entry["sha256"] = sha256 }
                if let size = item.size { entry["size"] = String(size) }
                return entry
            },
            "chronology": chronology,
            "manifest": manifestSHA256,
            "basis": Self.basis,
        ]
        return (try? MustacheTemplate(string: Self.htmlTemplate).render(context)) ?? ""
    }

    /// Which form this is and why, printed on it.
    public static let basis = "Formulir Model B.1 (Formulir Laporan) Lampiran Perbawaslu 7/2022; untuk Pemilihan kepala daerah "
        + "isian yang sama dalam Perbawaslu 9/2024. Diisi otomatis oleh Netral dari berkas kasus; identitas pelapor diisi sendiri oleh pelapor."

    static let htmlTemplate = """
        <!doctype html>
        <html lang="id">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
        <title>Formulir Laporan · berkas {{caseID}}</title>
        <style>
        body { font-family: "Times New Roman", serif; max-width: 48rem; margin: 1.5rem auto; padding: 0 1rem; line-height: 1.4; color: #111; }
        h1 { text-align: center; font-size: 1.2rem; margin: 0; } .dasar { text-align: center; font-size: .8rem; color: #444; margin: .2rem 0 1rem; }
        h2 { font-size: 1rem; margin: 1rem 0 .3rem; }
        table { width: 100%; border-collapse: collapse; } td, th { vertical-align: top; padding: .15rem .3rem; text-align: left; overflow-wrap: anywhere; }
        td.label { width: 14rem; } td.isi:empty::after { content: "........................................................"; color: #999; }
        table.bukti td, table.bukti th { border: 1px solid #999; font-size: .85rem; } code { font-size: .75rem; overflow-wrap: anywhere; }
        .uraian { text-align: justify; white-space: pre-wrap; }
        .ttd { display: flex; justify-content: space-between; margin-top: 2rem; } .ttd div { width: 45%; text-align: center; }
        .ttd p.ruang { height: 4rem; }
        @page { size: A4; margin: 18mm; } @media print { body { margin: 0; max-width: none; font-size: 11pt; } }
        </style>
        </head>
        <body>
        <h1>FORMULIR LAPORAN</h1>
        <p class="dasar">{{basis}}<br>Berkas kasus <code>{{caseID}}</code></p>
        <h2>1. Identitas Pelapor</h2>
        <table>{{#reporter}}<tr><td class="label">{{label}}</td><td>:</td><td class="isi">{{value}}</td></tr>{{/reporter}}</table>
        <h2>2. Identitas Terlapor</h2>
        <table id="terlapor">{{#terlapor}}<tr><td class="label">{{label}}</td><td>:</td><td class="isi">{{value}}</td></tr>{{/terlapor}}</table>
        <h2>3. Peristiwa yang Dilaporkan</h2>
        <table id="peristiwa">{{#event}}<tr><td class="label">{{label}}</td><td>:</td><td class="isi">{{value}}</td></tr>{{/event}}</table>
        <h2>4. Saksi-saksi</h2>
        <ol id="saksi">{{#witnesses}}<li>{{.}}</li>{{/witnesses}}</ol>
        <h2>5. Bukti-bukti</h2>
        <table class="bukti" id="bukti"><tr><th>Bukti</th><th>Keterangan</th><th>SHA-256 dan ukuran</th></tr>
        {{#evidence}}<tr><td><code>{{name}}</code></td><td>{{description}}</td><td>{{#sha256}}<code>{{sha256}}</code> ({{size}} bita){{/sha256}}</td></tr>
        {{/evidence}}</table>
        <h2>6. Uraian Kejadian</h2>
        <p class="uraian" id="uraian">{{chronology}}</p>
        <p>Dilaporkan di ........................, hari dan tanggal ........................, pukul ............</p>
        <div class="ttd"><div><p>Penerima Laporan</p><p class="ruang"></p><p>(..................................)</p></div>
        <div><p>Pelapor</p><p class="ruang"></p><p>(..................................)</p></div></div>
        </body>
        </html>
        """
}
