import Foundation
import Mustache
import NetralModel

/// Renders `report.html`: a self-contained page (no external resources) for the reviewer, in
/// Bahasa Indonesia, with matched terms highlighted and NIPs masked. All text goes through
/// Mustache's `{{...}}`, which escapes HTML, so a hostile page cannot inject markup.
enum ReportRenderer {
    static func render(_ content: BundleContent, createdAt: Date) -> String {
        // The template is a compile-time constant; failing to parse it is a programming error
        // caught by the tests, so fall back to a plain message rather than crash a scan.
        guard let template = try? MustacheTemplate(string: reportTemplate) else {
            return "<!doctype html><title>Laporan</title><p>Templat laporan rusak.</p>"
        }
        return template.render(context(for: content, createdAt: createdAt))
    }

    static func context(for content: BundleContent, createdAt: Date) -> [String: Any] {
        let finding = content.finding
        let item = content.item
        let hitsByField = Dictionary(grouping: finding.hits) { FieldKey(field: $0.field, index: $0.fieldIndex) }
        var fields: [[String: Any]] = []
        for field in item.fieldTexts {
            let key = FieldKey(field: field.field, index: field.index)
            guard let hits = hitsByField[key] else { continue }
            fields.append([
                "label": field.field.label + (field.field == .imageAlt || field.field == .linkText ? " \(field.index + 1)" : ""),
                "segments": segments(of: field.text, hits: hits),
            ])
        }
        let hits: [[String: Any]] = finding.hits.map { hit in
            [
                "signal": hit.signal,
                "kind": kindLabel(hit.kind),
                "term": hit.term,
                "field": hit.field.label,
                "quote": NIPMasking.mask(hit.quote),
            ]
        }
        return [
            "findingID": finding.id,
            "rule": finding.rule,
            "act": finding.act,
            "actTitle": ProhibitedAct.title(of: finding.act),
            "severity": finding.severity.label,
            "severityClass": finding.severity.rawValue,
            "score": String(format: "%.2f", finding.score),
            "description": finding.description,
            "condition": finding.condition,
            "unless": finding.unless ?? "",
            "hasUnless": finding.unless != nil,
            "fired": finding.fired.joined(separator: ", "),
            "scoreNotes": finding.scoreNotes,
            "sourceURL": item.sourceURL,
            "canonicalURL": item.canonicalURL ?? "",
            "hasCanonical": item.canonicalURL != nil,
            "title": NIPMasking.mask(item.title ?? "(tanpa judul)"),
            "author": NIPMasking.mask(item.author?.name ?? "(tidak diketahui)"),
            "published": item.publishedAt.map(format) ?? "(tidak diketahui)",
            "fetched": format(content.capture.fetchedAt),
            "created": format(createdAt),
            "origin": content.capture.status == 0
                ? "berkas lokal atau arsip \(content.capture.requestURL)"
                : "HTTP \(content.capture.status), IP server \(content.capture.peerIP ?? "tidak diketahui")",
            "platform": item.platform,
            "fields": fields,
            "hits": hits,
            "packs": content.packs.map { ["name": $0.name, "version": $0.version, "sha256": $0.sha256] },
            "tool": "netral \(NetralVersion.current)",
        ]
    }

    private struct FieldKey: Hashable {
        var field: ItemField
        var index: Int
    }

    /// Splits a field's text into plain and highlighted runs. Overlapping hits merge.
    static func segments(of text: String, hits: [Hit]) -> [[String: Any]] {
        let bytes = Array(text.utf8)
        var ranges: [(Int, Int, String)] = []
        for hit in hits.sorted(by: { ($0.start, $0.end) < ($1.start, $1.end) }) {
            guard hit.start >= 0, hit.end <= bytes.count, hit.start < hit.end else { continue }
            if let last = ranges.last, hit.start < last.1 {
                ranges[ranges.count - 1] = (last.0, max(last.1, hit.end), last.2 + ", " + hit.signal)
            } else {
                ranges.append((hit.start, hit.end, hit.signal))
            }
        }
        var segments: [[String: Any]] = []
        var position = 0
        func plain(_ from: Int, _ to: Int) {
            guard from < to else { return }
            segments.append(["text": NIPMasking.mask(String(decoding: bytes[from..<to], as: UTF8.self)), "hit": false])
        }
        for (start, end, signals) in ranges {
            plain(position, start)
            segments.append([
                "text": NIPMasking.mask(String(decoding: bytes[start..<end], as: UTF8.self)),
                "hit": true,
                "signals": signals,
            ])
            position = end
        }
        plain(position, bytes.count)
        return segments
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
        default: kind
        }
    }

    static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date).replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: " UTC")
    }
}

