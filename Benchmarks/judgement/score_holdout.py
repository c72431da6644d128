#!/usr/bin/env python3
"""Item-level precision and recall of violations on a labelled set.

Usage: score_holdout.py SET.yaml RULES_TEST.json
RULES_TEST.json is `netral rules test --fixtures SET.yaml --format json`. An item counts as a
violation when it expects (or got) any rule that is not a report rule (`laporan-*`); the
report class is scored apart. Items absent from the failures were judged exactly as labelled.
"""
import json
import sys

import yaml


def is_violation(rules):
    return any(not rule.startswith("laporan-") for rule in rules)


def is_report(rules):
    return any(rule.startswith("laporan-") for rule in rules)


def main():
    labelled = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
    result = json.load(open(sys.argv[2], encoding="utf-8"))
    actual = {failure["id"]: failure["actual"] for failure in result["failures"]}
    counts = {"violation": [0, 0, 0, 0], "report": [0, 0, 0, 0]}  # tp fp fn tn
    misses = []
    for item in labelled["items"]:
        expected = item["expect"]
        got = actual.get(item["id"], expected)
        for name, test in (("violation", is_violation), ("report", is_report)):
            e, g = test(expected), test(got)
            index = 0 if e and g else 1 if g else 2 if e else 3
            counts[name][index] += 1
            if name == "violation" and e != g:
                misses.append(f"  {'FN' if e else 'FP'} {item['id']}: expected {expected}, got {got}")
    print(f"{labelled.get('set', sys.argv[1])}: {len(labelled['items'])} items")
    for name, (tp, fp, fn, tn) in counts.items():
        precision = tp / (tp + fp) if tp + fp else float("nan")
        recall = tp / (tp + fn) if tp + fn else float("nan")
        print(f"  {name:9s} TP {tp:3d} FP {fp:3d} FN {fn:3d} TN {tn:3d}  precision {precision:.3f}  recall {recall:.3f}")
    print("\n".join(misses))


if __name__ == "__main__":
    main()
