import Foundation
import Mustache
import NetralModel

/// Renders `report.html` of a case file: one self-contained page (no external resources, no
/// scripts) for the reviewer, in Bahasa Indonesia: who, what, where, when (local zone and UTC),
/// the deadline, every act with its evidence, and the matched words highlighted by kind. NIPs
/// are masked. All text goes through Mustache's `{{...}}`, which escapes HTML, so a hostile
/// page cannot inject markup.
enum ReportRenderer {
    /// Parsed once per process; a parse failure is a programming error the tests catch.
    static let template: MustacheTemplate? = try? MustacheTemplate(string: reportTemplate)

    /// How many UTF-8 bytes of context a quoted excerpt keeps on each side of a hit.
    static let excerptContext = 160
    /// Bawaslu counts a report's deadline as 7 days from the day the violation became known.
    static let reportingDays = 7

    static func render(_ caseFile: CaseFile, manifest: CaseManifest) -> String {
        guard let template else {
            return "<!doctype html><title>Laporan</title><p>Templat laporan rusak.</p>"
        }
        // A name or title cannot reorder the page around it (`DisplayText`).
        return DisplayText.neutralised(template.render(context(for: caseFile, manifest: manifest)))
    }

    static func context(for caseFile: CaseFile, manifest: CaseManifest) -> [String: Any] {
        let item = caseFile.item
        let zone = caseFile.zone ?? publishedZone(of: item) ?? .wib
        let labels = caseFile.signalLabels
        let allHits = caseFile.findings.flatMap(\.hits)

        var who: [[String: Any]] = []
        func row(_ label: String, _ value: String?, source: String? = nil) {
            guard let value, !value.isEmpty else { return }
            var entry: [String: Any] = ["label": label, "value": NIPMasking.mask(value)]
            if let source { entry["source"] = source }
            who.append(entry)
        }
        // The terlapor as every output names it: who speaks or acts, and where each fact came from.
        let terlapor = Terlapor.of(item: item, findings: caseFile.findings)
        row(terlapor.isReportAboutOthers ? "Yang dilaporkan" : "Nama", terlapor.name?.value, source: terlapor.name?.source)
        row("Jabatan", terlapor.position?.value, source: terlapor.position?.source)
        row("Instansi", terlapor.agency?.value, source: terlapor.agency?.source)
        row("NIP", terlapor.nipMasked)
        row("Akun", item.author?.handle)
        row(terlapor.isReportAboutOthers ? "Pengunggah (bukan terlapor)" : "Diunggah oleh", terlapor.uploader)
        row("Dibagikan ulang oleh", item.sharedBy)
        // An office's own account: the office is the one reported (and its head, when named).
        if let office = item.accountIdentities.first(where: { $0.kind == .office }) {
            row("Terlapor", "\(office.words) (akun resmi instansi pemerintah)")
            row("Pimpinan instansi", office.head)
        }
        for identity in item.accountIdentities {
            who.append([
                "label": identity.account == item.authorAccountKey ? "Asal identitas" : "Asal identitas pembagi ulang",
                "value": identity.describe(masking: NIPMasking.mask),
            ])
        }

        let acts: [[String: Any]] = caseFile.findings.map { finding in
            [
                "isReport": finding.findingClass == .report,
                "act": finding.act,
                "actTitle": ProhibitedAct.title(of: finding.act),
                "rule": finding.rule,
                "description": finding.description,
                "severity": finding.severity.label,
                "severityClass": finding.severity.rawValue,
                "score": String(format: "%.2f", finding.score),
                "conditionWords": conditionInWords(finding.condition, labels: labels),
                "firedWords": finding.fired.map { conditionInWords($0, labels: labels) }.joined(separator: "; "),
                "unlessWords": finding.unless.map { conditionInWords($0, labels: labels) } ?? "",
                "hasUnless": finding.unless != nil,
                "scoreNotes": finding.scoreNotes,
                "hitGroups": compactHits(finding.hits, labels: labels),
            ]
        }

        let hitsByField = Dictionary(grouping: allHits) { FieldKey(field: $0.field, index: $0.fieldIndex) }
        var excerpts: [[String: Any]] = []
        for field in item.fieldTexts {
            guard let hits = hitsByField[FieldKey(field: field.field, index: field.index)] else { continue }
            excerpts.append([
                "label": field.label,
                "segments": segments(of: field.text, hits: hits, labels: labels),
            ])
        }
        let kindsPresent = Set(allHits.map(\.kind))
        let legend = kindOrder.filter(kindsPresent.contains).map { ["kind": $0, "label": kindLabel($0)] }

        let deadline = CaseFileFacts.deadline(createdAt: manifest.createdAt, zone: zone)
        let sourceIsWeb = item.sourceURL.lowercased().hasPrefix("http://") || item.sourceURL.lowercased().hasPrefix("https://")
        var origin = caseFile.capture.status == 0
            ? "berkas lokal atau arsip: \(caseFile.capture.requestURL)"
            : "HTTP \(caseFile.capture.status), IP server \(caseFile.capture.peerIP ?? "tidak diketahui")"
        if let source = caseFile.source {
            origin = "arsip WARC \(source.warcFile), rekaman \(source.recordID ?? "(tanpa id)") pada offset \(source.offset)"
                + (source.digest.map { ", sidik \($0)" } ?? "")
        }
        // A case file whose findings are all reports is about someone else: its author is the
        // one who reported, not the one reported on.
        let reportOnly = !caseFile.findings.isEmpty && caseFile.findings.allSatisfy { $0.findingClass == .report }
        var context: [String: Any] = [
            "reportOnly": reportOnly,
            "violationCount": caseFile.findings.filter { $0.findingClass == .violation }.count,
            "reportCount": caseFile.findings.filter { $0.findingClass == .report }.count,
            "caseID": manifest.caseID,
            "severity": manifest.severity.label,
            "severityClass": manifest.severity.rawValue,
            "actCount": caseFile.findings.count,
            "who": who,
            "hasWho": !who.isEmpty,
            "candidates": caseFile.candidateLabels,
            "hasCandidates": !caseFile.candidateLabels.isEmpty,
            "region": caseFile.region ?? "",
            "hasRegion": caseFile.region != nil,
            "sourceURL": item.sourceURL,
            "sourceIsWeb": sourceIsWeb,
            "canonicalURL": item.canonicalURL ?? "",
            "hasCanonical": item.canonicalURL != nil && item.canonicalURL != item.sourceURL,
            "archiveFile": "capture.\(CaseFileWriter.bodyExtension(for: caseFile.capture))",
            "title": NIPMasking.mask(item.title ?? "(tanpa judul)"),
            "platform": item.platform,
            "published": item.publishedAt.map { localAndUTC($0, zone: zone) } ?? "(tidak diketahui)",
            "fetched": localAndUTC(caseFile.capture.fetchedAt, zone: zone),
            "created": localAndUTC(manifest.createdAt, zone: zone),
            "deadline": dayOnly(deadline, zone: zone),
            "origin": origin,
            "hasSupersedes": manifest.supersedes != nil,
            "acts": acts,
            "excerpts": excerpts,
            "legend": legend,
            "images": caseFile.keptImages.map { image in
                ["src": "data:\(image.mediaType ?? "image/jpeg");base64,\(image.body.base64EncodedString())", "url": image.finalURL]
            },
            "hasImages": !caseFile.keptImages.isEmpty,
            "packs": caseFile.packs.map { ["name": $0.name, "version": $0.version, "sha256": $0.sha256] },
            "tool": "netral \(NetralVersion.current)",
        ]
        if let earlier = manifest.supersedes {
            context["supersedes"] = ["caseID": earlier.caseID, "path": "../../\(earlier.path)/report.html", "changes": earlier.changes]
        }
        return context
    }

