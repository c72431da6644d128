#!/usr/bin/env bash
# Workers benchmark: the shared PostgreSQL state with 1, 2 and 4 workers beside the SQLite
# single-machine figure, in one run.
#
# 1. Starts a throwaway PostgreSQL cluster on loopback (.ci/postgres-up; Debian's postgresql).
# 2. Claims per second, without fetching (netral-bench-claims): 5,000 due targets claimed 32 at
#    a time and finished at once, one transaction per batch, by 1, 2 and 4 worker threads, each
#    with its own connection; and the same on a SQLite file with one worker.
# 3. Pages per second: 2,000 generated pages on 20 loopback hosts served by nginx (as the fetch
#    benchmark), scanned by one `netral scan` on SQLite, then by 1, 2 and 4 `netral scan
#    --worker` processes started together on a fresh PostgreSQL database each; wall time from the
#    first start to the last exit. Every run fetches, extracts, judges and records every page.
# 4. Prints both figures and the ratios to the SQLite run.
#
# All workers run on this one machine: pages/s with more workers shows what the state costs and
# how claims spread, not what more machines would add (the CPU is shared by all of them).
# NETRAL_BIN and NETRAL_BENCH_CLAIMS override the release builds.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="${1:-${TMPDIR:-/tmp}/netral-bench-workers}"
pages="${NETRAL_BENCH_PAGES:-2000}"
claims="${NETRAL_BENCH_CLAIM_TARGETS:-5000}"
hosts=20

if [ -z "${NETRAL_BIN:-}" ] || [ -z "${NETRAL_BENCH_CLAIMS:-}" ]; then
    echo "== building netral and netral-bench-claims (release)"
    swift build -c release --package-path "$root" --product netral 2>&1 | grep -E "error|Build" | tail -3
    swift build -c release --package-path "$root" --product netral-bench-claims 2>&1 | grep -E "error|Build" | tail -3
    bin="$(swift build -c release --package-path "$root" --show-bin-path)"
    NETRAL_BIN="${NETRAL_BIN:-$bin/netral}"
    NETRAL_BENCH_CLAIMS="${NETRAL_BENCH_CLAIMS:-$bin/netral-bench-claims}"
fi

rm -rf "$work"
mkdir -p "$work"
eval "$("$root/.ci/postgres-up" "${NETRAL_BENCH_PG_PORT:-55490}")"
. "$here/../lib/nginx-site.sh"
nginx_site "$work" "$pages" "$hosts"
trap 'eval "$nginx_stop_command"; "$root/.ci/postgres-down" "$NETRAL_TEST_POSTGRES_DIR"' EXIT
export NETRAL_BENCH_PASSWORD="$NETRAL_TEST_POSTGRES_PASSWORD" NETRAL_DB_PASSWORD="$NETRAL_TEST_POSTGRES_PASSWORD"
server="${NETRAL_TEST_POSTGRES%/*}"    # postgres://netral@127.0.0.1:PORT

fresh_database() {
    PGOPTIONS="-c client_min_messages=warning" PGPASSWORD="$NETRAL_TEST_POSTGRES_PASSWORD" psql "$NETRAL_TEST_POSTGRES" -qc "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null
    echo "$server/$1"
}

echo "== machine"
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//') ($(nproc) cores), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
echo "postgres: $(PGPASSWORD="$NETRAL_TEST_POSTGRES_PASSWORD" psql "$NETRAL_TEST_POSTGRES" -Atc 'SHOW server_version'), fsync off (a throwaway cluster)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) (the machine is shared: compare ratios from this run)"

echo "== claims per second (no fetching): $claims targets, 32 a batch"
sqlite_claims="$("$NETRAL_BENCH_CLAIMS" "$work/claims.sqlite" --workers 1 --targets "$claims")"
echo "sqlite   $sqlite_claims"
declare -A pg_claims
for n in 1 2 4; do
    pg_claims[$n]="$("$NETRAL_BENCH_CLAIMS" "$(fresh_database "claims_$n")" --workers "$n" --targets "$claims")"
    echo "postgres ${pg_claims[$n]}"
