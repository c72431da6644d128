public import Foundation
import Mustache
import NetralModel

/// `index.html` of the evidence folder: every case file with its date, who, acts, severity,
/// candidates, status and a link to its report. Self-contained and script-free; replaced in one
/// step (write beside, rename over) after each scan, so a reader never sees half of it.
public enum EvidenceIndex {
    public static let fileName = "index.html"
    static let template: MustacheTemplate? = try? MustacheTemplate(string: indexTemplate)

    public static func write(root: String, caseFiles: [StoredCaseFile], superseded: Set<String>, now: Date) throws {
        let html = render(caseFiles: caseFiles, superseded: superseded, now: now)
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try DurableFile.replace(Data(html.utf8), at: (root as NSString).appendingPathComponent(fileName))
    }

    static func render(caseFiles: [StoredCaseFile], superseded: Set<String>, now: Date) -> String {
        guard let template else { return "<!doctype html><title>Indeks</title><p>Templat indeks rusak.</p>" }
        let zone = IndonesianZone.wib
        // Newest first: what a reviewer opens the index for.
        let rows: [[String: Any]] = caseFiles.reversed().map { caseFile in
            var status = caseFile.reviewStatus.label.lowercased()
            if superseded.contains(caseFile.id) { status += " (digantikan)" }
            return [
                "id": caseFile.id,
                "date": ReportRenderer.localAndUTC(caseFile.createdAt, zone: zone),
                "who": caseFile.author,
                "acts": caseFile.acts.replacingOccurrences(of: ",", with: ", "),
                "severity": caseFile.severity.label,
                "severityClass": caseFile.severity.rawValue,
                "candidates": caseFile.candidates,
                "status": status,
                "report": "\(caseFile.path)/report.html",
                "folder": "\(caseFile.path)/",
                "item": caseFile.itemID,
            ]
        }
        return DisplayText.neutralised(template.render([
            "rows": rows, "count": caseFiles.count, "hasRows": !rows.isEmpty,
            "updated": ReportRenderer.localAndUTC(now, zone: zone),
        ]))
    }
}

private let indexTemplate = """
\(documentStart)
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Indeks berkas kasus Netral</title>
<style>
body { font-family: system-ui, sans-serif; margin: 1.5rem auto; max-width: 70rem; padding: 0 1rem; color: #1d1d1f; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: .3rem .45rem; border-bottom: 1px solid #e5e5e5; }
td { overflow-wrap: break-word; hyphens: none; }
td small { overflow-wrap: anywhere; } td:first-child, td:nth-child(4), td:last-child { white-space: nowrap; }
th { background: #f4f4f4; }
a { color: #1558b0; }
\(kindStyles)
@media (max-width: 40rem) { thead { display: none; } tr { display: block; border-bottom: 2px solid #ccc; } td { display: block; border: 0; padding: .1rem 0; } }
</style>
</head>
<body>
<h1>Indeks berkas kasus</h1>
<p>{{count}} berkas kasus · diperbarui {{updated}}</p>
{{#hasRows}}<table>
<thead><tr><th>Tanggal</th><th>Siapa</th><th>Pelanggaran</th><th>Tingkat</th><th>Calon/partai</th><th>Status</th><th>Berkas</th></tr></thead>
<tbody>
{{#rows}}<tr><td>{{date}}</td><td>{{who}}<br><small>{{item}}</small></td><td>{{acts}}</td><td><span class="badge {{severityClass}}">{{severity}}</span></td><td>{{candidates}}</td><td>{{status}}</td><td><a href="{{report}}">laporan</a> · <a href="{{folder}}">folder</a></td></tr>
{{/rows}}
</tbody>
</table>{{/hasRows}}{{^hasRows}}<p>Belum ada berkas kasus.</p>{{/hasRows}}
</body>
</html>
"""
