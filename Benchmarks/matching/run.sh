#!/usr/bin/env bash
# Matching benchmark: Netral's normalize + match + evaluate, with every shipped pack plus a
# generated pack of 20,000 names, side by side with pyahocorasick and ripgrep on the same
# corpus and names, in one run. Prints each figure and Netral's ratio to each peer.
#
#     Benchmarks/matching/run.sh [MEGABYTES]      (default 16)
set -euo pipefail
cd "$(dirname "$0")/../.."
megabytes="${1:-16}"
work="${TMPDIR:-/tmp}/netral-bench-matching"
mkdir -p "$work"

command -v rg >/dev/null || { sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo; $sudo apt-get install -y -qq ripgrep >/dev/null; }
python3 -c "import ahocorasick" 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check pyahocorasick

[ -f "$work/corpus-$megabytes.txt" ] || {
  python3 Benchmarks/matching/generate.py --out "$work" --megabytes "$megabytes"
  mv "$work/corpus.txt" "$work/corpus-$megabytes.txt"
}
swift build -c release --product netral-bench-match >&2
bench=.build/release/netral-bench-match

echo "machine: $(nproc) cores, $(uname -m); corpus $(du -h "$work/corpus-$megabytes.txt" | cut -f1)"
shipped=$($bench "$work/corpus-$megabytes.txt" Rules --repeat 3)
echo "$shipped  [shipped packs]"
ours=$($bench "$work/corpus-$megabytes.txt" Rules "$work/names-pack.yaml" --repeat 3)
echo "$ours  [shipped packs + 20,000 names]"
peers=$(python3 Benchmarks/matching/peers.py --corpus "$work/corpus-$megabytes.txt" --names "$work/names.txt" --packs Rules/*.yaml --repeat 3)
echo "$peers"

rate() { sed -E 's/^[^:]+: ([0-9.]+) MB\/s.*/\1/'; }
ours_rate=$(echo "$ours" | rate)
while read -r line; do
  name=${line%%:*}
  peer_rate=$(echo "$line" | rate)
  python3 -c "print(f'ratio netral / $name: {float($ours_rate) / float($peer_rate):.2f}')"
done <<< "$peers"
