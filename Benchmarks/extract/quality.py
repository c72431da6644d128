#!/usr/bin/env python3
"""Scores Netral's extraction and trafilatura's side by side on real pages.

    quality.py --netral NETRAL_ITEMS.jsonl --readability DIR --id-news DIR
               [--zyte DIR --zyte-pages DIR] [--wcxb DIR --wcxb-pages DIR]
               [--netral-before BEFORE_ITEMS.jsonl] [--trafilatura-cache DIR] [--dump FILE]
               [--show-failures]

NETRAL_ITEMS.jsonl is what `netral-bench items FILE...` printed for every page of the corpora
(one JSON object a line); `--netral-before` adds a column for another build's items (the
same pages, e.g. main's, scored in the same run). trafilatura runs here, in-process, on the same files. The Zyte and
WCXB pages are gzipped in their corpora: quality.sh unpacks them into `--zyte-pages` and
`--wcxb-pages` (`<id>.html`), which both extractors read.

Measures (the same function scores both extractors):
- main text: word-level recall and precision against the expected text, as multisets of
  lowercase words (\\w+), averaged over pages; "lost" counts pages with recall < 0.5, "leaky"
  pages with precision < 0.9. An empty extraction scores recall 0 and precision 0.
- sentences kept / boilerplate left out (the held-back set's two shares): the expected text and
  the page's whole visible text (scripts, styles and the head left out) are cut into sentences
  (lines, then after . ! ? and their CJK forms) of at least 4 words. "Kept" is the share of the
  expected text's sentences found, as whole words, in the extraction; "left out" is the share
  of the page's other sentences (those the expected text does not hold: navigation, related
  lists, banners, comments) not found in it. Both pooled over the set's sentences; a sentence
  repeated on a page counts once.
- Zyte's own metric (scrapinghub/article-extraction-benchmark): precision, recall and F1 over
  4-gram word shingles (\\w+, case kept), per page normalised to tp+fp+fn = 1, precision and
  recall averaged over pages, F1 from the two averages.
- WCXB snippets: the share of its must-keep `with` snippets found in the extraction, and of its
  must-leave `without` snippets not found (both lowercased, as words), pooled, also per page
  type. Its `main_content` was drafted by a trafilatura port, so word and sentence figures
  against it lean toward trafilatura; the snippets were reviewed.
- title: exact after collapsing whitespace (case kept).
- byline (readability pages with an expected byline): equal after lowercasing, collapsing
  whitespace and dropping a leading "by"; or one contains the other.
- date (id-news articles): right to the minute (the expected value is an instant, so the zone
  must be right too), and right to the day in WIB (UTC+7) for extractors that only give a day.
- author (id-news articles): against AUTHORS below, the journalists' names as the visible
  bylines print them, read off the pages by hand (the corpus's expected.json has no authors).
  Correct when one contains the other after normalising; where the page names no journalist
  (null), correct only when no author is returned (a publisher or an editor is not the author).
- feeds (id-news `*-mainpage.html`, RSS or HTML index pages): share of the expected entry URLs
  among the items' URLs and links.

`--trafilatura-cache DIR` keeps trafilatura's output per page (keyed by the page's bytes and
trafilatura's version) for quick rounds while developing; a reported run goes without it.
`--dump FILE` writes every page's scores and both extractions as JSON lines.
"""

import argparse
import collections
import datetime
import hashlib
import json
import os
import re
import sys

WORD = re.compile(r"\w+", re.UNICODE)

# id-news bylines as the pages print them, read by hand (None: the page names no journalist).
AUTHORS_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "id-news-authors.json")


def words(text):
    return WORD.findall((text or "").lower())


def recall_precision(extracted, expected):
    got = collections.Counter(words(extracted))
    want = collections.Counter(words(expected))
    if not want:
        return None
    common = sum((got & want).values())
    recall = common / sum(want.values())
    precision = common / sum(got.values()) if got else 0.0
    return recall, precision


def collapse(text):
    return " ".join((text or "").split())


