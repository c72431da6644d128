#!/usr/bin/env bash
# Items per second of each platform parser (NetralPlatforms) against reading the same answers
# with Python's standard library in one run: `json` for the JSON the parser reads (the whole
# answer, or the JSON a page embeds), `html.parser` for the pages that are HTML only
# (Telegram, m.facebook.com), `xml.etree` for the YouTube feed, `re` for WhatsApp chats.
#
#   Benchmarks/platforms/run.sh [SAMPLES_DIR] [PASSES]
#
# SAMPLES_DIR holds real answers (default ../shared/samples); WhatsApp has no real sample
# there, so a chat of 20,000 messages is generated in the same layouts as the fixtures.
set -euo pipefail
cd "$(dirname "$0")/../.."
SAMPLES="${1:-../shared/samples}"
PASSES="${2:-30}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

swift build -c release --product netral-bench-platforms >/dev/null
BENCH="$(swift build -c release --show-bin-path)/netral-bench-platforms"

python3 Benchmarks/platforms/prepare.py "$SAMPLES" "$WORK" > "$WORK/manifest.tsv"
echo "samples: $SAMPLES   passes: $PASSES   answers: $(wc -l < "$WORK/manifest.tsv")"
"$BENCH" bench "$WORK/manifest.tsv" "$PASSES" > "$WORK/swift.tsv"
python3 Benchmarks/platforms/peer.py "$WORK/manifest.tsv" "$PASSES" > "$WORK/python.tsv"
python3 - "$WORK/swift.tsv" "$WORK/python.tsv" <<'PY'
import sys
swift = {l.split('\t')[0]: l.rstrip('\n').split('\t') for l in open(sys.argv[1]) if l.strip()}
python = {l.split('\t')[0]: l.rstrip('\n').split('\t') for l in open(sys.argv[2]) if l.strip()}
print(f"{'platform':10} {'answers':>7} {'items/pass':>10} {'netral answers/s':>17} {'netral items/s':>15} {'python answers/s':>17} {'python reads':>22} {'ratio':>6}")
for name, row in swift.items():
    _, answers, items, seconds, answers_per_s, items_per_s = row
    peer = python.get(name)
    if not peer:
        continue
    ratio = float(answers_per_s) / float(peer[1])
    print(f"{name:10} {answers:>7} {items:>10} {float(answers_per_s):>17.1f} {float(items_per_s):>15.1f} {float(peer[1]):>17.1f} {peer[2]:>22} {ratio:>5.2f}x")
PY
