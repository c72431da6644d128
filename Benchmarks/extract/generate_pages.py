#!/usr/bin/env python3
"""Generates varied HTML pages for the extraction benchmark.

Usage: generate_pages.py OUTPUT_DIR [--count N] [--seed S]

The pages are deterministic for a given seed. They mix page shapes (blog post, news article
with heavy boilerplate, forum thread, timeline, link listing, data tables, an HTML 4 table
layout, broken markup, deep nesting), sizes (about 3 KB to 100 KB, and one page in 25 several
times longer) and encodings (UTF-8, UTF-8
with a BOM, windows-1252 and ISO-8859-1 declared by <meta>, undeclared UTF-8). The text is
Indonesian-like and invented; every domain is .example.
"""
import argparse
import json
import os
import random

WORDS = (
    "warga desa kecamatan kabupaten jalan sawah panen pasar harga beras cabai bawang pupuk irigasi "
    "sekolah guru murid posyandu kader balita puskesmas bidan camat lurah kepala sekretaris rapat "
    "musyawarah gotong royong kerja bakti jembatan sungai hujan banjir kemarau kebun kopi sawit karet "
    "nelayan perahu ikan laut pantai masjid gereja pengajian arisan ibu bapak anak pemuda karang taruna "
    "olahraga sepak bola voli bulu tangkis lomba kemerdekaan upacara bendera pemilu kampanye tps "
    "pemungutan suara netralitas bawaslu pengawas aparatur pelayanan publik anggaran dana bantuan "
    "sosial program pembangunan infrastruktur listrik air bersih sinyal internet ojek angkot terminal "
    "pelabuhan bandara kantor dinas bupati gubernur dewan perwakilan rakyat daerah laporan berita "
    "kabar cerita catatan kenangan foto video unggahan komentar tanggapan usulan keluhan terima kasih "
    "semoga lancar berkah sehat selamat pagi siang sore malam hari minggu senin selasa rabu kamis jumat sabtu"
).split()
PLACES = ["Sungai Jernih", "Watu Asri", "Padang Lestari", "Loa Permai", "Muara Tenang", "Tanah Jernih",
          "Tepian Jaya", "Bukit Damai", "Telaga Sari", "Karang Indah"]
NAMES = ["Bambang Sutrisno", "Sri Wahyuningsih", "Suparman", "Rina Marlina", "Andi Prasetyo", "Dedi Kurniawan",
         "Nurlaila", "Yusuf Hidayat", "Wulan Sari", "Dimas Pratama", "Siti Rahmawati", "Hartono", "Ratna Dewi",
         "Agus Salim", "Fitri Handayani", "Joko Susanto", "Maya Anggraini", "Rudi Hermawan"]
ACCENTED = ["café", "déjà vu", "naïve", "señor", "½ porsi", "© redaksi", "“kutipan”", "– jeda –", "… dan seterusnya",
            "‘tanda petik’", "€ 5", "• butir"]
EMOJI = ["🙏", "👍", "😄", "📸", "✌️", "🌾", "💪"]


