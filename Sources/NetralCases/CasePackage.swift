public import Foundation
public import NetralEvidence
import NetralModel
public import NetralStore
import ZIPFoundation

/// Everything a case officer files for one case: the filled report form (printable HTML and
/// DOCX), and a ZIP of the case (the report, the form, every file of the case file as the
/// manifest lists it, a chain-of-custody sheet and `SHA256SUMS` for `sha256sum -c`).
public struct CasePackage: Sendable {
    public let record: CaseRecord
    public let form: ReportForm
    let folder: CaseFolder
    let reviews: [ReviewEntry]

    /// The case file `caseFile` of `store`, read through its folder. Throws `CaseRecordProblem`
    /// when its files cannot be read or its manifest changed since it was recorded.
    public init(store: StateStore, evidenceRoot: String, caseFile: StoredCaseFile, zone: IndonesianZone? = nil) throws {
        let reviews = try store.reviews(caseID: caseFile.id)
        let reader = CaseRecordReader(store: store, evidenceRoot: evidenceRoot, zone: zone)
        record = try reader.record(caseFile, review: reviews.last)
        do {
            folder = try CaseFolder(evidenceRoot: evidenceRoot, relativePath: caseFile.path)
            let item = try folder.item()
            form = ReportForm.make(record: record, folder: folder, item: item, findings: try folder.findings(), reviews: reviews)
        } catch {
            throw CaseRecordProblem(caseID: caseFile.id, message: "cannot read its files: \(error)")
        }
        self.reviews = reviews
    }

    /// `kasus-<first 12 of the id>`: the stem of every file made for this case.
    public var stem: String { "kasus-\(record.id.prefix(12))" }

    /// The form as a Word document (Office Open XML), in Bahasa Indonesia.
    public func docx() throws -> Data {
        try DocxWriter.document(form)
    }

    /// The chain-of-custody sheet: who captured what and when, each file's hash, who reviewed.
    public func custody(now: Date = Date()) -> String {
        let zone = IndonesianZone(rawValue: record.zone) ?? .wib
        var lines = [
            "RANTAI PENGUASAAN BUKTI (chain of custody)",
            "Berkas kasus: \(record.id)",
            "Tautan unggahan: \(record.postURL)",
            "",
            "1. Perekaman",
            "   Direkam oleh: sistem Netral \(folder.manifest.tool.version) (otomatis, tanpa campur tangan manusia)",
            "   Waktu perekaman: \(CaseFileFacts.localAndUTC(record.capturedAtUTC, zone: zone))",
            "   Berkas kasus dibuat: \(CaseFileFacts.localAndUTC(record.caseCreatedAtUTC, zone: zone))",
            "   Folder di penyimpanan bukti: \(record.caseFilePath)",
            "",
            "2. Keutuhan (SHA-256; periksa dengan `sha256sum -c SHA256SUMS` di folder berkas/, atau `netral verify`)",
            "   manifest.json  \(folder.manifestSHA256)",
        ]
        for file in folder.manifest.files { lines.append("   \(file.path)  \(file.sha256)  (\(file.size) bita)") }
        let hasSignature = (try? folder.companion(ManifestSignature.fileName)) != nil
        let hasTimestamp = (try? folder.companion(Timestamper.tokenFileName)) != nil
        lines.append("   Tanda tangan manifes: " + (hasSignature ? "ada (signature.json)" : "tidak ada (tidak ada kunci penanda tangan)"))
        lines.append("   Cap waktu RFC 3161: " + (hasTimestamp ? "ada (timestamp.tst)" : "tidak ada"))
        lines += ["", "3. Peninjauan (log peninjauan berantai hash)"]
        if reviews.isEmpty { lines.append("   Belum ditinjau.") }
        for entry in reviews {
            lines.append("   #\(entry.sequence) \(entry.decidedAt) \(entry.reviewer): \(entry.decision.resultingStatus.label)"
                + " atas manifes \(entry.manifestSHA256.prefix(16))…; catatan: \(entry.note)")
        }
        lines += ["", "4. Paket ini", "   Dibuat: \(CaseFileFacts.localAndUTC(now, zone: zone)) oleh netral \(NetralVersion.current)", ""]
        return lines.joined(separator: "\n")
    }

