#!/usr/bin/env bash
# Extraction quality benchmark: Netral's main text, title, byline, date and author against
# trafilatura's, side by side on the same real pages in one run.
#
#   Benchmarks/extract/quality.sh [--show-failures] [READABILITY_DIR [ID_NEWS_DIR]]
#
# Defaults: ../shared/corpora/readability-pages and ../shared/corpora/id-news-2015 beside the
# repository (mozilla/readability's test pages; Indonesian news 2015-2017, see their README).
# Builds netral-bench (debug: quality, not speed, is measured), extracts every page with
# `netral-bench items` (fetch time fixed at 2026-01-01, after every page was published), then
# quality.py runs trafilatura (pip install trafilatura lxml_html_clean) on the same files and
# prints both columns. What each figure means is in quality.py's header.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
show=()
if [ "${1:-}" = "--show-failures" ]; then show=(--show-failures); shift; fi
readability="${1:-$root/../shared/corpora/readability-pages}"
news="${2:-$root/../shared/corpora/id-news-2015}"

[ -d "$readability" ] || { echo "quality.sh: no readability pages at $readability" >&2; exit 1; }
[ -d "$news" ] || { echo "quality.sh: no Indonesian news pages at $news" >&2; exit 1; }
python3 -c "import trafilatura, lxml.html" 2>/dev/null \
    || { echo "quality.sh: trafilatura is missing (pip install trafilatura lxml_html_clean)" >&2; exit 1; }

echo "== building netral-bench (debug)" >&2
swift build --package-path "$root" --product netral-bench 2>&1 | grep -E "error|Build" | tail -3 >&2
bin="$(swift build --package-path "$root" --show-bin-path)/netral-bench"

items="$(mktemp "${TMPDIR:-/tmp}/netral-quality.XXXXXX")"
trap 'rm -f "$items"' EXIT
# The id-news articles are read as fetched from their own URLs (expected.json has them): the
# host tells a publisher's name from a journalist's. The readability pages have no URL.
mapfile -t files < <(find "$readability" -name source.html | sort; python3 - "$news" <<'PY'
import json, os, sys
news = sys.argv[1]
expected = json.load(open(os.path.join(news, "expected.json"), encoding="utf-8"))
for name in sorted(expected):
    url = expected[name].get("url")
    print(os.path.join(news, name) + ("::" + url if url else ""))
PY
)
NETRAL_BENCH_FETCHED_AT=2026-01-01T00:00:00Z "$bin" items "${files[@]}" > "$items"

echo "== trafilatura $(python3 -c 'import trafilatura; print(trafilatura.__version__)'), netral $(git -C "$root" rev-parse --short HEAD)"
python3 "$here/quality.py" --netral "$items" --readability "$readability" --id-news "$news" "${show[@]}"
