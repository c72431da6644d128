#!/usr/bin/env bash
# OCR benchmark: NetralOCR (netral-bench-ocr, release build) side by side with the `tesseract`
# command on the same pictures, in one run: images per second of each, the ratio, and the
# character accuracy (1 - CER) of each against the ground truth.
#
#     Benchmarks/ocr/run.sh [FOLDER] [ROUNDS]     (default Fixtures/ocr/rendered, 3 rounds)
#
# FOLDER holds the pictures and their NAME.gt.txt. Both tools read one picture at a time
# (netral-bench-ocr --jobs 1; the command once per picture, as a scan calling it would), with
# the same languages (ind+eng) and Tesseract 5.3 library. The command runs with its defaults
# (page segmentation 3), NetralOCR with its measured defaults (OCRPreprocessing.measuredBest).
# The machine is shared, so the two alternate in rounds and the ratio is the median of the
# rounds' ratios.
set -euo pipefail
cd "$(dirname "$0")/../.."
folder="${1:-Fixtures/ocr/rendered}"
rounds="${2:-3}"
work="${TMPDIR:-/tmp}/netral-bench-ocr"
rm -rf "$work"
mkdir -p "$work/command"

command -v tesseract >/dev/null || { echo "the tesseract command is missing: apt-get install tesseract-ocr" >&2; exit 1; }
swift build -c release --product netral-bench-ocr >&2
bench=.build/release/netral-bench-ocr
mapfile -t pictures < <(find "$folder" -maxdepth 1 -type f \
  \( -name '*.png' -o -name '*.jpg' -o -name '*.jpeg' -o -name '*.gif' -o -name '*.webp' \) | sort)
count=${#pictures[@]}
((count > 0)) || { echo "no pictures in $folder" >&2; exit 1; }

now() { date +%s.%N; }
calc() { awk "BEGIN { print $1 }"; }
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $count pictures in $folder; $rounds rounds"
echo "$(tesseract --version 2>&1 | head -1), languages ind+eng"
results="$work/rounds.txt"
: > "$results"
for round in $(seq "$rounds"); do
  start=$(now)
  "$bench" "$folder" --out "$work/netral" --jobs 1 > "$work/netral.log"
  netral=$(calc "$(now) - $start")
  start=$(now)
  for picture in "${pictures[@]}"; do
    stem=$(basename "${picture%.*}")
    tesseract "$picture" "$work/command/$stem" -l ind+eng >/dev/null 2>&1 || echo "tesseract failed on $picture" >&2
  done
  command_seconds=$(calc "$(now) - $start")
  echo "$netral $command_seconds" >> "$results"
  printf 'round %d: netral-ocr %.2f images/s (%.2f s), tesseract command %.2f images/s (%.2f s)\n' "$round" \
    "$(calc "$count / $netral")" "$netral" "$(calc "$count / $command_seconds")" "$command_seconds"
done

python3 - "$results" "$count" <<'PY'
import statistics, sys
rows = [list(map(float, line.split())) for line in open(sys.argv[1]) if line.strip()]
count = int(sys.argv[2])
netral = statistics.median(count / r[0] for r in rows)
command = statistics.median(count / r[1] for r in rows)
ratio = statistics.median(r[1] / r[0] for r in rows)
print(f"median netral-ocr: {netral:.2f} images/s ({1 / netral:.2f} s a picture)")
print(f"median tesseract command: {command:.2f} images/s ({1 / command:.2f} s a picture)")
print(f"ratio netral-ocr / tesseract command: {ratio:.2f} (median of {len(rows)} rounds)")
PY
python3 Benchmarks/ocr/accuracy.py "$folder" "$work/netral" --label "accuracy netral-ocr"
python3 Benchmarks/ocr/accuracy.py "$folder" "$work/command" --label "accuracy tesseract command"