def title_right(got, want):
    return collapse(got) == collapse(want)


def normalise_name(name):
    name = collapse(name).lower().strip(" .,:;|-")
    name = re.sub(r"^(by|oleh|penulis|reporter|pewarta)\s*:?\s+", "", name)
    return name


def byline_right(got, want):
    got, want = normalise_name(got), normalise_name(want)
    if not got or not want:
        return False
    return got == want or got in want or want in got


BLOCKS = ("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "br", "td", "th", "tr", "pre", "blockquote", "figcaption",
          "section", "article", "header", "footer", "nav", "aside", "main", "ul", "ol", "dl", "dt", "dd", "table", "form",
          "figure", "option", "button", "label", "caption", "summary", "details", "address", "hr")


def html_text(html):
    import lxml.html

    if not html.strip():
        return ""
    tree = lxml.html.fromstring(html)
    for bad in tree.xpath("//script|//style"):
        bad.drop_tree()
    # Block elements end a line, so words at block boundaries do not run together.
    for block in tree.iter("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "br", "td", "pre", "blockquote", "figcaption"):
        block.tail = ("\n" + block.tail) if block.tail else "\n"
    return tree.text_content()


def page_text(path):
    """The page's whole visible text, blocks on their own lines: what an extractor chooses from."""
    import lxml.html

    with open(path, "rb") as handle:
        data = handle.read()
    try:
        tree = lxml.html.fromstring(data)
    except Exception:  # an empty or unparseable page has no sentences
        return ""
    for bad in tree.xpath("//script|//style|//noscript|//template|//svg|//head|//iframe|//select|//textarea"):
        bad.drop_tree()
    for block in tree.iter(*BLOCKS):
        block.tail = ("\n" + block.tail) if block.tail else "\n"
        block.text = ("\n" + block.text) if block.text else "\n"
    return tree.text_content()


SENTENCE_END = re.compile(r"(?<=[.!?\u3002\uff01\uff1f])\s+|(?<=[\u3002\uff01\uff1f])")
MIN_SENTENCE_WORDS = 4


def normal(text):
    return " ".join(words(text))


def sentences(text):
    """Distinct sentences of at least MIN_SENTENCE_WORDS words, as lowercase words joined by spaces."""
    found = {}
    for line in (text or "").splitlines():
        for part in SENTENCE_END.split(line):
            sentence = normal(part)
            if sentence.count(" ") + 1 >= MIN_SENTENCE_WORDS:
                found[sentence] = True
    return list(found)


def sentence_counts(extracted, expected_text, page_sentences):
    """(expected sentences, of them kept, boilerplate sentences, of them left out)."""
    got = " " + normal(extracted) + " "
    want = " " + normal(expected_text) + " "
    expected = sentences(expected_text)
    kept = sum(1 for sentence in expected if f" {sentence} " in got)
    boilerplate = [sentence for sentence in page_sentences if f" {sentence} " not in want]
    left_out = sum(1 for sentence in boilerplate if f" {sentence} " not in got)
    return len(expected), kept, len(boilerplate), left_out


SHINGLE_TOKEN = re.compile(r"\w+", re.UNICODE)


def shingle_counts(extracted, expected, size=4):
    """Zyte's measure for one page: (tp, fp, fn) over word 4-grams, normalised to sum to 1."""
    def shingles(text):
        tokens = SHINGLE_TOKEN.findall(text or "")
        return collections.Counter(tuple(tokens[index:index + size]) for index in range(max(1, len(tokens) - size + 1))
                                   if tokens[index:index + size])
    got, want = shingles(extracted), shingles(expected)
    tp = sum((got & want).values())
    fp = sum((got - want).values())
    fn = sum((want - got).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def shingle_scores(counts):
    """Precision and recall averaged over pages (Zyte's edge cases), F1 from the two averages."""
    def precision(tp, fp, fn):
        return 1.0 if fp == fn == 0 else (0.0 if tp == fp == 0 else tp / (tp + fp))

    def recall(tp, fp, fn):
        return 1.0 if fp == fn == 0 else (0.0 if tp == fn == 0 else tp / (tp + fn))
    precisions = [precision(*c) for c in counts if c[0] + c[1] > 0]
    recalls = [recall(*c) for c in counts if c[0] + c[2] > 0]
    p = sum(precisions) / len(precisions) if precisions else 0.0
    r = sum(recalls) / len(recalls) if recalls else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def snippet_found(snippet, extracted_normal):
    wanted = normal(snippet)
    return bool(wanted) and wanted in extracted_normal


TRAFILATURA_CACHE = None


def run_trafilatura(path):
    import trafilatura

    with open(path, "rb") as handle:
        data = handle.read()
    cached = None
    if TRAFILATURA_CACHE:
        key = hashlib.sha256(data + trafilatura.__version__.encode()).hexdigest()
        cached = os.path.join(TRAFILATURA_CACHE, key + ".json")
        if os.path.isfile(cached):
            with open(cached, encoding="utf-8") as handle:
                return json.load(handle)
    result = trafilatura.extract(
        data,
        output_format="json",
        with_metadata=True,
        include_comments=False,
        date_extraction_params={"extensive_search": True, "original_date": True, "outputformat": "%Y-%m-%d %H:%M"},
    )
    page = {}
    if result:
        parsed = json.loads(result)
        page = {"title": parsed.get("title"), "author": parsed.get("author"), "date": parsed.get("date"),
                "body": parsed.get("text") or "", "site_name": parsed.get("sitename")}
    if cached:
        os.makedirs(TRAFILATURA_CACHE, exist_ok=True)
        with open(cached + ".tmp", "w", encoding="utf-8") as handle:
            json.dump(page, handle)
        os.replace(cached + ".tmp", cached)
    return page


def netral_page(line):
    items = line.get("items") or []
    if not items:
        return {"body": "", "error": line.get("error")}
    item = items[0]
    author = (item.get("author") or {}).get("name")
    return {"title": item.get("title"), "author": author, "date": item.get("publishedAt"),
            "body": item.get("body") or "", "site_name": (item.get("metadata") or {}).get("site_name"), "items": items}


WIB = datetime.timezone(datetime.timedelta(hours=7))


def date_scores(got, want_ms):
    """(right to the minute, right to the day in WIB) for an extractor's date."""
    want = datetime.datetime.fromtimestamp(want_ms / 1000, tz=datetime.timezone.utc)
    if got is None:
        return False, False
    if isinstance(got, (int, float)):
        instant = datetime.datetime.fromtimestamp(got / 1000, tz=datetime.timezone.utc)
        minute = abs((instant - want).total_seconds()) < 60
        return minute, instant.astimezone(WIB).date() == want.astimezone(WIB).date()
    # trafilatura: "YYYY-MM-DD[ HH:MM]" without a zone. To the minute only if it is the WIB
    # wall-clock time or UTC; to the day in WIB.
    try:
        if len(got) > 10:
            naive = datetime.datetime.strptime(got[:16], "%Y-%m-%d %H:%M")
            minute = any(abs((naive.replace(tzinfo=zone) - want).total_seconds()) < 60 for zone in (WIB, datetime.timezone.utc))
        else:
            naive = datetime.datetime.strptime(got[:10], "%Y-%m-%d")
            minute = False
    except ValueError:
        return False, False
    return minute, naive.date() == want.astimezone(WIB).date()


class Tally:
    def __init__(self):
        self.values = collections.defaultdict(list)

    def add(self, key, value):
        self.values[key].append(value)

    def mean(self, key):
        values = self.values.get(key) or []
        return (sum(values) / len(values)) if values else float("nan")

    def count(self, key):
        return sum(1 for value in self.values.get(key) or [] if value)

    def total(self, key):
        return len(self.values.get(key) or [])

    def sum(self, key):
        return sum(self.values.get(key) or [])

    def share(self, part, whole):
        whole = self.sum(whole)
        return self.sum(part) / whole if whole else float("nan")


def score_text(tally, got_body, want_text):
    scores = recall_precision(got_body, want_text)
    if scores is None:
        return None
    recall, precision = scores
    tally.add("recall", recall)
    tally.add("precision", precision)
    tally.add("lost", recall < 0.5)
    tally.add("leaky", precision < 0.9)
    return scores


def score_sentences(tally, got_body, want_text, page_sentences):
    counts = sentence_counts(got_body, want_text, page_sentences)
    for key, value in zip(("sentences", "sentences_kept", "boilerplate", "boilerplate_left_out"), counts):
        tally.add(key, value)
    kept = counts[1] / counts[0] if counts[0] else 1.0
    left_out = counts[3] / counts[2] if counts[2] else 1.0
    return kept, left_out


# The columns: "before" (another build's items) only with --netral-before.
TOOLS = ("netral", "trafilatura")
NETRAL_COLUMNS = ("netral",)


def read_items(path):
    """`netral-bench items` lines by the page's real path."""
    lines = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            parsed = json.loads(line)
            lines[os.path.realpath(parsed["path"])] = parsed
    return lines


class Run:
    """What every set shares: Netral's lines, trafilatura, the dump and the misses list."""

    def __init__(self, args):
        self.netral_lines = read_items(args.netral)
        self.before_lines = read_items(args.netral_before) if args.netral_before else {}
        self.failures = []
        self.dump = open(args.dump, "w", encoding="utf-8") if args.dump else None

    def lines(self, tool):
        return self.before_lines if tool == "before" else self.netral_lines

    def results(self, source):
        found = {tool: netral_page(self.lines(tool).get(os.path.realpath(source), {})) for tool in NETRAL_COLUMNS}
        found["trafilatura"] = run_trafilatura(source)
        return found

    def record(self, corpus, page, scores, results):
        if self.dump:
            line = {"corpus": corpus, "page": page, "scores": scores,
                    "bodies": {tool: results[tool].get("body") or "" for tool in TOOLS}}
            self.dump.write(json.dumps(line, ensure_ascii=False) + "\n")


def score_readability(run, directory_path):
    tallies = {tool: Tally() for tool in TOOLS}
    for case in sorted(os.listdir(directory_path)):
        directory = os.path.join(directory_path, case)
        source = os.path.join(directory, "source.html")
        if not os.path.isfile(source):
            continue
        with open(os.path.join(directory, "expected.html"), encoding="utf-8") as handle:
            want_text = html_text(handle.read())
        with open(os.path.join(directory, "expected-metadata.json"), encoding="utf-8") as handle:
            metadata = json.load(handle)
        results = run.results(source)
        page_sentences = sentences(page_text(source))
        dumped = {}
        for tool in TOOLS:
            got = results[tool]
            tally = tallies[tool]
            scores = score_text(tally, got.get("body"), want_text)
            shares = score_sentences(tally, got.get("body"), want_text, page_sentences)
            dumped[tool] = {"recall_precision": scores, "kept_left_out": shares}
            title_ok = None
            if metadata.get("title"):
                title_ok = title_right(got.get("title"), metadata["title"])
                tally.add("title", title_ok)
            byline_ok = None
            if metadata.get("byline"):
                byline_ok = byline_right(got.get("author"), metadata["byline"])
                tally.add("byline", byline_ok)
            if tool == "netral" and scores and (scores[0] < 0.9 or scores[1] < 0.9 or title_ok is False or byline_ok is False):
                run.failures.append(f"readability/{case}: recall {scores[0]:.2f} precision {scores[1]:.2f}"
                                    f" title {got.get('title')!r} (want {metadata.get('title')!r})"
                                    f" byline {got.get('author')!r} (want {metadata.get('byline')!r})")
        run.record("readability", case, dumped, results)
    return tallies


def score_id_news(run, directory):
    tallies = {tool: Tally() for tool in TOOLS}
    with open(os.path.join(directory, "expected.json"), encoding="utf-8") as handle:
        expected = json.load(handle)
    with open(AUTHORS_FILE, encoding="utf-8") as handle:
        authors = json.load(handle)
    for name, want in sorted(expected.items()):
        source = os.path.join(directory, name)
        if not os.path.isfile(source):
            continue
        if "urls" in want:
            # Some "mainpage" files are RSS (one item per entry), others HTML index pages (the
            # entries are links of the page item): an expected URL counts when it is either.
            for tool in NETRAL_COLUMNS:
                netral = run.lines(tool).get(os.path.realpath(source), {})
                got_urls = {item.get(key) for item in netral.get("items") or [] for key in ("sourceURL", "canonicalURL")}
                got_urls |= {link.get("url") for item in netral.get("items") or [] for link in item.get("links") or []}
                wanted = list(want["urls"].values())
                tallies[tool].add("feed_urls", sum(1 for url in wanted if url in got_urls) / len(wanted))
                titled = all((item.get("title") or "").strip() for item in netral.get("items") or [])
                tallies[tool].add("feed_titles", bool(netral.get("items")) and titled)
            continue
        results = run.results(source)
        page_sentences = sentences(page_text(source))
        dumped = {}
        for tool in TOOLS:
            got = results[tool]
            tally = tallies[tool]
            scores = score_text(tally, got.get("body"), want.get("content", ""))
            shares = score_sentences(tally, got.get("body"), want.get("content", ""), page_sentences)
            dumped[tool] = {"recall_precision": scores, "kept_left_out": shares}
            title_ok = title_right(got.get("title"), want["title"])
            tally.add("title", title_ok)
            minute, day = date_scores(got.get("date"), want["date"])
            tally.add("date_minute", minute)
            tally.add("date_day", day)
            want_author = authors.get(name)
            if want_author:
                author_ok = byline_right(got.get("author"), want_author)
            else:
                author_ok = not collapse(got.get("author"))
            tally.add("author", author_ok)
            if tool == "netral" and (not minute or author_ok is False or not title_ok or (scores and scores[1] < 0.9)):
                run.failures.append(f"id-news/{name}: recall {scores[0]:.2f} precision {scores[1]:.2f}"
                                    f" title {got.get('title')!r} (want {want['title']!r})"
                                    f" date {got.get('date')} (want {want['date']})"
                                    f" author {got.get('author')!r} (want {want_author!r})")
        run.record("id-news", name, dumped, results)
    return tallies


def score_zyte(run, directory, pages):
    tallies = {tool: Tally() for tool in TOOLS}
    with open(os.path.join(directory, "ground-truth.json"), encoding="utf-8") as handle:
        truth = json.load(handle)
    for key in sorted(truth):
        source = os.path.join(pages, key + ".html")
        if not os.path.isfile(source):
            continue
        want_text = truth[key].get("articleBody") or ""
        results = run.results(source)
        page_sentences = sentences(page_text(source))
        dumped = {}
        for tool in TOOLS:
            body = results[tool].get("body")
            tally = tallies[tool]
            scores = score_text(tally, body, want_text)
            shares = score_sentences(tally, body, want_text, page_sentences)
            tally.add("shingles", shingle_counts(body, want_text))
            dumped[tool] = {"recall_precision": scores, "kept_left_out": shares}
        run.record("zyte", key, dumped, results)
        mine, theirs = dumped["netral"]["kept_left_out"], dumped["trafilatura"]["kept_left_out"]
        if mine[0] < theirs[0] - 0.1 or mine[1] < theirs[1] - 0.1:
            run.failures.append(f"zyte/{key}: kept {mine[0]:.2f} left out {mine[1]:.2f}"
                                f" (trafilatura {theirs[0]:.2f} {theirs[1]:.2f}) {truth[key].get('url')}")
    return tallies


def score_wcxb(run, directory, pages):
    tallies = {tool: Tally() for tool in TOOLS}
    by_type = {tool: collections.defaultdict(Tally) for tool in TOOLS}
    truth_directory = os.path.join(directory, "ground-truth")
    with open(os.path.join(directory, "metadata.json"), encoding="utf-8") as handle:
        page_types = {key: value.get("page_type") for key, value in (json.load(handle).get("files") or {}).items()}
    for name in sorted(os.listdir(truth_directory)):
        key = name.removesuffix(".json")
        source = os.path.join(pages, key + ".html")
        if not os.path.isfile(source):
            continue
        with open(os.path.join(truth_directory, name), encoding="utf-8") as handle:
            document = json.load(handle)
        truth = document.get("ground_truth") or {}
        page_type = page_types.get(key) or document.get("page_type") or "other"
        want_text = truth.get("main_content") or ""
        results = run.results(source)
        dumped = {}
        for tool in TOOLS:
            body = results[tool].get("body") or ""
            got = normal(body)
            tally = tallies[tool]
            with_found = sum(1 for snippet in truth.get("with") or [] if snippet_found(snippet, got))
            without_found = sum(1 for snippet in truth.get("without") or [] if snippet_found(snippet, got))
            for target in (tally, by_type[tool][page_type]):
                target.add("with", len(truth.get("with") or []))
                target.add("with_kept", with_found)
                target.add("without", len(truth.get("without") or []))
                target.add("without_left_out", len(truth.get("without") or []) - without_found)
            scores = score_text(tally, body, want_text)
            tally.add("shingles", shingle_counts(body, want_text))
            dumped[tool] = {"recall_precision": scores, "with": [with_found, len(truth.get("with") or [])],
                            "without_found": [without_found, len(truth.get("without") or [])]}
        run.record("wcxb", key, dumped, results)
        mine, theirs = dumped["netral"], dumped["trafilatura"]
        if mine["with"][0] < theirs["with"][0] or mine["without_found"][0] > theirs["without_found"][0]:
            run.failures.append(f"wcxb/{key} ({page_type}): with {mine['with'][0]}/{mine['with'][1]}"
                                f" without found {mine['without_found'][0]}/{mine['without_found'][1]}"
                                f" (trafilatura {theirs['with'][0]}, {theirs['without_found'][0]}) {document.get('url')}")
    return tallies, by_type


def row(label, tool_values):
    print(f"{label:<46}" + "".join(f"{value:>14}" for value in tool_values))


def fraction(tally, key):
    return f"{tally.count(key)}/{tally.total(key)}"


def print_text_rows(tallies, lost=True):
    row("  main text word recall (mean)", [f"{tallies[t].mean('recall'):.3f}" for t in TOOLS])
    row("  main text word precision (mean)", [f"{tallies[t].mean('precision'):.3f}" for t in TOOLS])
    if lost:
        row("  pages lost (recall < 0.5)", [fraction(tallies[t], "lost") for t in TOOLS])
    row("  pages leaky (precision < 0.9)", [fraction(tallies[t], "leaky") for t in TOOLS])


def print_sentence_rows(tallies):
    n = tallies["netral"]
    row(f"  sentences kept (of {n.sum('sentences')})", [f"{tallies[t].share('sentences_kept', 'sentences'):.3f}" for t in TOOLS])
    row(f"  boilerplate sentences left out (of {n.sum('boilerplate')})",
        [f"{tallies[t].share('boilerplate_left_out', 'boilerplate'):.3f}" for t in TOOLS])


def print_shingle_rows(tallies):
    scores = {t: shingle_scores(tallies[t].values["shingles"]) for t in TOOLS}
    row("  4-gram shingles precision / recall", [f"{scores[t][0]:.3f}/{scores[t][1]:.3f}" for t in TOOLS])
    row("  4-gram shingles F1", [f"{scores[t][2]:.3f}" for t in TOOLS])


def main():
    global TRAFILATURA_CACHE, TOOLS, NETRAL_COLUMNS
    parser = argparse.ArgumentParser()
    parser.add_argument("--netral", required=True)
    parser.add_argument("--netral-before", help="another build's items, scored in a column before Netral's")
    parser.add_argument("--readability", required=True)
    parser.add_argument("--id-news", required=True)
    parser.add_argument("--zyte", help="scrapinghub-aeb directory (ground-truth.json)")
    parser.add_argument("--zyte-pages", help="the Zyte pages unpacked, <id>.html")
    parser.add_argument("--wcxb", help="wcxb-test directory (ground-truth/)")
    parser.add_argument("--wcxb-pages", help="the WCXB pages unpacked, <id>.html")
    parser.add_argument("--trafilatura-cache")
    parser.add_argument("--dump")
    parser.add_argument("--show-failures", action="store_true")
    args = parser.parse_args()
    TRAFILATURA_CACHE = args.trafilatura_cache
    if args.netral_before:
        NETRAL_COLUMNS = ("before", "netral")
        TOOLS = ("before", "netral", "trafilatura")
    run = Run(args)

    readability = score_readability(run, args.readability)
    news = score_id_news(run, args.id_news)
    zyte = score_zyte(run, args.zyte, args.zyte_pages) if args.zyte and args.zyte_pages else None
    wcxb = score_wcxb(run, args.wcxb, args.wcxb_pages) if args.wcxb and args.wcxb_pages else None

    print(f"{'':<46}" + "".join(f"{tool:>14}" for tool in TOOLS))
    r = readability
    print(f"readability-pages ({r['netral'].total('recall')} pages)")
    print_sentence_rows(r)
    print_text_rows(r)
    row("  title exact", [f"{r[t].mean('title'):.3f}" for t in TOOLS])
    row("  byline right", [f"{r[t].mean('byline'):.3f}" for t in TOOLS])
    n = news
    print(f"id-news-2015 ({n['netral'].total('recall')} articles, {n['netral'].total('feed_urls')} feeds)")
    print_sentence_rows(n)
    print_text_rows(n, lost=False)
    row("  title exact", [fraction(n[t], "title") for t in TOOLS])
    row("  date right to the minute", [fraction(n[t], "date_minute") for t in TOOLS])
    row("  date right to the day (WIB)", [fraction(n[t], "date_day") for t in TOOLS])
    row("  author the journalist", [fraction(n[t], "author") for t in TOOLS])
    row("  index/feed entry URLs found (mean)", [f"{n[t].mean('feed_urls'):.3f}" for t in NETRAL_COLUMNS] + ["-"])
    row("  index/feed pages with every item titled", [fraction(n[t], "feed_titles") for t in NETRAL_COLUMNS] + ["-"])
    if zyte:
        print(f"zyte article-extraction-benchmark ({zyte['netral'].total('recall')} pages)")
        print_sentence_rows(zyte)
        print_shingle_rows(zyte)
        print_text_rows(zyte)
    if wcxb:
        tallies, by_type = wcxb
        print(f"wcxb test split ({tallies['netral'].total('with')} pages; main text drafted by a trafilatura port)")
        row(f"  'with' snippets kept (of {tallies['netral'].sum('with')})",
            [f"{tallies[t].share('with_kept', 'with'):.3f}" for t in TOOLS])
        row(f"  'without' snippets left out (of {tallies['netral'].sum('without')})",
            [f"{tallies[t].share('without_left_out', 'without'):.3f}" for t in TOOLS])
        for page_type in sorted(by_type["netral"]):
            typed = {t: by_type[t][page_type] for t in TOOLS}
            row(f"    {page_type} ({typed['netral'].total('with')}): kept / left out",
                [f"{typed[t].share('with_kept', 'with'):.3f}/{typed[t].share('without_left_out', 'without'):.3f}" for t in TOOLS])
        print_shingle_rows(tallies)
        print_text_rows(tallies)
    if args.show_failures:
        print("\nNetral's misses (zyte and wcxb: pages where trafilatura did better):")
        for failure in run.failures:
            print("  " + failure)


if __name__ == "__main__":
    sys.exit(main())