    private struct FieldKey: Hashable {
        var field: ItemField
        var index: Int
    }

    /// Kinds in the order the legend and the merge of overlapping hits prefer.
    static let kindOrder = ["asn", "candidate", "party", "support", "slogan", "gesture", "person", "speaker", "context"]

    static func kindRank(_ kind: String) -> Int { kindOrder.firstIndex(of: kind) ?? kindOrder.count }

    /// One row per signal: its label, its kind and each distinct word found with a count.
    static func compactHits(_ hits: [Hit], labels: [String: String]) -> [[String: Any]] {
        var order: [String] = []
        var bySignal: [String: (kind: String, words: [String], counts: [String: Int])] = [:]
        for hit in hits {
            let word = NIPMasking.mask(hit.quote)
            if bySignal[hit.signal] == nil {
                order.append(hit.signal)
                bySignal[hit.signal] = (hit.kind, [], [:])
            }
            if bySignal[hit.signal]!.counts[word] == nil { bySignal[hit.signal]!.words.append(word) }
            bySignal[hit.signal]!.counts[word, default: 0] += 1
        }
        return order.map { signal in
            let entry = bySignal[signal]!
            let words = entry.words.map { word in entry.counts[word]! > 1 ? "«\(word)» ×\(entry.counts[word]!)" : "«\(word)»" }
            return ["kind": entry.kind, "kindLabel": kindLabel(entry.kind), "signal": labels[signal] ?? signal, "words": words.joined(separator: ", ")]
        }
    }

