#!/usr/bin/env bash
# Matching benchmark: Netral's normalize + match + evaluate, with every shipped pack plus a
# generated pack of 20,000 names, side by side with pyahocorasick and ripgrep on the same
# corpus and names, in one run. Prints each figure and Netral's ratio to each peer.
#
#     Benchmarks/matching/run.sh [MEGABYTES]      (default 16)
#     NETRAL_BENCH_ROUNDS=9 Benchmarks/matching/run.sh 4
#     NETRAL_BENCH_SKIP_RG=1 Benchmarks/matching/run.sh   (without ripgrep, which is slow)
#
# The machine is shared and a pass can take 40% longer from one minute to the next, so Netral
# and pyahocorasick run in interleaved rounds (each a median of 3 passes) and the ratios are
# the medians of the rounds' ratios. ripgrep is slow with 20,000 patterns and runs once.
set -euo pipefail
cd "$(dirname "$0")/../.."
megabytes="${1:-16}"
rounds="${NETRAL_BENCH_ROUNDS:-5}"
work="${TMPDIR:-/tmp}/netral-bench-matching"
mkdir -p "$work"

command -v rg >/dev/null || { sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo; $sudo apt-get install -y -qq ripgrep >/dev/null; }
python3 -c "import ahocorasick" 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check pyahocorasick
python3 -c "import yaml" 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check pyyaml

corpus="$work/corpus-$megabytes.txt"
[ -f "$corpus" ] || {
  python3 Benchmarks/matching/generate.py --out "$work" --megabytes "$megabytes"
  mv "$work/corpus.txt" "$corpus"
}
swift build -c release --product netral-bench-match >&2
bench=.build/release/netral-bench-match
# Every pack Netral loads from Rules/: the folder and its subfolders one level down (generated
# packs), not Rules/sites/ (site profiles).
packs=(Rules/*.yaml $(ls Rules/*/*.yaml 2>/dev/null | grep -v '^Rules/sites/' || true))
peers=(python3 Benchmarks/matching/peers.py --corpus "$corpus" --names "$work/names.txt" --packs "${packs[@]}")

echo "machine: $(nproc) cores, $(uname -m); corpus $(du -h "$corpus" | cut -f1); $rounds rounds"
# Loading every shipped pack (read, check, compile), the cost each scan and `rules check` pays.
$bench "$corpus" Rules --load --repeat 5
rate() { sed -E 's/^[^:]+: ([0-9.]+) MB\/s.*/\1/'; }
results="$work/rounds.txt"
: > "$results"
for round in $(seq "$rounds"); do
  shipped=$($bench "$corpus" Rules --repeat 3)
  named=$($bench "$corpus" Rules "$work/names-pack.yaml" --repeat 3)
  peer=$("${peers[@]}" --repeat 3 --skip-rg)
  raw=$(echo "$peer" | grep '^pyahocorasick-raw' | rate)
  whole=$(echo "$peer" | grep '^pyahocorasick-whole-word' | rate)
  echo "$(echo "$shipped" | rate) $(echo "$named" | rate) $raw $whole" >> "$results"
  echo "round $round: netral $(echo "$shipped" | rate) (shipped), $(echo "$named" | rate) (+ 20,000 names); pyahocorasick raw $raw, whole-word $whole MB/s"
done
echo "$shipped  [shipped packs, last round]"
echo "$named  [shipped packs + 20,000 names, last round]"
echo "$peer"
# ripgrep with tens of thousands of patterns takes many minutes: NETRAL_BENCH_SKIP_RG=1 skips it.
if [ -n "${NETRAL_BENCH_SKIP_RG:-}" ]; then
  ripgrep="ripgrep: 0 MB/s (skipped)"
else
  ripgrep=$("${peers[@]}" --repeat 1 --only-rg)
fi
echo "$ripgrep"

python3 - "$results" "$(echo "$ripgrep" | rate)" <<'PY'
import statistics, sys
rows = [list(map(float, line.split())) for line in open(sys.argv[1]) if line.strip()]
ripgrep = float(sys.argv[2])
names = ["netral (shipped packs)", "netral (+ 20,000 names)", "pyahocorasick-raw", "pyahocorasick-whole-word"]
for index, name in enumerate(names):
    print(f"median {name}: {statistics.median(row[index] for row in rows):.1f} MB/s")
for ours, label in ((1, "+ 20,000 names"), (0, "shipped packs")):
    for peer, peer_name in ((3, "pyahocorasick-whole-word"), (2, "pyahocorasick-raw")):
        ratio = statistics.median(row[ours] / row[peer] for row in rows)
        print(f"ratio netral ({label}) / {peer_name}: {ratio:.2f} (median of {len(rows)} rounds)")
if ripgrep > 0:
    print(f"ratio netral (+ 20,000 names) / ripgrep: {statistics.median(row[1] for row in rows) / ripgrep:.1f}")
PY
