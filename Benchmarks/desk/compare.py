"""Times queue pages through the desk (HTTP, rendering included) against the same queries run
directly with Python's sqlite3, and prints medians and ratios."""
import sqlite3
import statistics
import subprocess
import sys
import time

state, base, cookies, rounds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
NOT_SUPERSEDED = "NOT EXISTS (SELECT 1 FROM case_file newer WHERE newer.supersedes = c.id)"
# (desk URL, WHERE clause the store builds for it, offset)
pages = [
    ("/?status=new", "c.review_status IN ('new') AND " + NOT_SUPERSEDED, 0),
    ("/?status=semua&halaman=200", NOT_SUPERSEDED, 199 * 50),
    ("/?status=semua&tingkat=high&tindakan=A2", "c.severity IN ('high') AND (',' || c.acts || ',') LIKE '%,A2,%' AND " + NOT_SUPERSEDED, 0),
]


def desk_time(url):
    output = subprocess.run(["curl", "-s", "-o", "/dev/null", "-b", cookies, "-w", "%{http_code} %{time_total}", base + url],
                            capture_output=True, text=True, check=True).stdout.split()
    if output[0] != "200":
        sys.exit(f"{url}: HTTP {output[0]}")
    return float(output[1])


def sql_time(where, offset):
    started = time.perf_counter()
    database = sqlite3.connect(state)
    database.execute(f"SELECT COUNT(*) FROM case_file c WHERE {where}").fetchone()
    database.execute(f"SELECT c.review_status, COUNT(*) FROM case_file c WHERE {where.split(' AND ', 1)[-1] if where.startswith('c.review_status') else where} GROUP BY c.review_status").fetchall()
    database.execute(f"SELECT c.* FROM case_file c WHERE {where} ORDER BY c.created_at DESC, c.id DESC LIMIT 50 OFFSET {offset}").fetchall()
    database.close()
    return time.perf_counter() - started


print(f"{'page':45} {'desk ms':>9} {'sqlite3 ms':>11} {'ratio':>7}")
for url, where, offset in pages:
    desk_time(url)  # warm
    sql_time(where, offset)
    desk = statistics.median(desk_time(url) for _ in range(rounds)) * 1000
    bare = statistics.median(sql_time(where, offset) for _ in range(rounds)) * 1000
    print(f"{url:45} {desk:9.1f} {bare:11.1f} {desk / bare:7.2f}")