class Page:
    def __init__(self, rng):
        self.rng = rng

    def words(self, low, high):
        n = self.rng.randint(low, high)
        return " ".join(self.rng.choice(WORDS) for _ in range(n))

    def sentence(self, legacy):
        text = self.words(6, 22)
        text = text[0].upper() + text[1:]
        roll = self.rng.random()
        if roll < 0.25:
            text += ", " + self.words(3, 10)
        if roll < 0.1:
            text += " di " + self.rng.choice(PLACES)
        if self.rng.random() < 0.08:
            text += " " + self.rng.choice(ACCENTED)
        if not legacy and self.rng.random() < 0.05:
            text += " " + self.rng.choice(EMOJI)
        if self.rng.random() < 0.04:
            text += " #" + self.rng.choice(WORDS).capitalize() + self.rng.choice(PLACES).replace(" ", "")
        return text + "."

    def paragraph(self, legacy, low=2, high=7):
        return " ".join(self.sentence(legacy) for _ in range(self.rng.randint(low, high)))

    def link(self, text=None):
        return '<a href="/%s/%d">%s</a>' % (self.rng.choice(WORDS), self.rng.randint(1, 99999), text or self.words(2, 6))

    def nav(self):
        return '<nav class="menu-utama"><ul>%s</ul></nav>' % "".join("<li>%s</li>" % self.link(self.rng.choice(WORDS).capitalize()) for _ in range(self.rng.randint(5, 14)))

    def script(self, size):
        body = "var data = %s;" % json.dumps([self.words(1, 4) for _ in range(size)])
        return "<script>%s\nfunction init(){ document.querySelectorAll('img').forEach(function(e){ e.loading='lazy'; }); }</script>" % body

    def style(self, rules):
        return "<style>%s</style>" % "".join(".k%d{margin:%dpx;padding:0 %dpx;color:#%06x}" % (i, i % 17, i % 9, self.rng.randint(0, 0xFFFFFF)) for i in range(rules))

    def head(self, title, charset, legacy, jsonld=None):
        parts = []
        if charset == "meta-http-equiv":
            parts.append('<meta http-equiv="Content-Type" content="text/html; charset=%s">' % legacy)
        elif charset:
            parts.append('<meta charset="%s">' % charset)
        parts.append("<title>%s</title>" % title)
        parts.append('<meta name="description" content="%s">' % self.sentence(bool(legacy)))
        parts.append('<meta property="og:title" content="%s">' % title)
        parts.append('<meta property="article:published_time" content="2024-%02d-%02dT%02d:%02d:00+08:00">'
                     % (self.rng.randint(1, 12), self.rng.randint(1, 28), self.rng.randint(0, 23), self.rng.randint(0, 59)))
        parts.append('<link rel="canonical" href="https://kabar%d.example/%s">' % (self.rng.randint(1, 50), self.rng.choice(WORDS)))
        if jsonld:
            parts.append('<script type="application/ld+json">%s</script>' % json.dumps(jsonld, ensure_ascii=False))
        if self.rng.random() < 0.6:
            parts.append(self.style(self.rng.randint(10, 400)))
        if self.rng.random() < 0.5:
            parts.append(self.script(self.rng.randint(10, 800)))
        return "<head>%s</head>" % "\n".join(parts)

    # Page shapes -------------------------------------------------------------------------

    def blog(self, legacy):
        title = self.words(3, 8).capitalize()
        paragraphs = "\n".join("<p>%s</p>" % self.paragraph(legacy) for _ in range(self.rng.randint(3, 40)))
        comments = "".join('<div class="comment"><p class="comment-author">%s</p><p>%s</p></div>' % (self.rng.choice(NAMES), self.paragraph(legacy, 1, 2)) for _ in range(self.rng.randint(0, 25)))
        body = ('<header class="site-header"><p class="site-name">%s</p>%s</header><main><article class="post"><h1>%s</h1>'
                '<p class="post-meta">Ditulis %s</p><img src="/img/%d.jpg" alt="%s">%s'
                '<aside class="author-box"><p class="author-bio"><strong>%s</strong> %s</p></aside></article>'
                '<section id="comments">%s</section></main><aside class="sidebar"><div class="widget">%s</div></aside>'
                '<footer class="site-footer"><p>%s</p></footer>') % (
            self.link("Catatan " + self.rng.choice(NAMES)), self.nav(), title, self.words(2, 4), self.rng.randint(1, 999), self.sentence(legacy),
            paragraphs, self.rng.choice(NAMES), self.sentence(legacy), comments,
            "".join("<p>%s</p>" % self.link() for _ in range(self.rng.randint(3, 12))), self.sentence(legacy))
        return title, body, None

    def news(self, legacy):
        title = self.words(5, 12).capitalize()
        jsonld = {"@context": "https://schema.org", "@graph": [
            {"@type": "Organization", "@id": "#org", "name": "Warta " + self.rng.choice(PLACES)},
            {"@type": "Person", "@id": "#penulis", "name": self.rng.choice(NAMES)},
            {"@type": "NewsArticle", "headline": title, "author": {"@id": "#penulis"}, "datePublished": "2024-02-%02dT08:00:00+07:00" % self.rng.randint(1, 28)}]}
        inner = []
        for _ in range(self.rng.randint(4, 30)):
            inner.append("<p>%s</p>" % self.paragraph(legacy))
            if self.rng.random() < 0.15:
                inner.append('<div class="baca-juga"><strong>Baca juga:</strong> %s</div>' % self.link())
            if self.rng.random() < 0.1:
                inner.append('<div class="ads ad-inline">IKLAN %s</div>' % self.words(3, 8))
        related = "".join("<li>%s</li>" % self.link() for _ in range(self.rng.randint(4, 20)))
        popular = "".join("<li>%s</li>" % self.link() for _ in range(self.rng.randint(5, 30)))
        body = ('<div class="cookie-consent">%s <button>Oke</button></div><header class="site-header">%s</header>'
                '<div class="breadcrumb">%s › %s</div><div class="container"><article class="artikel"><h1>%s</h1>'
                '<div class="share-bar">%s %s</div><figure><img src="/f/%d.jpg" alt="%s"><figcaption>%s</figcaption></figure>'
                '<div class="isi-artikel">%s</div><div class="related-posts"><ul>%s</ul></div></article>'
                '<aside class="sidebar"><div class="widget widget_popular"><ol>%s</ol></div></aside></div>'
                '<footer class="site-footer">%s</footer>') % (
            self.sentence(legacy), self.nav(), self.link("Beranda"), self.link("Daerah"), title, self.link("Facebook"), self.link("WhatsApp"),
            self.rng.randint(1, 9999), self.sentence(legacy), self.sentence(legacy), "\n".join(inner), related, popular,
            " · ".join(self.link() for _ in range(self.rng.randint(5, 25))))
        return title, body, jsonld

    def forum(self, legacy):
        title = self.words(4, 9).capitalize()
        posts = []
        for i in range(self.rng.randint(2, 60)):
            posts.append('<div class="pos" id="pos-%d"><div class="pos-kepala"><a class="penulis" href="/anggota/%d">%s</a>'
                         '<time datetime="2024-01-%02dT%02d:%02d:00+08:00">%s</time><a class="tautan-pos" href="#pos-%d">#%d</a></div>'
                         '<div class="isi-pos">%s</div><div class="pos-aksi"><a href="/balas">Balas</a> <a href="/kutip">Kutip</a></div></div>'
                         % (i, i, self.rng.choice(NAMES), self.rng.randint(1, 28), self.rng.randint(0, 23), self.rng.randint(0, 59),
                            self.words(2, 3), i, i + 1, "".join("<p>%s</p>" % self.paragraph(legacy, 1, 4) for _ in range(self.rng.randint(1, 4)))))
        body = '<header>%s</header><main id="utas"><h1>%s</h1>%s</main><footer>%s</footer>' % (self.nav(), title, "\n".join(posts), self.sentence(legacy))
        return title, body, None

    def timeline(self, legacy):
        title = "Linimasa " + self.rng.choice(PLACES)
        statuses = "".join('<li class="status"><article><header><a class="nama" href="/@u%d">%s</a></header><p class="teks">%s</p>'
                           '<footer><a class="waktu" href="/s/%d"><time datetime="2024-02-03T09:%02d:00+08:00">3 Feb</time></a> · %d suka</footer></article></li>'
                           % (i, self.rng.choice(NAMES), self.sentence(legacy), i, i % 60, self.rng.randint(0, 500))
                           for i in range(self.rng.randint(5, 120)))
        body = '<div class="bilah-atas">%s</div><nav>%s</nav><ol class="linimasa">%s</ol><aside class="kolom-kanan">%s</aside>' % (
            self.link("Kicau Warga"), self.nav(), statuses, " ".join(self.link("#" + self.rng.choice(WORDS)) for _ in range(10)))
        return title, body, None

    def listing(self, legacy):
        title = "Indeks " + self.words(1, 3)
        cards = "".join('<div class="card"><a href="/b/%d"><img src="/t/%d.jpg" alt="%s"><h3>%s</h3></a><p>%s</p></div>'
                        % (i, i, self.words(3, 8), self.words(4, 10), self.sentence(legacy)) for i in range(self.rng.randint(10, 150)))
        body = '<header>%s</header><main><h1>%s</h1><div class="grid">%s</div><div class="pagination">%s</div></main><footer>%s</footer>' % (
            self.nav(), title, cards, " ".join(self.link(str(i)) for i in range(1, 11)), self.sentence(legacy))
        return title, body, None

    def tables(self, legacy):
        title = "Rekapitulasi " + self.words(2, 4)
        rows = "".join("<tr><td>%s</td><td>%d</td><td>%d</td><td>%d</td><td>%s</td></tr>"
                       % (self.rng.choice(PLACES), self.rng.randint(0, 9999), self.rng.randint(0, 9999), self.rng.randint(0, 999), self.words(1, 3))
                       for _ in range(self.rng.randint(20, 600)))
        body = ("<h1>%s</h1><p>%s</p><table><thead><tr><th>Desa</th><th>01</th><th>02</th><th>03</th><th>Catatan</th></tr></thead>"
                "<tbody>%s</tbody></table><p>%s</p>") % (title, self.paragraph(legacy), rows, self.paragraph(legacy))
        return title, body, None

    def legacy_layout(self, legacy):
        title = self.words(3, 6).capitalize()
        cells = "".join('<tr><td width="20%%" bgcolor="#eeeeee"><font face="Verdana" size="1">%s</font></td><td><font face="Verdana" size="2">%s<br>%s</font></td></tr>'
                        % (self.link(), self.paragraph(legacy), self.paragraph(legacy, 1, 3)) for _ in range(self.rng.randint(3, 30)))
        body = '<center><table width="780" border="0" cellpadding="2">%s</table></center><marquee>%s</marquee>' % (cells, self.sentence(legacy))
        return title, body, None

    def broken(self, legacy):
        title = self.words(2, 6)
        chunks = []
        for _ in range(self.rng.randint(10, 80)):
            roll = self.rng.random()
            if roll < 0.3:
                chunks.append("<p>%s" % self.paragraph(legacy))
            elif roll < 0.5:
                chunks.append("<div><span><b>%s</i></div>" % self.sentence(legacy))
            elif roll < 0.6:
                chunks.append("<table><tr><td>%s<td>%s" % (self.words(1, 4), self.words(1, 4)))
            elif roll < 0.7:
                chunks.append("<a href='/x>%s</a>" % self.words(2, 5))
            elif roll < 0.8:
                chunks.append("&nbsp;&amp &copy %s &#x201C;%s&#8221;" % (self.words(1, 3), self.words(1, 3)))
            else:
                chunks.append("</p></li><li>%s<!-- catatan %s" % (self.sentence(legacy), "-->" if self.rng.random() < 0.7 else ""))
        return title, "".join(chunks), None

    def deep(self, legacy):
        title = "Bersarang " + self.words(1, 2)
        depth = self.rng.randint(100, 1500)
        body = "".join('<div class="lapis-%d">' % i for i in range(depth)) + "<p>%s</p>" % self.paragraph(legacy) + "</div>" * depth
        return title, body, None