/// The report page. Inline CSS only: the page must open offline and load nothing.
let reportTemplate = """
<!doctype html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Temuan {{findingID}} – {{rule}}</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #1d1d1f; line-height: 1.5; }
h1 { font-size: 1.5rem; margin-bottom: .25rem; }
h2 { font-size: 1.15rem; margin-top: 2rem; border-bottom: 1px solid #ddd; padding-bottom: .25rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: .35rem .5rem; border-bottom: 1px solid #eee; }
th { width: 14rem; color: #555; font-weight: 600; }
mark { background: #ffe066; padding: 0 .1rem; border-radius: 2px; }
.badge { display: inline-block; padding: .1rem .6rem; border-radius: 1rem; font-weight: 600; color: #fff; }
.high { background: #c92a2a; } .medium { background: #e67700; } .low { background: #5c7cfa; }
.field { white-space: pre-wrap; background: #fafafa; border: 1px solid #eee; padding: .75rem; border-radius: 4px; }
.note { color: #8a5a00; }
code { font-size: .9em; word-break: break-all; }
footer { margin-top: 3rem; color: #777; font-size: .85rem; }
</style>
</head>
<body>
<h1>Laporan Temuan Dugaan Pelanggaran Netralitas ASN</h1>
<p><span class="badge {{severityClass}}">Tingkat {{severity}}</span> Skor {{score}} · ID temuan <code>{{findingID}}</code></p>
<p>Temuan ini dihasilkan secara otomatis oleh Netral dan <strong>wajib diperiksa oleh petugas</strong> sebelum ditindaklanjuti.</p>

<h2>Ringkasan</h2>
<table>
<tr><th>Aturan</th><td><code>{{rule}}</code> – {{description}}</td></tr>
<tr><th>Jenis pelanggaran (SKB 2/2022)</th><td>{{act}}: {{actTitle}}</td></tr>
<tr><th>Kondisi yang terpenuhi</th><td><code>{{condition}}</code><br>Bagian yang terpenuhi: {{fired}}</td></tr>
{{#hasUnless}}<tr><th>Pengecualian (tidak terpenuhi)</th><td><code>{{unless}}</code></td></tr>{{/hasUnless}}
{{#scoreNotes}}<tr><th>Catatan skor</th><td class="note">{{.}}</td></tr>{{/scoreNotes}}
</table>

<h2>Sumber</h2>
<table>
<tr><th>Alamat (URL)</th><td><code>{{sourceURL}}</code></td></tr>
{{#hasCanonical}}<tr><th>URL kanonik</th><td><code>{{canonicalURL}}</code></td></tr>{{/hasCanonical}}
<tr><th>Judul</th><td>{{title}}</td></tr>
<tr><th>Penulis</th><td>{{author}}</td></tr>
<tr><th>Platform</th><td>{{platform}}</td></tr>
<tr><th>Waktu terbit</th><td>{{published}}</td></tr>
<tr><th>Waktu pengambilan</th><td>{{fetched}} ({{origin}})</td></tr>
</table>

<h2>Teks dengan kata yang cocok</h2>
{{#fields}}
<h3>{{label}}</h3>
<div class="field">{{#segments}}{{#hit}}<mark title="{{signals}}">{{text}}</mark>{{/hit}}{{^hit}}{{text}}{{/hit}}{{/segments}}</div>
{{/fields}}

<h2>Daftar kecocokan</h2>
<table>
<tr><th>Sinyal</th><th>Jenis</th><th>Istilah</th><th>Bagian</th><th>Kutipan</th></tr>
{{#hits}}<tr><td><code>{{signal}}</code></td><td>{{kind}}</td><td>{{term}}</td><td>{{field}}</td><td>{{quote}}</td></tr>
{{/hits}}
</table>

<h2>Paket aturan</h2>
<table>
{{#packs}}<tr><th>{{name}} {{version}}</th><td><code>{{sha256}}</code></td></tr>
{{/packs}}
</table>

<footer>Dibuat oleh {{tool}} pada {{created}}. Berkas asli halaman dan sidik SHA-256 setiap berkas ada di folder bukti ini (manifest.json); periksa keutuhannya dengan <code>netral verify</code>.</footer>
</body>
</html>
"""
