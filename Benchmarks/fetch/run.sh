#!/usr/bin/env bash
# Fetch benchmark: `netral scan` against `curl --parallel` over the same 2,000 pages, in one run.
#
# 1. Generates 2,000 pages under 20 host folders (generate_site.py, fixed seed).
# 2. Starts nginx (Debian's package: apt-get install nginx-light) with its own prefix, one
#    virtual server per host name, each listening on its own loopback address
#    (host01.bench.test → 127.0.0.1, …, host20.bench.test → 127.0.0.20) on one free port.
#    Nothing is resolved through DNS: curl gets `--resolve name:port:address` and Netral the
#    same entries under `fetch.resolve`, so both connect to the same addresses.
# 3. Times, with /usr/bin/time (wall seconds, peak RSS, CPU seconds):
#    - curl --parallel --parallel-max 16 over all URLs, bodies to /dev/null;
#    - xmllint --html --noout over the same pages on disk: libxml2's parse alone, the floor of
#      any scan that reads the HTML;
#    - netral scan over the same URLs as 2,000 page targets, politeness set to allow the same
#      concurrency (concurrency 16, per_host 16, per_host_delay 0) and allow_private (loopback);
#    - a second netral scan on the same state: nginx answers 304 to the conditional GETs.
# 4. Prints pages/s, peak RSS, CPU per page beside curl's and xmllint's, and the ratios.
#    Targets: first scan ≥ 0.8 × curl's pages/s; second scan ≥ 5 × faster than the first; CPU
#    per page ≤ 0.5 ms for the first scan and ≤ 0.15 ms for the second (issue 21).
#
# Netral fetches, extracts, judges and records every page (and robots.txt once per host);
# curl only downloads. NETRAL_BIN overrides the release build of netral.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="${1:-${TMPDIR:-/tmp}/netral-bench-fetch}"
pages="${NETRAL_BENCH_PAGES:-2000}"
hosts=20

command -v curl >/dev/null || { echo "run.sh: curl is missing" >&2; exit 1; }
command -v xmllint >/dev/null || { echo "run.sh: xmllint is missing (apt-get install libxml2-utils)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "run.sh: /usr/bin/time is missing (apt-get install time)" >&2; exit 1; }

if [ -z "${NETRAL_BIN:-}" ]; then
    echo "== building netral (release)"
    swift build -c release --package-path "$root" --product netral 2>&1 | grep -E "error|Build" | tail -3
    NETRAL_BIN="$(swift build -c release --package-path "$root" --show-bin-path)/netral"
fi

rm -rf "$work"
. "$here/../lib/nginx-site.sh"
nginx_site "$work" "$pages" "$hosts"
trap 'eval "$nginx_stop_command"' EXIT

count="$(wc -l < "$urls")"

curl_config="$work/curl.conf"
awk '{ printf "url = \"%s\"\noutput = \"/dev/null\"\n", $0 }' "$urls" > "$curl_config"

config="$work/netral.yaml"
nginx_site_config state/netral.sqlite state/evidence > "$config"

echo "== machine"
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//') ($(nproc) cores), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
echo "os: $(. /etc/os-release && echo "$PRETTY_NAME"), $(nginx -v 2>&1), $(curl --version | head -1 | cut -d' ' -f1-2)"
echo "pages: $count under $hosts host names, $(du -sh "$work/site" | cut -f1)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) (the machine is shared: compare ratios and CPU seconds)"

# Runs a command under /usr/bin/time; prints "seconds rss_kib cpu_seconds" (user + system).
timed() {
    local out="$work/time.txt" status=0
    /usr/bin/time -f "%e %M %U %S" -o "$out" "$@" > "$work/last.out" 2> "$work/last.err" || status=$?
    # netral scan exits 4 when a target failed; anything else non-zero is a broken run.
    if [ "$status" -ne 0 ] && [ "$status" -ne 4 ]; then
        echo "run.sh: '$1' exited $status" >&2; tail -5 "$work/last.err" >&2; exit 1
    fi
    awk '{ printf "%s %s %.2f\n", $1, $2, $3 + $4 }' "$out"
}

echo "== curl --parallel --parallel-max 16"
read -r curl_seconds curl_rss curl_cpu < <(timed curl --silent --show-error --parallel --parallel-max 16 "${resolve_args[@]}" --config "$curl_config")
echo "== xmllint --html --noout (libxml2's parse of the same pages)"
# Malformed markup is reported on stderr, which timed() keeps aside; xmllint exits non-zero then.
read -r xmllint_seconds xmllint_rss xmllint_cpu < <(timed sh -c 'xmllint --html --noout "$@" 2>/dev/null; exit 0' xmllint "$work"/site/host*/*.html)
echo "== netral scan (first: every page fetched, extracted and judged)"
read -r first_seconds first_rss first_cpu < <(timed "$NETRAL_BIN" scan --config "$config" --format json)
first_json="$work/first.json"; cp "$work/last.out" "$first_json"
echo "== netral scan (second: nothing changed)"
read -r second_seconds second_rss second_cpu < <(timed "$NETRAL_BIN" scan --config "$config" --format json)
second_json="$work/second.json"; cp "$work/last.out" "$second_json"

echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$count" "$curl_seconds" "$curl_rss" "$first_seconds" "$first_rss" "$second_seconds" "$second_rss" "$first_json" "$second_json" \
    "$curl_cpu" "$first_cpu" "$second_cpu" "$xmllint_cpu" <<'PY'
import json, sys
count = int(sys.argv[1])
curl_s, curl_rss, first_s, first_rss, second_s, second_rss = map(float, sys.argv[2:8])
first, second = (json.load(open(path)) for path in sys.argv[8:10])
curl_cpu, first_cpu, second_cpu, xmllint_cpu = map(float, sys.argv[10:14])
def rate(seconds): return count / seconds if seconds > 0 else float("inf")
print(f"curl:         {curl_s:7.2f} s  {rate(curl_s):8.1f} pages/s  peak RSS {curl_rss / 1024:6.1f} MiB  CPU {curl_cpu:.2f} s")
print(f"netral first: {first_s:7.2f} s  {rate(first_s):8.1f} pages/s  peak RSS {first_rss / 1024:6.1f} MiB  CPU {first_cpu:.2f} s"
      f"  (fetched {first['fetched']}, items {first['items']}, findings {len(first['findings'])}, failed {len(first['failures'])})")
print(f"netral again: {second_s:7.2f} s  {rate(second_s):8.1f} pages/s  peak RSS {second_rss / 1024:6.1f} MiB  CPU {second_cpu:.2f} s"
      f"  (unchanged {second['unchanged']}, fetched {second['fetched']}, items {second['items']}, failed {len(second['failures'])})")
ratio_first = rate(first_s) / rate(curl_s)
ratio_second = first_s / second_s if second_s > 0 else float("inf")
print(f"first scan / curl pages/s: {ratio_first:.2f} (target >= 0.8)")
print(f"second scan speed-up over the first: {ratio_second:.2f}x (target >= 5)")
def per_page(cpu): return cpu / count * 1000
print(f"CPU per page: curl {per_page(curl_cpu):.3f} ms, xmllint {per_page(xmllint_cpu):.3f} ms, "
      f"netral first {per_page(first_cpu):.3f} ms (target <= 0.5), netral again {per_page(second_cpu):.3f} ms (target <= 0.15)")
PY