    /// Every file the package holds, by its name in the ZIP, and its bytes. The case file's
    /// files go under `berkas/` exactly as the manifest lists them.
    public func entries(pdf: Data? = nil, now: Date = Date()) throws -> [(name: String, data: Data)] {
        var entries: [(name: String, data: Data)] = [("berkas/\(CaseManifest.fileName)", folder.manifestData)]
        for file in folder.manifest.files { entries.append(("berkas/\(file.path)", try read { try folder.data(file.path) })) }
        for companion in [ManifestSignature.fileName, Timestamper.tokenFileName] {
            if let data = try read({ try folder.companion(companion) }) { entries.append(("berkas/\(companion)", data)) }
        }
        let sums = entries.filter { $0.name.hasPrefix("berkas/") }
            .map { "\(CaseFileFacts.sha256Hex($0.data))  \($0.name.dropFirst("berkas/".count))" }.joined(separator: "\n") + "\n"
        entries.append(("berkas/SHA256SUMS", Data(sums.utf8)))
        entries.append(("formulir-laporan.html", Data(form.html().utf8)))
        entries.append(("formulir-laporan.docx", try docx()))
        if let pdf { entries.append(("formulir-laporan.pdf", pdf)) }
        entries.append(("rantai-bukti.txt", Data(custody(now: now).utf8)))
        return entries
    }

    /// A file of the case folder, or the problem that stops the package.
    func read<Value>(_ body: () throws -> Value) throws(CaseRecordProblem) -> Value {
        do {
            return try body()
        } catch {
            throw CaseRecordProblem(caseID: record.id, message: "cannot read its files: \(error)")
        }
    }

    /// The ZIP of the case, in memory (for the desk's download).
    public func zip(pdf: Data? = nil, now: Date = Date()) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        try Self.add(try entries(pdf: pdf, now: now), to: archive, at: now)
        guard let data = archive.data else { throw CaseRecordProblem(caseID: record.id, message: "the ZIP could not be made") }
        return data
    }

    /// Writes the ZIP to `path` in one step (a file beside it, renamed over it).
    public func writeZip(to path: String, pdf: Data? = nil, now: Date = Date()) throws {
        try CaseFileFacts.replaceFile(try zip(pdf: pdf, now: now), at: path)
    }

    static func add(_ entries: [(name: String, data: Data)], to archive: Archive, at date: Date) throws {
        for entry in entries {
            try archive.addEntry(with: entry.name, type: .file, uncompressedSize: Int64(entry.data.count), modificationDate: date,
                                 compressionMethod: .deflate) { position, size in
                entry.data.subdata(in: Int(position)..<min(entry.data.count, Int(position) + size))
            }
        }
    }
}