done

write_config() {   # write_config FILE STATE
    nginx_site_config "$2" evidence "every: 1h" > "$1"
}

# Runs N scans at once (N = number of worker names; none: one plain scan) and prints wall seconds.
scan_together() {   # scan_together CONFIG [WORKER...]
    local config="$1"; shift
    local start end status=0 pids=()
    start=$(date +%s.%N)
    if [ $# -eq 0 ]; then
        "$NETRAL_BIN" scan --config "$config" --quiet > /dev/null 2>> "$work/scan.err" || status=$?
        [ "$status" -eq 0 ] || [ "$status" -eq 4 ] || { echo "scan exited $status" >&2; tail -5 "$work/scan.err" >&2; exit 1; }
    else
        for worker in "$@"; do
            "$NETRAL_BIN" scan --config "$config" --quiet --worker "$worker" > /dev/null 2>> "$work/scan.err" &
            pids+=($!)
        done
        for pid in "${pids[@]}"; do
            status=0; wait "$pid" || status=$?
            [ "$status" -eq 0 ] || [ "$status" -eq 4 ] || { echo "worker exited $status" >&2; tail -5 "$work/scan.err" >&2; exit 1; }
        done
    fi
    end=$(date +%s.%N)
    python3 -c "print(f'{$end - $start:.2f}')"
}

count="$(wc -l < "$urls")"
echo "== pages per second: $count pages on $hosts loopback hosts"
mkdir -p "$work/sqlite"
write_config "$work/sqlite/netral.yaml" state.sqlite
sqlite_seconds="$(scan_together "$work/sqlite/netral.yaml")"
echo "sqlite, one scan: $sqlite_seconds s"
declare -A pg_seconds
for n in 1 2 4; do
    mkdir -p "$work/pg$n"
    write_config "$work/pg$n/netral.yaml" "$(fresh_database "pages_$n")"
    workers=(); for i in $(seq 1 "$n"); do workers+=("pekerja-$i"); done
    pg_seconds[$n]="$(scan_together "$work/pg$n/netral.yaml" "${workers[@]}")"
    got="$(PGPASSWORD="$NETRAL_TEST_POSTGRES_PASSWORD" psql "$server/pages_$n" -Atc "SELECT count(*) FROM target WHERE last_result IS NOT NULL")"
    [ "$got" -eq "$count" ] || { echo "only $got of $count targets were scanned with $n workers" >&2; exit 1; }
    echo "postgres, $n worker(s) at once: ${pg_seconds[$n]} s"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$count" "$sqlite_claims" "${pg_claims[1]}" "${pg_claims[2]}" "${pg_claims[4]}" \
    "$sqlite_seconds" "${pg_seconds[1]}" "${pg_seconds[2]}" "${pg_seconds[4]}" <<'PY'
import sys
count = int(sys.argv[1])
def claims_per_second(line): return float(line.split("claims/s")[1])
sqlite_c = claims_per_second(sys.argv[2])
pg_c = [claims_per_second(line) for line in sys.argv[3:6]]
sqlite_s = float(sys.argv[6])
pg_s = [float(x) for x in sys.argv[7:10]]
print()
print("| state | workers | claims/s | × SQLite | pages/s | × SQLite |")
print("|---|---|---|---|---|---|")
print(f"| SQLite | 1 | {sqlite_c:,.0f} | 1.00 | {count / sqlite_s:,.1f} | 1.00 |")
for n, c, s in zip([1, 2, 4], pg_c, pg_s):
    print(f"| PostgreSQL | {n} | {c:,.0f} | {c / sqlite_c:.2f} | {count / s:,.1f} | {sqlite_s / s:.2f} |")
PY
