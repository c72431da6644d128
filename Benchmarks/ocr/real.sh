#!/usr/bin/env bash
# OCR on real pictures (not rendered by us): the two committed in Fixtures/ocr/real/ (test
# pictures of tesseract.js, Apache-2.0) and two photos from EasyOCR's examples, downloaded at a
# pinned commit because their own licence is not stated (see SOURCES.md there). Then
# Benchmarks/ocr/run.sh on the lot, one round.
#
#     Benchmarks/ocr/real.sh [EASYOCR_CHECKOUT]
#
# With EASYOCR_CHECKOUT (a clone of github.com/JaidedAI/EasyOCR), the two photos are read from
# it at the pinned commit instead of downloaded.
set -euo pipefail
cd "$(dirname "$0")/../.."
commit=c4f3cd7225efd4f85451bd8b4a7646ae9a092420
folder="${TMPDIR:-/tmp}/netral-bench-ocr-real"
rm -rf "$folder"
mkdir -p "$folder"
cp Fixtures/ocr/real/*.png Fixtures/ocr/real/*.gt.txt "$folder/"
cp Benchmarks/ocr/real-downloads/*.gt.txt "$folder/"
for pair in "english.png:real-who-infographic.png" "french.jpg:real-paris-signs.jpg"; do
  source="${pair%%:*}"
  target="${pair##*:}"
  if [ -n "${1:-}" ]; then
    git -C "$1" show "$commit:examples/$source" > "$folder/$target"
  else
    curl -fsSL "https://raw.githubusercontent.com/JaidedAI/EasyOCR/$commit/examples/$source" -o "$folder/$target"
  fi
done
Benchmarks/ocr/run.sh "$folder" 1