    /// Excerpts of a field around its hits (overlapping hits merged into one mark, coloured by
    /// the most telling kind); text far from any hit is cut, so a long page prints short.
    static func segments(of text: String, hits: [Hit], labels: [String: String]) -> [[String: Any]] {
        let bytes = Array(text.utf8)
        var ranges: [(start: Int, end: Int, kind: String, signals: [String])] = []
        for hit in hits.sorted(by: { ($0.start, $0.end) < ($1.start, $1.end) }) {
            guard hit.start >= 0, hit.end <= bytes.count, hit.start < hit.end else { continue }
            let name = labels[hit.signal] ?? hit.signal
            if let last = ranges.last, hit.start < last.end {
                let kind = kindRank(hit.kind) < kindRank(last.kind) ? hit.kind : last.kind
                let signals = last.signals.contains(name) ? last.signals : last.signals + [name]
                ranges[ranges.count - 1] = (last.start, max(last.end, hit.end), kind, signals)
            } else {
                ranges.append((hit.start, hit.end, hit.kind, [name]))
            }
        }
        var segments: [[String: Any]] = []
        var position = 0
        func string(_ from: Int, _ to: Int) -> String {
            NIPMasking.mask(String(decoding: bytes[from..<to], as: UTF8.self))
        }
        func plain(_ from: Int, _ to: Int, leading: Bool, trailing: Bool) {
            guard from < to else { return }
            if to - from <= 2 * excerptContext + 20 || (leading && to - from <= excerptContext) || (trailing && to - from <= excerptContext) {
                segments.append(["text": string(from, to), "hit": false])
                return
            }
            // Cut at a UTF-8 character boundary (not a continuation byte, 10xxxxxx).
            func boundary(_ index: Int) -> Int {
                var index = index
                while index < bytes.count, bytes[index] & 0xC0 == 0x80 { index += 1 }
                return index
            }
            let head = leading ? from : boundary(from + excerptContext)
            let tail = trailing ? to : boundary(to - excerptContext)
            if !leading { segments.append(["text": string(from, head), "hit": false]) }
            segments.append(["text": " … ", "hit": false, "cut": true])
            if !trailing { segments.append(["text": string(tail, to), "hit": false]) }
        }
        for (index, range) in ranges.enumerated() {
            plain(position, range.start, leading: index == 0, trailing: false)
            segments.append([
                "text": string(range.start, range.end), "hit": true, "kind": range.kind,
                "signals": range.signals.joined(separator: "; "),
            ])
            position = range.end
        }
        plain(position, bytes.count, leading: false, trailing: true)
        return segments
    }

    /// A condition as a reviewer reads it: `asn and peserta and ajakan-memilih` becomes
    /// `identitas ASN dan peserta pemilu dan «Ajakan memilih, ...»`, and
    /// `near(foto-bersama, candidate, 8)` becomes `«Berfoto ...» dekat calon (≤ 8 kata)`.
    static func conditionInWords(_ condition: String, labels: [String: String]) -> String {
        // Tokens: names (with an optional [field]), numbers, parentheses and commas.
        var tokens: [String] = []
        var token = ""
        for character in condition {
            if character.isLetter || character.isNumber || "-_[]".contains(character) {
                token.append(character)
            } else {
                if !token.isEmpty { tokens.append(token); token = "" }
                if "(),".contains(character) { tokens.append(String(character)) }
            }
        }
        if !token.isEmpty { tokens.append(token) }
        var words: [String] = []
        var index = 0
        while index < tokens.count {
            let current = tokens[index]
            // near(a, b, n): the one call with arguments; its arguments are plain names.
            if current == "near", index + 7 < tokens.count, tokens[index + 1] == "(", tokens[index + 3] == ",",
               tokens[index + 5] == ",", tokens[index + 7] == ")" {
                words.append("\(partLabel(tokens[index + 2], labels: labels)) dekat \(partLabel(tokens[index + 4], labels: labels)) (≤ \(tokens[index + 6]) kata)")
                index += 8
                continue
            }
            switch current {
            case "and": words.append("dan")
            case "or": words.append("atau")
            case "not": words.append("bukan")
            case "(", ")": words.append(current)
            case ",": words.append(",")
            default: words.append(Int(current) != nil ? current : partLabel(current, labels: labels))
            }
            index += 1
        }
        return words.joined(separator: " ")
            .replacingOccurrences(of: "( ", with: "(").replacingOccurrences(of: " )", with: ")").replacingOccurrences(of: " ,", with: ",")
    }