/// A Word document (Office Open XML, the smallest set of parts Word and python-docx open) of
/// the report form: headings, labelled lines as two-column tables, the evidence table.
enum DocxWriter {
    static func document(_ form: ReportForm) throws -> Data {
        var body = ""
        body += paragraph("FORMULIR LAPORAN", bold: true, size: 28, centered: true)
        body += paragraph(ReportForm.basis, size: 18, centered: true)
        body += paragraph("Berkas kasus: \(form.caseID)", size: 18, centered: true)
        body += paragraph("1. Identitas Pelapor", bold: true)
        body += table(form.reporter.map { [$0.label, $0.value.isEmpty ? "…………………………………" : $0.value] }, widths: [3000, 6000])
        body += paragraph("2. Identitas Terlapor", bold: true)
        body += table(form.terlapor.map { [$0.label, $0.value.isEmpty ? "…………………………………" : $0.value] }, widths: [3000, 6000])
        body += paragraph("3. Peristiwa yang Dilaporkan", bold: true)
        body += table(form.event.map { [$0.label, $0.value] }, widths: [3000, 6000])
        body += paragraph("4. Saksi-saksi", bold: true)
        for (index, witness) in form.witnesses.enumerated() { body += paragraph("\(index + 1). \(witness)") }
        body += paragraph("5. Bukti-bukti", bold: true)
        body += table([["Bukti", "Keterangan", "SHA-256 (ukuran)"]]
            + form.evidence.map { item in [item.name, item.description, item.sha256.map { "\($0) (\(item.size ?? 0) bita)" } ?? ""] },
            widths: [2600, 3000, 3400])
        body += paragraph("6. Uraian Kejadian", bold: true)
        body += paragraph(form.chronology)
        body += paragraph("Dilaporkan di ……………………, hari dan tanggal ……………………, pukul …………")
        body += table([["Penerima Laporan", "Pelapor"], ["\n\n\n(…………………………)", "\n\n\n(…………………………)"]], widths: [4500, 4500])
        let document = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
            <w:body>\(body)<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1134" \
            w:header="708" w:footer="708" w:gutter="0"/></w:sectPr></w:body>
            </w:document>
            """
        let contentTypes = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
            <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
            <Default Extension="xml" ContentType="application/xml"/>
            <Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
            <Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
            </Types>
            """
        let relationships = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" \
            Target="word/document.xml"/>
            <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" \
            Target="docProps/core.xml"/>
            </Relationships>
            """
        let core = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" \
            xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>\(escape("Formulir Laporan " + form.caseID))</dc:title>\
            <dc:creator>Netral \(NetralVersion.current)</dc:creator><dc:language>id-ID</dc:language></cp:coreProperties>
            """
        let archive = try Archive(data: Data(), accessMode: .create)
        let parts = [("[Content_Types].xml", contentTypes), ("_rels/.rels", relationships), ("docProps/core.xml", core),
                     ("word/document.xml", document)]
        try CasePackage.add(parts.map { ($0.0, Data($0.1.utf8)) }, to: archive, at: Date(timeIntervalSince1970: 315_532_800))
        guard let data = archive.data else { throw CaseRecordProblem(caseID: form.caseID, message: "the DOCX could not be made") }
        return data
    }

    /// Text for XML: the five special characters escaped, characters XML 1.0 forbids dropped.
    static func escape(_ text: String) -> String {
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&apos;"
            case "\t", "\n", "\r": escaped.unicodeScalars.append(scalar)
            default:
                if scalar.value >= 0x20 && !(0xFFFE...0xFFFF).contains(scalar.value) { escaped.unicodeScalars.append(scalar) }
            }
        }
        return escaped
    }

    /// A paragraph; line breaks in `text` become `<w:br/>`.
    static func paragraph(_ text: String, bold: Bool = false, size: Int? = nil, centered: Bool = false) -> String {
        var properties = ""
        if bold { properties += "<w:b/>" }
        if let size { properties += "<w:sz w:val=\"\(size)\"/>" }
        let runProperties = properties.isEmpty ? "" : "<w:rPr>\(properties)</w:rPr>"
        let runs = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            "<w:t xml:space=\"preserve\">\(escape(String(line)))</w:t>"
        }.joined(separator: "<w:br/>")
        let alignment = centered ? "<w:pPr><w:jc w:val=\"center\"/></w:pPr>" : ""
        return "<w:p>\(alignment)<w:r>\(runProperties)\(runs)</w:r></w:p>"
    }

    static func table(_ rows: [[String]], widths: [Int]) -> String {
        let border = "<w:tblBorders>" + ["top", "left", "bottom", "right", "insideH", "insideV"]
            .map { "<w:\($0) w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"999999\"/>" }.joined() + "</w:tblBorders>"
        var xml = "<w:tbl><w:tblPr><w:tblW w:w=\"\(widths.reduce(0, +))\" w:type=\"dxa\"/>\(border)</w:tblPr><w:tblGrid>"
        xml += widths.map { "<w:gridCol w:w=\"\($0)\"/>" }.joined() + "</w:tblGrid>"
        for row in rows {
            xml += "<w:tr>"
            for (index, cell) in row.enumerated() {
                xml += "<w:tc><w:tcPr><w:tcW w:w=\"\(widths[min(index, widths.count - 1)])\" w:type=\"dxa\"/></w:tcPr>"
                    + paragraph(cell) + "</w:tc>"
            }
            xml += "</w:tr>"
        }
        return xml + "</w:tbl>"
    }
}
