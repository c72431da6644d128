#!/usr/bin/env bash
# Reads real WACZ packages end to end through a capture folder (`kind: capture`), twice: the
# first scan reads every package (digests checked, pages.jsonl, each WARC's responses routed),
# the second must read nothing again. Default input: the py-wacz samples in ../shared/samples/wacz.
# Usage: Benchmarks/capture/run.sh [FOLDER_OF_WACZ]
set -euo pipefail
cd "$(dirname "$0")/../.."
source="${1:-../shared/samples/wacz}"
[ -d "$source" ] || { echo "no folder $source" >&2; exit 1; }
swift build --product netral >/dev/null 2>&1 || swift build --product netral
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir "$work/tangkapan"
cp "$source"/*.wacz "$work/tangkapan/"
cat > "$work/netral.yaml" <<YAML
format: 1
rules: [$(pwd)/Rules]
sites: [$(pwd)/Rules/sites]
state: state.sqlite
evidence: evidence
targets:
  - {id: tangkapan, kind: capture, path: tangkapan}
YAML
for run in first second; do
  start=$(date +%s.%N)
  .build/debug/netral scan --config "$work/netral.yaml" --format json --log-level info 2>"$work/$run.log" >"$work/$run.json" || true
  end=$(date +%s.%N)
  python3 - "$work/$run.json" "$run" "$start" "$end" <<'PY'
import json, sys
summary = json.load(open(sys.argv[1]))
result = summary["results"][0]
print(f'{sys.argv[2]} scan: outcome {result["outcome"]}, '
      f'files read {result["pages"]}, unchanged {summary["unchanged"]}, items {summary["items"]}, '
      f'findings {len(summary["findings"])}, failures {summary["failures"]}, {float(sys.argv[4]) - float(sys.argv[3]):.2f} s')
PY
done
grep -h "WACZ package\|WACZ warning" "$work/first.log" | head -20
