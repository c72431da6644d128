"""The peer: Python's standard library reading the same answers the parsers read, N passes.
Prints platform, answers/s and what was read."""
import html.parser, json, re, sys, time
import xml.etree.ElementTree as ElementTree

manifest, passes = sys.argv[1], int(sys.argv[2])
decoder = json.JSONDecoder()
UNIVERSAL = re.compile(rb'<script id="__UNIVERSAL_DATA_FOR_REHYDRATION__"[^>]*>(.*?)</script>', re.S)
CHAT_LINE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2,4}),? (\d{1,2})[.:](\d{2}) - ([^:]+): (.*)$")


def assigned(text, marker):
    start = text.find(marker)
    if start < 0:
        return None
    return decoder.raw_decode(text, start + len(marker))[0]


def read(platform, data, url):
    if platform == "tiktok":
        return json.loads(UNIVERSAL.search(data).group(1)), "json (script)"
    if platform == "instagram":
        return assigned(data.decode(), "window._sharedData = "), "json (_sharedData)"
    if platform == "x" or (platform == "youtube" and data.lstrip()[:1] == b"{"):
        return json.loads(data), "json (answer)"
    if platform == "youtube" and data.lstrip().startswith(b"<?xml"):
        return ElementTree.fromstring(data.lstrip()), "xml.etree"
    if platform == "youtube":
        text = data.decode()
        return (assigned(text, "var ytInitialPlayerResponse = "), assigned(text, "var ytInitialData = ")), "json (2 scripts)"
    if platform in ("telegram", "facebook"):
        parser = html.parser.HTMLParser()
        parser.feed(data.decode())
        parser.close()
        return None, "html.parser"
    if platform == "whatsapp":
        return [m for m in (CHAT_LINE.match(line) for line in data.decode().splitlines()) if m], "re (lines)"
    raise ValueError(platform)


answers = {}
for line in open(manifest):
    platform, path, url = line.rstrip("\n").split("\t")
    answers.setdefault(platform, []).append((open(path, "rb").read(), url))
for platform, group in answers.items():
    kinds = sorted({read(platform, data, url)[1] for data, url in group})
    start = time.perf_counter()
    for _ in range(passes):
        for data, url in group:
            read(platform, data, url)
    seconds = time.perf_counter() - start
    print(f"{platform}\t{len(group) * passes / seconds:.1f}\t{'+'.join(kinds)}")
