"""The peers of the matching benchmark, timed over the same corpus and names:

- pyahocorasick: an Aho-Corasick automaton (C) of every name and every shipped-pack term,
  lowercased, run over the lowercased corpus. Reported twice: raw (every match counted in a
  tight loop) and whole-word (each match checked for word boundaries, as Netral matches whole
  words; the check runs in Python).
- ripgrep: `rg -F -i -w -c -f PATTERNS CORPUS`, the whole process timed.

Prints MB/s for each (median of --repeat runs)."""
import argparse
import re
import shutil
import statistics
import subprocess
import tempfile
import time

import ahocorasick
import yaml


def shipped_terms(paths):
    """Every term of the packs: signals' terms and context_terms (strings or {term: ...}) and
    the name forms of `legislators:` rows (generated packs), read with PyYAML's C loader when it
    is there."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    terms = []
    for path in paths:
        pack = yaml.load(open(path, encoding="utf-8"), Loader=loader) or {}
        for signal in (pack.get("signals") or {}).values():
            for term in (signal.get("terms") or []) + (signal.get("context_terms") or []):
                terms.append(str(term["term"] if isinstance(term, dict) else term).strip())
        for row in ((pack.get("legislators") or {}).get("rows") or []):
            # "signal | number | party | district | label | name form | ..."
            terms.extend(field.strip() for field in str(row).split("|")[5:])
    return terms


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--names", required=True)
    parser.add_argument("--packs", nargs="*", default=[])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--skip-rg", action="store_true", help="time only pyahocorasick (rg is slow; run it once)")
    parser.add_argument("--only-rg", action="store_true", help="time only ripgrep")
    args = parser.parse_args()
    text = open(args.corpus, encoding="utf-8").read()
    size = len(text.encode("utf-8"))
    words = [line.strip().lower() for line in open(args.names, encoding="utf-8") if line.strip()]
    words += [t.lower() for t in shipped_terms(args.packs) if t]
    automaton = ahocorasick.Automaton()
    for index, word in enumerate(words):
        automaton.add_word(word, (index, len(word)))
    automaton.make_automaton()

    def is_boundary(ch):
        return not ch.isalnum()

    if args.only_rg:
        run_rg(args, words, size)
        return

    raw_timings = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        lowered = text.lower()
        count = 0
        for _ in automaton.iter(lowered):
            count += 1
        raw_timings.append(time.perf_counter() - start)
    seconds = statistics.median(raw_timings)
    print(f"pyahocorasick-raw: {size / seconds / 1e6:.1f} MB/s ({len(words)} patterns, {count} matches, {seconds:.3f} s)")

    timings, hits = [], 0
    for _ in range(args.repeat):
        start = time.perf_counter()
        lowered = text.lower()
        hits = 0
        for end, (_, length) in automaton.iter(lowered):
            begin = end - length + 1
            if (begin == 0 or is_boundary(lowered[begin - 1])) and (end + 1 == len(lowered) or is_boundary(lowered[end + 1])):
                hits += 1
        timings.append(time.perf_counter() - start)
    seconds = statistics.median(timings)
    print(f"pyahocorasick-whole-word: {size / seconds / 1e6:.1f} MB/s ({len(words)} patterns, {hits} whole-word hits, {seconds:.3f} s)")

    if not args.skip_rg:
        run_rg(args, words, size)


def run_rg(args, words, size):
    if shutil.which("rg"):
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as patterns:
            patterns.write("\n".join(words) + "\n")
        rg_timings = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            result = subprocess.run(["rg", "-F", "-i", "-w", "-c", "-f", patterns.name, args.corpus], capture_output=True, text=True)
            rg_timings.append(time.perf_counter() - start)
        seconds = statistics.median(rg_timings)
        print(f"ripgrep: {size / seconds / 1e6:.1f} MB/s (rg -F -i -w -c -f, {result.stdout.strip()} matching lines, {seconds:.3f} s)")


if __name__ == "__main__":
    main()
