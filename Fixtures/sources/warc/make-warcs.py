#!/usr/bin/env python3
"""Writes the WARC fixtures of Fixtures/sources/warc/ (run from this folder).

kampanye.warc     WARC/1.0, plain
kampanye.warc.gz  WARC/1.1, one gzip member per record

Both hold, in order: warcinfo; request + response for an HTML page whose body is sent
`Transfer-Encoding: chunked` over `Content-Encoding: gzip`; a response with an RSS feed; a
response with a PNG image; a metadata record; a 404 response; a revisit record; a response with
a Mastodon statuses answer. People, places and domains are invented. The output is checked with
`warcio check` and `warcio index`; the tests need neither Python nor warcio.
"""
import base64, gzip, hashlib, io, json, uuid, zlib

PAGE = """<!doctype html><html lang="id"><head><meta charset="utf-8">
<title>Camat Ajak Warga Coblos Nomor 2</title>
<meta name="author" content="Drs. Bambang Sutejo">
<meta property="article:published_time" content="2024-01-20T19:30:00+07:00">
</head><body><article><h1>Camat Ajak Warga Coblos Nomor 2</h1>
<p>Camat Sungai Jernih, Drs. Bambang Sutejo, mengajak warga: ayo coblos nomor 2!</p>
<img src="/img/camat.jpg" alt="Camat berpose salam dua jari">
</article></body></html>
""".encode()

FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Kabar Kecamatan</title><link>https://kecamatan.sungaijernih.example/</link>
<item><title>Jadwal Posyandu</title><link>https://kecamatan.sungaijernih.example/posyandu</link>
<pubDate>Thu, 01 Feb 2024 08:00:00 +0700</pubDate><description>Posyandu Melati buka pukul 08.00.</description></item>
</channel></rss>
""".encode()

STATUSES = json.dumps([{
    "id": "111800000000000001", "created_at": "2024-01-20T12:30:00.000Z", "spoiler_text": "",
    "visibility": "public", "language": "id",
    "uri": "https://sosial.example/users/camat.sungaijernih/statuses/111800000000000001",
    "url": "https://sosial.example/@camat.sungaijernih/111800000000000001",
    "content": "<p>Ayo coblos nomor 2! #PrabowoGibran2024</p>", "reblog": None,
    "account": {"id": "109876543210", "username": "camat.sungaijernih", "acct": "camat.sungaijernih",
                "display_name": "Bambang Sutejo", "note": "<p>Camat Sungai Jernih</p>",
                "url": "https://sosial.example/@camat.sungaijernih"},
    "media_attachments": [], "mentions": [], "tags": [{"name": "prabowogibran2024", "url": "https://sosial.example/tags/prabowogibran2024"}],
    "emojis": [], "card": None, "poll": None}], ensure_ascii=False).encode()

PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000000000500010d0a2db40000000049454e44ae426082")


def chunked(data, size=100):
    out = b""
    for i in range(0, len(data), size):
        piece = data[i:i + size]
        out += b"%x\r\n" % len(piece) + piece + b"\r\n"
    return out + b"0\r\n\r\n"


def http_response(status, reason, headers, body):
    head = "HTTP/1.1 %d %s\r\n" % (status, reason)
    head += "".join("%s: %s\r\n" % kv for kv in headers) + "\r\n"
    return head.encode() + body


def record(version, rtype, headers, block):
    digest = base64.b32encode(hashlib.sha1(block).digest()).decode()
    fields = [("WARC-Type", rtype), ("WARC-Record-ID", "<urn:uuid:%s>" % uuid.UUID(int=record.counter))]
    record.counter += 1
    fields += headers
    fields += [("WARC-Block-Digest", "sha1:" + digest), ("Content-Length", str(len(block)))]
    head = version + "\r\n" + "".join("%s: %s\r\n" % kv for kv in fields) + "\r\n"
    return head.encode() + block + b"\r\n\r\n"


def records(version):
    record.counter = 1
    date = "2024-01-21T03:00:00Z"
    page_url = "https://kecamatan.sungaijernih.example/berita/camat-ajak-warga"
    gz = io.BytesIO()
    with gzip.GzipFile(fileobj=gz, mode="wb", mtime=0) as f:
        f.write(PAGE)
    page_http = http_response(200, "OK", [("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "gzip"),
                                          ("Transfer-Encoding", "chunked"), ("Server", "contoh")], chunked(gz.getvalue()))
    info = b"software: make-warcs.py (Netral fixtures)\r\nformat: WARC File Format " + version[5:].encode() + b"\r\n"
    out = [record(version, "warcinfo", [("WARC-Date", date), ("WARC-Filename", "kampanye.warc"), ("Content-Type", "application/warc-fields")], info)]
    out.append(record(version, "request", [("WARC-Target-URI", page_url), ("WARC-Date", date), ("Content-Type", "application/http; msgtype=request")],
                      b"GET /berita/camat-ajak-warga HTTP/1.1\r\nHost: kecamatan.sungaijernih.example\r\nUser-Agent: netral-test\r\n\r\n"))
    out.append(record(version, "response", [("WARC-Target-URI", page_url), ("WARC-Date", date), ("WARC-IP-Address", "192.0.2.10"),
                                            ("Content-Type", "application/http; msgtype=response")], page_http))
    out.append(record(version, "response", [("WARC-Target-URI", "https://kecamatan.sungaijernih.example/feed/"), ("WARC-Date", date),
                                            ("Content-Type", "application/http; msgtype=response")],
                      http_response(200, "OK", [("Content-Type", "application/rss+xml; charset=utf-8"), ("Content-Length", str(len(FEED)))], FEED)))
    out.append(record(version, "response", [("WARC-Target-URI", "https://kecamatan.sungaijernih.example/img/camat.png"), ("WARC-Date", date),
                                            ("Content-Type", "application/http; msgtype=response")],
                      http_response(200, "OK", [("Content-Type", "image/png"), ("Content-Length", str(len(PNG)))], PNG)))
    out.append(record(version, "metadata", [("WARC-Target-URI", page_url), ("WARC-Date", date), ("Content-Type", "application/warc-fields")],
                      b"outlink: https://kecamatan.sungaijernih.example/feed/\r\n"))
    missing = b"<html><body><p>Halaman tidak ditemukan. Coblos nomor 2!</p></body></html>"
    out.append(record(version, "response", [("WARC-Target-URI", "https://kecamatan.sungaijernih.example/hilang"), ("WARC-Date", date),
                                            ("Content-Type", "application/http; msgtype=response")],
                      http_response(404, "Not Found", [("Content-Type", "text/html"), ("Content-Length", str(len(missing)))], missing)))
    out.append(record(version, "revisit", [("WARC-Target-URI", page_url), ("WARC-Date", "2024-01-22T03:00:00Z"),
                                           ("WARC-Profile", "http://netpreserve.org/warc/1.0/revisit/identical-payload-digest"),
                                           ("WARC-Refers-To-Target-URI", page_url), ("WARC-Refers-To-Date", date),
                                           ("Content-Type", "application/http; msgtype=response")],
                      b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"))
    api = "https://sosial.example/api/v1/accounts/109876543210/statuses?limit=40&exclude_replies=false"
    out.append(record(version, "response", [("WARC-Target-URI", api), ("WARC-Date", date),
                                            ("Content-Type", "application/http; msgtype=response")],
                      http_response(200, "OK", [("Content-Type", "application/json; charset=utf-8"),
                                                ("Link", '<https://sosial.example/api/v1/accounts/109876543210/statuses?limit=40&max_id=111800000000000001>; rel="next"')],
                                    STATUSES)))
    return out


with open("kampanye.warc", "wb") as f:
    for r in records("WARC/1.0"):
        f.write(r)

with open("kampanye.warc.gz", "wb") as f:
    for r in records("WARC/1.1"):
        member = io.BytesIO()
        with gzip.GzipFile(fileobj=member, mode="wb", mtime=0) as g:
            g.write(r)
        f.write(member.getvalue())