    /// A name of a condition part (signal, kind or group), as a reviewer reads it.
    static func partLabel(_ name: String, labels: [String: String]) -> String {
        var base = name
        var suffix = ""
        if let bracket = name.firstIndex(of: "[") {
            base = String(name[..<bracket])
            let field = name[bracket...].trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
            let scopes: [String: String] = ["alt": "di teks alt gambar", "text": "di teks", "author": "di kolom penulis",
                                            "links": "di teks tautan", "self": "menggambarkan penulis sendiri",
                                            "tag": "sebagai tagar", "window": "dalam masa pemilihannya"]
            suffix = " (" + field.split(separator: ",").map { scopes[$0.trimmingCharacters(in: .whitespaces)] ?? "di \($0)" }.joined(separator: ", ") + ")"
        }
        if let label = labels[base] { return "«\(label)»" + suffix }
        let kind = kindLabel(base)
        if kind != base { return kind + suffix }
        return base.replacingOccurrences(of: "-", with: " ") + suffix
    }

    static func kindLabel(_ kind: String) -> String {
        switch kind {
        case "candidate": "calon"
        case "party": "partai"
        case "slogan": "slogan"
        case "gesture": "gestur"
        case "support": "ajakan/dukungan"
        case "asn": "identitas ASN"
        case "context": "konteks netralitas"
        case "person": "orang yang disebut namanya"
        case "speaker": "penanda penutur"
        case "peserta": "peserta pemilu (calon atau partai)"
        default: kind
        }
    }

    /// The zone of the published time's own offset, when the page gave one in its metadata.
    static func publishedZone(of item: Item) -> IndonesianZone? {
        for key in ["article:published_time", "og:published_time", "datepublished", "published"] {
            guard let value = item.metadata[key], value.count >= 6 else { continue }
            let tail = value.suffix(6)
            guard tail.first == "+", let hours = Int(tail.dropFirst().prefix(2)) else { continue }
            return IndonesianZone(offsetSeconds: hours * 3600)
        }
        return nil
    }

    static let indonesianMonths = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
                                   "September", "Oktober", "November", "Desember"]

    /// `20 Januari 2024 18.26 WIB (11.26 UTC)`.
    static func localAndUTC(_ date: Date, zone: IndonesianZone) -> String {
        let local = Calendar.gregorian(in: zone.timeZone).dateComponents([.year, .month, .day, .hour, .minute], from: date)
        let utc = Calendar.gregorian(in: TimeZone(identifier: "UTC")!).dateComponents([.day, .hour, .minute], from: date)
        var text = "\(local.day ?? 0) \(indonesianMonths[(local.month ?? 1) - 1]) \(local.year ?? 0) "
        text += String(format: "%02d.%02d", local.hour ?? 0, local.minute ?? 0) + " \(zone.rawValue)"
        text += " (" + (utc.day != local.day ? "tgl \(utc.day ?? 0), " : "") + String(format: "%02d.%02d", utc.hour ?? 0, utc.minute ?? 0) + " UTC)"
        return text
    }

    static func dayOnly(_ date: Date, zone: IndonesianZone) -> String {
        let local = Calendar.gregorian(in: zone.timeZone).dateComponents([.year, .month, .day], from: date)
        return "\(local.day ?? 0) \(indonesianMonths[(local.month ?? 1) - 1]) \(local.year ?? 0) (\(zone.rawValue))"
    }
}

extension Calendar {
    static func gregorian(in zone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }
}
