#!/usr/bin/env bash
# The desk's queue over many case files, side by side with its floor: the same SQL (count,
# status counts, one page) run by Python's sqlite3 on the same state. Prints the median time
# of each queue page through HTTP (curl) and of the bare queries, and their ratio.
#
#   Benchmarks/desk/run.sh [CASE_FILES] [ROUNDS]      (defaults: 10000, 15)
#
# NETRAL names the binary (default .build/debug/netral; a release build is faster).
set -euo pipefail
cd "$(dirname "$0")/../.."
count="${1:-10000}"
rounds="${2:-15}"
netral="${NETRAL:-.build/debug/netral}"
[ -x "$netral" ] || swift build --product netral >&2
work="$(mktemp -d)"
desk_pid=""
trap '[ -n "$desk_pid" ] && kill "$desk_pid" 2>/dev/null; rm -rf "$work"' EXIT

# A real state from the demo, then its case-file rows copied to COUNT, one minute apart.
"$netral" demo --output "$work/demo" > /dev/null
python3 Benchmarks/desk/grow_state.py "$work/demo/state.sqlite" "$count"

"$netral" desk --state "$work/demo/state.sqlite" --evidence "$work/demo/evidence" --port 0 --by bench > "$work/desk.out" 2> "$work/desk.err" &
desk_pid=$!
for _ in $(seq 1 100); do grep -q masuk "$work/desk.out" 2>/dev/null && break; sleep 0.1; done
link="$(grep -o 'http://[^ ]*/masuk?token=[0-9a-f]*' "$work/desk.out")"
base="${link%%/masuk*}"
curl -s -o /dev/null -c "$work/cookies" "$link"

python3 Benchmarks/desk/compare.py "$work/demo/state.sqlite" "$base" "$work/cookies" "$rounds"
