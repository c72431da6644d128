#!/usr/bin/env python3
"""Scores Netral's extraction and trafilatura's side by side on real pages.

    quality.py --netral NETRAL_ITEMS.jsonl --readability DIR --id-news DIR [--show-failures]

NETRAL_ITEMS.jsonl is what `netral-bench items FILE...` printed for every page below the two
corpora (one JSON object a line). trafilatura runs here, in-process, on the same files.

Measures (the same function scores both extractors):
- main text: word-level recall and precision against the expected text, as multisets of
  lowercase words (\\w+), averaged over pages; "lost" counts pages with recall < 0.5, "leaky"
  pages with precision < 0.9. An empty extraction scores recall 0 and precision 0.
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
"""

import argparse
import collections
import datetime
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


def run_trafilatura(path):
    import trafilatura

    with open(path, "rb") as handle:
        data = handle.read()
    result = trafilatura.extract(
        data,
        output_format="json",
        with_metadata=True,
        include_comments=False,
        date_extraction_params={"extensive_search": True, "original_date": True, "outputformat": "%Y-%m-%d %H:%M"},
    )
    if not result:
        return {}
    parsed = json.loads(result)
    return {"title": parsed.get("title"), "author": parsed.get("author"), "date": parsed.get("date"),
            "body": parsed.get("text") or "", "site_name": parsed.get("sitename")}


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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--netral", required=True)
    parser.add_argument("--readability", required=True)
    parser.add_argument("--id-news", required=True)
    parser.add_argument("--show-failures", action="store_true")
    args = parser.parse_args()

    netral_lines = {}
    with open(args.netral, encoding="utf-8") as handle:
        for line in handle:
            parsed = json.loads(line)
            netral_lines[os.path.realpath(parsed["path"])] = parsed

    tools = ("netral", "trafilatura")
    readability = {tool: Tally() for tool in tools}
    news = {tool: Tally() for tool in tools}
    failures = []

    for case in sorted(os.listdir(args.readability)):
        directory = os.path.join(args.readability, case)
        source = os.path.join(directory, "source.html")
        if not os.path.isfile(source):
            continue
        with open(os.path.join(directory, "expected.html"), encoding="utf-8") as handle:
            want_text = html_text(handle.read())
        with open(os.path.join(directory, "expected-metadata.json"), encoding="utf-8") as handle:
            metadata = json.load(handle)
        results = {"netral": netral_page(netral_lines.get(os.path.realpath(source), {})), "trafilatura": run_trafilatura(source)}
        for tool in tools:
            got = results[tool]
            tally = readability[tool]
            scores = score_text(tally, got.get("body"), want_text)
            title_ok = None
            if metadata.get("title"):
                title_ok = title_right(got.get("title"), metadata["title"])
                tally.add("title", title_ok)
            byline_ok = None
            if metadata.get("byline"):
                byline_ok = byline_right(got.get("author"), metadata["byline"])
                tally.add("byline", byline_ok)
            if tool == "netral" and scores and (scores[0] < 0.9 or scores[1] < 0.9 or title_ok is False or byline_ok is False):
                failures.append(f"readability/{case}: recall {scores[0]:.2f} precision {scores[1]:.2f}"
                                f" title {got.get('title')!r} (want {metadata.get('title')!r})"
                                f" byline {got.get('author')!r} (want {metadata.get('byline')!r})")

    with open(os.path.join(args.id_news, "expected.json"), encoding="utf-8") as handle:
        expected = json.load(handle)
    with open(AUTHORS_FILE, encoding="utf-8") as handle:
        authors = json.load(handle)
    for name, want in sorted(expected.items()):
        source = os.path.join(args.id_news, name)
        if not os.path.isfile(source):
            continue
        netral = netral_lines.get(os.path.realpath(source), {})
        if "urls" in want:
            # Some "mainpage" files are RSS (one item per entry), others HTML index pages (the
            # entries are links of the page item): an expected URL counts when it is either.
            got_urls = {item.get(key) for item in netral.get("items") or [] for key in ("sourceURL", "canonicalURL")}
            got_urls |= {link.get("url") for item in netral.get("items") or [] for link in item.get("links") or []}
            wanted = list(want["urls"].values())
            news["netral"].add("feed_urls", sum(1 for url in wanted if url in got_urls) / len(wanted))
            titled = all((item.get("title") or "").strip() for item in netral.get("items") or [])
            news["netral"].add("feed_titles", bool(netral.get("items")) and titled)
            continue
        results = {"netral": netral_page(netral), "trafilatura": run_trafilatura(source)}
        for tool in tools:
            got = results[tool]
            tally = news[tool]
            scores = score_text(tally, got.get("body"), want.get("content", ""))
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
                failures.append(f"id-news/{name}: recall {scores[0]:.2f} precision {scores[1]:.2f}"
                                f" title {got.get('title')!r} (want {want['title']!r})"
                                f" date {got.get('date')} (want {want['date']})"
                                f" author {got.get('author')!r} (want {want_author!r})")

    def row(label, tool_values):
        print(f"{label:<44}" + "".join(f"{value:>14}" for value in tool_values))

    def fraction(tally, key):
        return f"{tally.count(key)}/{tally.total(key)}"

    print(f"{'':<44}{'netral':>14}{'trafilatura':>14}")
    r = readability
    pages = r["netral"].total("recall")
    print(f"readability-pages ({pages} pages)")
    row("  main text word recall (mean)", [f"{r[t].mean('recall'):.3f}" for t in tools])
    row("  main text word precision (mean)", [f"{r[t].mean('precision'):.3f}" for t in tools])
    row("  pages lost (recall < 0.5)", [fraction(r[t], "lost") for t in tools])
    row("  pages leaky (precision < 0.9)", [fraction(r[t], "leaky") for t in tools])
    row("  title exact", [f"{r[t].mean('title'):.3f}" for t in tools])
    row("  byline right", [f"{r[t].mean('byline'):.3f}" for t in tools])
    n = news
    print(f"id-news-2015 ({n['netral'].total('recall')} articles, {n['netral'].total('feed_urls')} feeds)")
    row("  main text word recall (mean)", [f"{n[t].mean('recall'):.3f}" for t in tools])
    row("  main text word precision (mean)", [f"{n[t].mean('precision'):.3f}" for t in tools])
    row("  pages leaky (precision < 0.9)", [fraction(n[t], "leaky") for t in tools])
    row("  title exact", [fraction(n[t], "title") for t in tools])
    row("  date right to the minute", [fraction(n[t], "date_minute") for t in tools])
    row("  date right to the day (WIB)", [fraction(n[t], "date_day") for t in tools])
    row("  author the journalist", [fraction(n[t], "author") for t in tools])
    row("  index/feed entry URLs found (mean)", [f"{n['netral'].mean('feed_urls'):.3f}", "-"])
    row("  index/feed pages with every item titled", [fraction(n["netral"], "feed_titles"), "-"])
    if args.show_failures:
        print("\nNetral's misses:")
        for failure in failures:
            print("  " + failure)


if __name__ == "__main__":
    sys.exit(main())