SHAPES = [("blog", 24), ("news", 24), ("forum", 12), ("timeline", 10), ("listing", 10), ("tables", 6),
          ("legacy_layout", 6), ("broken", 5), ("deep", 3)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output")
    parser.add_argument("--count", type=int, default=1200)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    os.makedirs(args.output, exist_ok=True)
    rng = random.Random(args.seed)
    shapes = [name for name, weight in SHAPES for _ in range(weight)]
    total = 0
    for index in range(args.count):
        page = Page(rng)
        shape = rng.choice(shapes)
        roll = rng.random()
        if roll < 0.12:
            encoding, python_codec, charset = "windows-1252", "cp1252", "meta-http-equiv" if rng.random() < 0.5 else "windows-1252"
        elif roll < 0.17:
            encoding, python_codec, charset = "iso-8859-1", "latin-1", "iso-8859-1"
        elif roll < 0.20:
            encoding, python_codec, charset = "utf-8", "utf-8", None
        else:
            encoding, python_codec, charset = "utf-8", "utf-8", "utf-8"
        legacy = encoding if python_codec != "utf-8" else None
        title, body, jsonld = getattr(page, shape)(legacy)
        if rng.random() < 0.04:
            # A long page: the same shape several times over (a long thread, a full archive).
            body += "".join(getattr(page, shape)(legacy)[1] for _ in range(rng.randint(4, 10)))
        html = '<!doctype html>\n<html lang="id">%s<body>%s</body></html>\n' % (page.head(title, charset, legacy, jsonld), body)
        data = html.encode(python_codec, errors="replace")
        if python_codec == "utf-8" and rng.random() < 0.05:
            data = b"\xef\xbb\xbf" + data
        name = os.path.join(args.output, "halaman-%04d-%s.html" % (index, shape.replace("_", "-")))
        with open(name, "wb") as handle:
            handle.write(data)
        total += len(data)
    print("generated %d pages, %.1f MB, in %s" % (args.count, total / 1e6, args.output))


if __name__ == "__main__":
    main()
