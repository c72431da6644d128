# Sourced by benchmark scripts: serves a generated site with nginx on loopback.
#
# nginx_site WORK PAGES HOSTS
#   Generates PAGES pages under HOSTS host folders (Benchmarks/fetch/generate_site.py, fixed
#   seed) in WORK/site, starts nginx (Debian's nginx-light) with its own prefix in WORK/nginx,
#   one virtual server per host name, each on its own loopback address (host01.bench.test →
#   127.0.0.1, …) on one free port, and stops it when the calling script exits. Nothing is
#   resolved through DNS. Sets:
#     port           the port
#     resolve_args   curl's --resolve arguments
#     resolve_yaml   the same entries as lines for netral.yaml's fetch.resolve
#     urls           WORK/urls.txt, one URL a line
nginx_site() {
    local work="$1" pages="$2" hosts="$3" here
    here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
    command -v nginx >/dev/null || { echo "nginx is missing (apt-get install nginx-light)" >&2; return 1; }
    mkdir -p "$work/site" "$work/nginx/logs" "$work/nginx/tmp"
    chmod 755 "$work" "$work/site"
    python3 "$here/../fetch/generate_site.py" "$work/site" --pages "$pages" --hosts "$hosts"
    chmod -R a+rX "$work/site"

    port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    {
        echo "worker_processes 1;"
        echo "pid $work/nginx/nginx.pid;"
        echo "error_log $work/nginx/logs/error.log warn;"
        echo "events { worker_connections 1024; }"
        echo "http {"
        echo "  access_log off;"
        echo "  default_type text/html;"
        echo "  types { text/html html; }"
        echo "  keepalive_requests 100000;"
        echo "  client_body_temp_path $work/nginx/tmp/body; proxy_temp_path $work/nginx/tmp/proxy;"
        echo "  fastcgi_temp_path $work/nginx/tmp/fastcgi; uwsgi_temp_path $work/nginx/tmp/uwsgi; scgi_temp_path $work/nginx/tmp/scgi;"
        for n in $(seq 1 "$hosts"); do
            local name
            name="$(printf 'host%02d' "$n")"
            echo "  server { listen 127.0.0.$n:$port; server_name $name.bench.test; root $work/site/$name; charset utf-8; }"
        done
        echo "}"
    } > "$work/nginx/nginx.conf"
    nginx -p "$work/nginx" -c "$work/nginx/nginx.conf"
    nginx_stop_command="nginx -p '$work/nginx' -c '$work/nginx/nginx.conf' -s stop 2>/dev/null || true"
    sleep 0.5

    resolve_args=()
    resolve_yaml=""
    for n in $(seq 1 "$hosts"); do
        local entry
        entry="$(printf 'host%02d.bench.test' "$n"):$port:127.0.0.$n"
        resolve_args+=(--resolve "$entry")
        resolve_yaml+="    - \"$entry\""$'\n'
    done

    urls="$work/urls.txt"
    : > "$urls"
    local file host
    for file in "$work"/site/host*/*.html; do
        host="$(basename "$(dirname "$file")")"
        echo "http://$host.bench.test:$port/$(basename "$file")" >> "$urls"
    done
}

# nginx_site_config STATE EVIDENCE [TARGET_KEYS]
#   Prints a netral.yaml that scans every URL of the site (after nginx_site) with the repository's
#   packs, fast fetch settings and the site's resolve entries. TARGET_KEYS are added to each
#   target (e.g. "every: 1h"); a postgres:// STATE takes its password from NETRAL_DB_PASSWORD.
nginx_site_config() {
    local state="$1" evidence="$2" keys="${3:+, $3}" rules
    rules="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../Rules" && pwd)"
    echo "format: 1"
    echo "rules: [$rules]"
    echo "state: $state"
    [[ "$state" == postgres* ]] && echo "state_password_env: NETRAL_DB_PASSWORD"
    echo "evidence: $evidence"
    echo "fetch:"
    echo "  user_agent: \"NetralBench/1 (+https://github.com/netral-id/netral)\""
    echo "  concurrency: 16"
    echo "  per_host: 16"
    echo "  per_host_delay: 0"
    echo "  attempts: 1"
    echo "  resolve:"
    printf '%s' "$resolve_yaml"
    echo "targets:"
    awk -v keys="$keys" '{ n += 1; printf "  - {id: p%04d, url: \"%s\", allow_private: true%s}\n", n, $0, keys }' "$urls"
}
