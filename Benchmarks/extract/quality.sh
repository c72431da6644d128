#!/usr/bin/env bash
# Extraction quality benchmark: Netral's main text, title, byline, date and author against
# trafilatura's, side by side on the same real pages in one run.
#
#   Benchmarks/extract/quality.sh [--show-failures] [--dump FILE] [--trafilatura-cache DIR]
#                                 [--before NETRAL_BENCH] [READABILITY_DIR [ID_NEWS_DIR [EXTRACTION_BENCH_DIR]]]
#
# Defaults, beside the repository: ../shared/corpora/readability-pages (mozilla/readability's test
# pages), ../shared/corpora/id-news-2015 (Indonesian news 2015-2017) and
# ../shared/corpora/extraction-bench (Zyte's article-extraction benchmark in scrapinghub-aeb/ and
# WCXB's test split in wcxb-test/; see its SOURCES.md). A missing extraction-bench is skipped.
# Builds netral-bench (debug: quality, not speed, is measured), unpacks the gzipped pages into a
# temporary folder, extracts every page with `netral-bench items` (fetch time fixed at
# 2026-01-01, after every page was published; Zyte and WCXB pages as fetched from their own
# URLs), then quality.py runs trafilatura (pip install trafilatura==2.3.1 lxml_html_clean) on
# the same files and prints both columns. What each figure means is in quality.py's header.
# `--dump FILE` writes every page's scores and both texts; `--trafilatura-cache DIR` reuses
# trafilatura's output between development rounds (a reported run goes without it).
# `--before NETRAL_BENCH` runs another build's netral-bench (e.g. main's) on the same pages and
# scores it in a "before" column of the same run.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
options=()
before_bin=""
while [ $# -gt 0 ]; do
    case "$1" in
        --show-failures) options+=(--show-failures); shift ;;
        --dump|--trafilatura-cache)
            [ $# -ge 2 ] || { echo "quality.sh: $1 needs a value" >&2; exit 1; }
            options+=("$1" "$2"); shift 2 ;;
        --before)
            [ $# -ge 2 ] || { echo "quality.sh: $1 needs a netral-bench binary" >&2; exit 1; }
            [ -x "$2" ] || { echo "quality.sh: --before $2 is not an executable" >&2; exit 1; }
            before_bin="$2"; shift 2 ;;
        --*) echo "quality.sh: unknown option $1" >&2; exit 1 ;;
        *) break ;;
    esac
done
readability="${1:-$root/../shared/corpora/readability-pages}"
news="${2:-$root/../shared/corpora/id-news-2015}"
bench="${3:-$root/../shared/corpora/extraction-bench}"

[ -d "$readability" ] || { echo "quality.sh: no readability pages at $readability" >&2; exit 1; }
[ -d "$news" ] || { echo "quality.sh: no Indonesian news pages at $news" >&2; exit 1; }
python3 -c "import trafilatura, lxml.html" 2>/dev/null \
    || { echo "quality.sh: trafilatura is missing (pip install trafilatura==2.3.1 lxml_html_clean)" >&2; exit 1; }

echo "== building netral-bench (debug)" >&2
swift build --package-path "$root" --product netral-bench 2>&1 | grep -E "error|Build" | tail -3 >&2
bin="$(swift build --package-path "$root" --show-bin-path)/netral-bench"

work="$(mktemp -d "${TMPDIR:-/tmp}/netral-quality.XXXXXX")"
trap 'rm -rf "$work"' EXIT
items="$work/items.jsonl"
# Every page as `FILE` or `FILE::URL`. The id-news articles are read as fetched from their own
# URLs (expected.json has them): the host tells a publisher's name from a journalist's. The
# readability pages have no URL. The Zyte and WCXB pages are unpacked first.
python3 - "$readability" "$news" "$bench" "$work" > "$work/files.txt" <<'PY'
import gzip, json, os, sys
readability, news, bench, work = sys.argv[1:5]
for case in sorted(os.listdir(readability)):
    source = os.path.join(readability, case, "source.html")
    if os.path.isfile(source):
        print(source)
expected = json.load(open(os.path.join(news, "expected.json"), encoding="utf-8"))
for name in sorted(expected):
    url = expected[name].get("url")
    print(os.path.join(news, name) + ("::" + url if url else ""))

def unpack(source_dir, target_dir, urls):
    os.makedirs(target_dir, exist_ok=True)
    for name in sorted(os.listdir(source_dir)):
        if not name.endswith(".html.gz"):
            continue
        key = name[: -len(".html.gz")]
        target = os.path.join(target_dir, key + ".html")
        with gzip.open(os.path.join(source_dir, name), "rb") as packed, open(target, "wb") as plain:
            plain.write(packed.read())
        url = urls.get(key)
        print(target + ("::" + url if url else ""))

zyte = os.path.join(bench, "scrapinghub-aeb")
if os.path.isdir(zyte):
    truth = json.load(open(os.path.join(zyte, "ground-truth.json"), encoding="utf-8"))
    unpack(os.path.join(zyte, "html"), os.path.join(work, "zyte"), {key: value.get("url") for key, value in truth.items()})
wcxb = os.path.join(bench, "wcxb-test")
if os.path.isdir(wcxb):
    urls = {}
    for name in os.listdir(os.path.join(wcxb, "ground-truth")):
        with open(os.path.join(wcxb, "ground-truth", name), encoding="utf-8") as handle:
            urls[name.removesuffix(".json")] = json.load(handle).get("url")
    unpack(os.path.join(wcxb, "html"), os.path.join(work, "wcxb"), urls)
PY
mapfile -t files < "$work/files.txt"
NETRAL_BENCH_FETCHED_AT=2026-01-01T00:00:00Z "$bin" items "${files[@]}" > "$items"
if [ -n "$before_bin" ]; then
    NETRAL_BENCH_FETCHED_AT=2026-01-01T00:00:00Z "$before_bin" items "${files[@]}" > "$work/items-before.jsonl"
    options+=(--netral-before "$work/items-before.jsonl")
fi

sets=()
[ -d "$work/zyte" ] && sets+=(--zyte "$bench/scrapinghub-aeb" --zyte-pages "$work/zyte")
[ -d "$work/wcxb" ] && sets+=(--wcxb "$bench/wcxb-test" --wcxb-pages "$work/wcxb")
echo "== trafilatura $(python3 -c 'import trafilatura; print(trafilatura.__version__)'), netral $(git -C "$root" rev-parse --short HEAD)"
python3 "$here/quality.py" --netral "$items" --readability "$readability" --id-news "$news" "${sets[@]}" "${options[@]}"
