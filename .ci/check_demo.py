"""Checks `netral demo --format json` against the demo site's labels, independently of the
demo's own comparison: every labelled page gives exactly its expected rules, every finding has
a case file with a manifest, each flagged page has exactly one case file (all its findings in
it), and nothing failed."""
import json
import os
import sys


def read_manifest(path):
    # A tiny reader for the manifest's fixed shape, so CI needs no YAML library.
    pages, current = {}, None
    for line in open(path, encoding="utf-8"):
        stripped = line.strip()
        if stripped.startswith("- path:"):
            current = stripped.split(":", 1)[1].strip()
            pages[current] = []
        elif stripped.startswith("expect:") and current is not None:
            value = stripped.split(":", 1)[1].strip().strip("[]")
            pages[current] = sorted(v.strip() for v in value.split(",") if v.strip())
    return pages


def main():
    report = json.load(open(sys.argv[1], encoding="utf-8"))
    expected = read_manifest(sys.argv[2])
    summary = report["summary"]
    problems = []
    if summary["failures"]:
        problems.append(f"failed targets: {summary['failures']}")
    actual = {}
    case_files = {}
    for finding in summary["findings"]:
        actual.setdefault(finding["target"], []).append(finding["rule"])
        case_files.setdefault(finding["target"], set()).add(finding["case_file"])
        if not os.path.isfile(os.path.join(finding["case_file"], "manifest.json")):
            problems.append(f"no case file for {finding['id']} at {finding['case_file']}")
    mismatched = 0
    for page, rules in expected.items():
        got = sorted(actual.get(page, []))
        if got != rules:
            mismatched += 1
            problems.append(f"{page}: expected {rules or 'no finding'}, got {got or 'no finding'}")
    for page, folders in sorted(case_files.items()):
        if len(folders) != 1:
            problems.append(f"{page}: {len(folders)} case files, expected one per post")
    if len(set().union(*case_files.values()) if case_files else set()) != len(case_files):
        problems.append("two pages share one case file")
    if len(expected) != report["pages"]:
        problems.append(f"manifest lists {len(expected)} pages, demo scanned {report['pages']}")
    flagged = sum(1 for rules in expected.values() if rules)
    print(f"demo: {report['pages']} pages, {flagged} labelled positive, {len(summary['findings'])} findings in {len(case_files)} case files")
    for problem in problems:
        print(f"demo check: {problem}")
    print(f"demo pages: {len(expected) - mismatched} as labelled, {mismatched} not")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
