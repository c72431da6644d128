/// Colours shared by the report and the index: one per signal kind, readable in print.
let kindStyles = """
mark { padding: 0 .1rem; border-radius: 2px; color: inherit; }
.k-asn { background: #ffd8a8; } .k-candidate { background: #a5d8ff; } .k-party { background: #b2f2bb; }
.k-support { background: #ffc9c9; } .k-slogan { background: #eebefa; } .k-gesture { background: #fff3bf; }
.k-person { background: #c3fae8; } .k-speaker { background: #e9ecef; } .k-context { background: #dee2e6; }
.badge { display: inline-block; padding: .05rem .55rem; border-radius: 1rem; font-weight: 600; color: #fff; }
.high { background: #c92a2a; } .medium { background: #e67700; } .low { background: #5c7cfa; }
"""

/// How the report and the index begin, up to their own Content-Security-Policy.
let documentStart = """
<!doctype html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
"""

/// The report page. Inline CSS only: the page must open offline and load nothing. Print CSS
/// keeps one act to at most two A4 pages (excerpts, not whole pages, are quoted).
let reportTemplate = """
\(documentStart)
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>Berkas kasus {{caseID}}</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 52rem; margin: 1.5rem auto; padding: 0 1rem; color: #1d1d1f; line-height: 1.45; }
h1 { font-size: 1.35rem; margin: 0 0 .25rem; }
h2 { font-size: 1.1rem; margin: 1.4rem 0 .4rem; border-bottom: 1px solid #ccc; padding-bottom: .2rem; }
h3 { font-size: 1rem; margin: .9rem 0 .3rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: .25rem .45rem; border-bottom: 1px solid #eee; overflow-wrap: anywhere; }
th { width: 11rem; color: #444; font-weight: 600; }
.who { border: 2px solid #1d1d1f; border-radius: 6px; padding: .5rem .75rem; }
.who th { width: 9rem; }
.field { white-space: pre-wrap; background: #fafafa; border: 1px solid #e5e5e5; padding: .5rem .65rem; border-radius: 4px; overflow-wrap: anywhere; }
.cut { color: #888; }
.note { color: #8a5a00; }
.changes { background: #fff8e1; border-left: 4px solid #f59f00; padding: .4rem .75rem; }
.act { border: 1px solid #ddd; border-radius: 6px; padding: .2rem .75rem .6rem; margin: .8rem 0; }
.legend mark { margin-right: .4rem; }
.images { display: flex; flex-wrap: wrap; gap: .5rem; }
.images figure { margin: 0; max-width: 100%; }
.images img { max-width: 100%; max-height: 16rem; border: 1px solid #ddd; }
.images figcaption { font-size: .75rem; color: #666; }
code { font-size: .85em; overflow-wrap: anywhere; }
a { color: #1558b0; overflow-wrap: anywhere; }
footer { margin-top: 1.5rem; color: #666; font-size: .8rem; }
\(kindStyles)
@media (max-width: 40rem) {
  body { margin: .75rem auto; padding: 0 .6rem; }
  th, td { display: block; width: auto; border: 0; padding: .1rem 0; }
  tr { display: block; border-bottom: 1px solid #eee; padding: .25rem 0; }
  th { font-size: .85rem; }
}
@page { size: A4; margin: 14mm 14mm 16mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 9.5pt; line-height: 1.3; }
  h2 { margin-top: .8rem; break-after: avoid; } .who, figure { break-inside: avoid; }
  /* The whole rule is on screen and in findings.json; on paper, the parts that held (one act
     in at most two A4 pages). */
  tr.condition { display: none; }
  .images img { max-height: 6cm; }
  a { color: inherit; text-decoration: none; }
  mark { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .badge { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
</style>
</head>
<body>
{{^reportOnly}}<h1>Berkas Kasus Dugaan Pelanggaran Netralitas ASN</h1>
<p><span class="badge {{severityClass}}">Tingkat {{severity}}</span> {{violationCount}} jenis pelanggaran{{#reportCount}} · {{reportCount}} laporan tentang pihak lain{{/reportCount}} · ID berkas <code>{{caseID}}</code><br>
Temuan otomatis Netral: <strong>wajib diperiksa petugas</strong> sebelum ditindaklanjuti.</p>{{/reportOnly}}
{{#reportOnly}}<h1>Laporan tentang Pihak Lain (bukan pelanggaran penulis)</h1>
<p><span class="badge low">Laporan</span> ID berkas <code>{{caseID}}</code><br>
Unggahan ini <strong>melaporkan atau menuduh</strong> ASN, perangkat desa atau instansi berpihak. Penulisnya
tidak ditunjukkan sebagai ASN: ini petunjuk untuk pengawasan media, <strong>bukan temuan terhadap penulis</strong>.
Periksa siapa yang dilaporkan, calon yang disebut, dan tindakannya.</p>{{/reportOnly}}

<h2>Siapa (terlapor)</h2>
<div class="who"><table>
{{#who}}<tr><th>{{label}}</th><td>{{value}}{{#source}} <small class="note">(sumber: {{source}})</small>{{/source}}</td></tr>
{{/who}}{{^hasWho}}<tr><th>Nama</th><td>(tidak diketahui)</td></tr>{{/hasWho}}
</table></div>

<h2>Ringkasan</h2>
<table>
<tr><th>Calon/partai yang disebut</th><td>{{#candidates}}{{.}}<br>{{/candidates}}{{^hasCandidates}}(tidak ada yang disebut langsung){{/hasCandidates}}</td></tr>
<tr><th>Wilayah</th><td>{{#hasRegion}}{{region}}{{/hasRegion}}{{^hasRegion}}(tidak disebut dalam konfigurasi){{/hasRegion}}</td></tr>
<tr><th>Sumber</th><td>{{#sourceIsWeb}}<a href="{{sourceURL}}">{{sourceURL}}</a>{{/sourceIsWeb}}{{^sourceIsWeb}}<code>{{sourceURL}}</code>{{/sourceIsWeb}}
{{#hasCanonical}}<br>URL kanonik: <code>{{canonicalURL}}</code>{{/hasCanonical}}</td></tr>
<tr><th>Salinan arsip</th><td><a href="{{archiveFile}}">{{archiveFile}}</a> (isi halaman) · <a href="capture.warc.gz">capture.warc.gz</a> (arsip WARC lengkap)</td></tr>
<tr><th>Judul</th><td>{{title}}</td></tr>
<tr><th>Platform</th><td>{{platform}}</td></tr>
<tr><th>Waktu terbit</th><td>{{published}}</td></tr>
<tr><th>Waktu pengambilan</th><td>{{fetched}}<br>{{origin}}</td></tr>
<tr><th>Berkas dibuat</th><td>{{created}}</td></tr>
<tr><th>Batas waktu laporan</th><td><strong>{{deadline}}</strong> (7 hari sejak temuan dibuat)</td></tr>
</table>
{{#hasSupersedes}}{{#supersedes}}<h2>Perubahan sejak berkas sebelumnya</h2>
<div class="changes"><p>Berkas ini menggantikan <a href="{{path}}"><code>{{caseID}}</code></a>; isi unggahan berubah:</p>
<ul>{{#changes}}<li>{{.}}</li>{{/changes}}</ul></div>{{/supersedes}}{{/hasSupersedes}}

{{^reportOnly}}<h2>Jenis pelanggaran dan buktinya</h2>{{/reportOnly}}{{#reportOnly}}<h2>Yang dilaporkan dan buktinya</h2>{{/reportOnly}}
{{#acts}}<div class="act">
<h3>{{#isReport}}Laporan tentang pihak lain · {{/isReport}}{{act}}: {{actTitle}} <span class="badge {{severityClass}}">{{severity}}</span></h3>
{{#isReport}}<p class="note">Bukan pelanggaran oleh penulis: unggahan menyebut orang lain (kata identitas tanpa penanda orang pertama).</p>{{/isReport}}
<table>
<tr><th>Aturan</th><td>{{description}} <code>({{rule}}, skor {{score}})</code></td></tr>
<tr class="condition"><th>Syarat</th><td>{{conditionWords}}</td></tr>
<tr><th>Yang terpenuhi</th><td>{{firedWords}}</td></tr>
{{#hasUnless}}<tr><th>Pengecualian (tidak terpenuhi)</th><td>{{unlessWords}}</td></tr>{{/hasUnless}}
{{#scoreNotes}}<tr><th>Catatan skor</th><td class="note">{{.}}</td></tr>{{/scoreNotes}}
{{#hitGroups}}<tr><th><mark class="k-{{kind}}">{{kindLabel}}</mark></th><td>{{signal}}: {{words}}</td></tr>
{{/hitGroups}}
</table>
</div>{{/acts}}

{{#hasImages}}<h2>Gambar dalam unggahan</h2>
<div class="images">{{#images}}<figure><img src="{{src}}" alt="Gambar dari {{url}}"><figcaption><code>{{url}}</code></figcaption></figure>{{/images}}</div>
<p>Gambar disimpan juga di capture.warc.gz.</p>{{/hasImages}}

<h2>Kutipan dengan kata yang cocok</h2>
<p class="legend">{{#legend}}<mark class="k-{{kind}}">{{label}}</mark>{{/legend}}</p>
{{#excerpts}}<h3>{{label}}</h3>
<div class="field">{{#segments}}{{#hit}}<mark class="k-{{kind}}" title="{{signals}}">{{text}}</mark>{{/hit}}{{^hit}}{{#cut}}<span class="cut">{{text}}</span>{{/cut}}{{^cut}}{{text}}{{/cut}}{{/hit}}{{/segments}}</div>
{{/excerpts}}

<footer>Paket aturan: {{#packs}}{{name}} {{version}} <code>{{sha256}}</code>; {{/packs}}<br>
Dibuat oleh {{tool}}. Sidik SHA-256 setiap berkas ada di manifest.json (ditandatangani di signature.json bila kunci dipasang); periksa keutuhannya dengan <code>netral verify</code>.</footer>
</body>
</html>
"""
