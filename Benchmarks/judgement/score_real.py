#!/usr/bin/env python3
"""Score Netral on the real-positive development set (issue 20).

Usage: score_real.py [NETRAL] [--rules Rules] [--json OUT.json] [--quiet]

NETRAL is the netral binary (default: .build/debug/netral under the repository root). The
script runs `netral rules test RULES --fixtures <set> --format json` on temporary copies of the
sets in Benchmarks/judgement/real/ and prints, per mode, recall on the real positives and
precision against the news sentences (which must never be violations):

  (a) as found      the quoted words and the date, nothing else (positives.yaml as stored);
  (b) person known  the same items with `subject: {role, agency}` from cases.jsonl added;
  (c) self-identifying subset, as found: the items whose words say who speaks
      (self_identifying == "yes" in cases.jsonl); read off run (a).

Also: interactions (likes, shares, comments, follows, joins; no words) with the person known,
and the news sentences: the share of reporting sentences that got a `laporan-*` finding and
the number of news sentences that got a violation (must be 0). Misses are listed with an
excerpt so an analyst can see the patterns.

An item counts as a violation when it got any rule that is not a report rule (`laporan-*`),
as in score_holdout.py. Precision in each mode is TP / (TP + FP) over the positives of that
mode plus all news sentences (FP = news sentences with a violation).

Needs Python 3 and PyYAML.
"""
import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
REAL = os.path.join(HERE, "real")


def pack_windows(rules):
    """Top-level `window` of every pack under RULES and its subfolders one level down (not
    sites/ or overlay/): the dates its candidate and party names apply. A generated pack
    (pilkada-2024-aceh) is named by its election (pilkada-2024), once."""
    windows = []
    folder = os.path.join(ROOT, rules)
    if not os.path.isdir(folder):
        paths = [(folder, False)]
    else:
        paths = []
        for name in sorted(os.listdir(folder)):
            path = os.path.join(folder, name)
            if os.path.isdir(path) and name not in ("sites", "overlay"):
                paths += [(os.path.join(path, inner), True) for inner in sorted(os.listdir(path))]
            else:
                paths.append((path, False))
    for path, generated in paths:
        if not path.endswith(".yaml") or not os.path.isfile(path):
            continue
        with open(path, encoding="utf-8") as handle:
            pack = yaml.safe_load(handle)
        window = (pack or {}).get("window")
        if window:
            name = pack.get("pack", os.path.basename(path))
            if generated:
                name = "-".join(name.split("-")[:2])
            entry = (name, str(window.get("from", "0000-00-00")), str(window.get("to", "9999-12-31")))
            if entry not in windows:
                windows.append(entry)
    return windows


def in_window(date, windows):
    names = [name for name, start, end in windows if start <= date <= end]
    return "in " + "+".join(names) if names else "no pack window"


def is_violation(rules):
    return any(not rule.startswith("laporan-") for rule in rules)


def is_report(rules):
    return any(rule.startswith("laporan-") for rule in rules)


def load_cases():
    cases = {}
    with open(os.path.join(REAL, "cases.jsonl"), encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                case = json.loads(line)
                cases[case["id"]] = case
    return cases


def load_set(name):
    with open(os.path.join(REAL, name), encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def with_subject(labelled, cases):
    copy = dict(labelled)
    copy["set"] = labelled["set"] + "-subjek"
    copy["items"] = []
    for item in labelled["items"]:
        item = dict(item)
        case = cases[item["id"]]
        item["subject"] = {"role": case["position"], "agency": case["agency"]}
        copy["items"].append(item)
    return copy


def run_netral(netral, rules, sets):
    """Judges the given labelled sets; returns {id: rules fired} for every item."""
    with tempfile.TemporaryDirectory() as folder:
        for labelled in sets:
            with open(os.path.join(folder, labelled["set"] + ".yaml"), "w", encoding="utf-8") as handle:
                yaml.safe_dump(labelled, handle, allow_unicode=True, sort_keys=False)
        command = [netral, "rules", "test", rules, "--fixtures", folder, "--format", "json"]
        result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if result.returncode not in (0, 1):
        sys.exit(f"netral rules test failed ({result.returncode}):\n{result.stderr}{result.stdout[:2000]}")
    summary = json.loads(result.stdout)
    failed = {failure["id"]: failure["actual"] for failure in summary["failures"]}
    fired = {}
    for labelled in sets:
        for item in labelled["items"]:
            fired[item["id"]] = failed.get(item["id"], item["expect"])
    return fired


def excerpt(text, width=110):
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def score_positives(items, fired, news_fp):
    tp = sum(1 for item in items if is_violation(fired[item["id"]]))
    reported = sum(1 for item in items if not is_violation(fired[item["id"]]) and is_report(fired[item["id"]]))
    recall = tp / len(items) if items else float("nan")
    precision = tp / (tp + news_fp) if tp + news_fp else float("nan")
    return {"items": len(items), "violation": tp, "report_only": reported, "nothing": len(items) - tp - reported,
            "recall": recall, "precision": precision}


def breakdown(items, fired, cases, key):
    table = collections.defaultdict(lambda: [0, 0])
    for item in items:
        values = key(cases[item["id"]])
        for value in values if isinstance(values, list) else [values]:
            table[value][1] += 1
            table[value][0] += is_violation(fired[item["id"]])
    return table


def print_table(title, table):
    print(f"    {title}: " + ", ".join(f"{name} {hit}/{total}" for name, (hit, total) in sorted(table.items())))


def print_misses(title, items, fired, cases):
    misses = [item for item in items if not is_violation(fired[item["id"]])]
    if not misses:
        return
    print(f"  misses, {title} ({len(misses)}):")
    for item in misses:
        case = cases[item["id"]]
        got = ",".join(fired[item["id"]]) or "-"
        what = item["text"] or f"[{case.get('act_reported', item.get('interaction', ''))}]"
        print(f"    {item['id']:12s} got {got:22s} {case['position'][:28]:28s} | {excerpt(what)}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("netral", nargs="?", default=os.path.join(ROOT, ".build", "debug", "netral"))
    parser.add_argument("--rules", default="Rules")
    parser.add_argument("--json", help="also write the figures and every item's result to this file")
    parser.add_argument("--quiet", action="store_true", help="figures only, no miss lists")
    args = parser.parse_args()
    if not os.access(args.netral, os.X_OK):
        sys.exit(f"no netral binary at {args.netral}; build it with `swift build --product netral` or pass its path")

    cases = load_cases()
    positives = load_set("positives.yaml")
    interactions = load_set("interactions.yaml")
    news = load_set("news.yaml")

    found = run_netral(args.netral, args.rules, [positives, interactions, news])
    known = run_netral(args.netral, args.rules, [with_subject(positives, cases), with_subject(interactions, cases)])

    news_items = news["items"]
    news_violations = [item for item in news_items if is_violation(found[item["id"]])]
    reporting = [item for item in news_items if is_report(item["expect"])]
    reporting_hit = [item for item in reporting if is_report(found[item["id"]])]
    quiet_items = [item for item in news_items if not item["expect"]]
    quiet_report = [item for item in quiet_items if is_report(found[item["id"]])]
    fp = len(news_violations)

    pos = positives["items"]
    self_id = [item for item in pos if cases[item["id"]]["self_identifying"] == "yes"]
    results = {
        "a_as_found": score_positives(pos, found, fp),
        "b_person_known": score_positives(pos, known, fp),
        "c_self_identifying_as_found": score_positives(self_id, found, fp),
        "interactions_person_known": score_positives(interactions["items"], known, fp),
        "interactions_as_found": score_positives(interactions["items"], found, fp),
        "news": {"sentences": len(news_items), "reporting": len(reporting), "reporting_with_report": len(reporting_hit),
                 "report_share": len(reporting_hit) / len(reporting) if reporting else float("nan"),
                 "violations": fp, "non_reporting": len(quiet_items), "non_reporting_with_report": len(quiet_report)},
    }

    print(f"Real-positive development set: {len(pos)} quoted positives, {len(interactions['items'])} interactions, "
          f"{len(news_items)} news sentences ({len(reporting)} reporting)")
    print("Recall = positives that got a violation; precision counts news sentences with a violation as FP.")
    labels = {"a_as_found": "(a) as found", "b_person_known": "(b) person known",
              "c_self_identifying_as_found": "(c) self-identifying, as found",
              "interactions_person_known": "interactions, person known", "interactions_as_found": "interactions, as found"}
    for key, label in labels.items():
        r = results[key]
        print(f"  {label:34s} {r['violation']:3d}/{r['items']:3d} recall {r['recall']:.3f}  precision {r['precision']:.3f}"
              f"  (report only {r['report_only']}, nothing {r['nothing']})")
    n = results["news"]
    print(f"  news: reporting sentences with a report {n['reporting_with_report']}/{n['reporting']} = {n['report_share']:.3f}"
          f" (target >= 0.8); violations on news {n['violations']} (must be 0);"
          f" non-reporting sentences with a report {n['non_reporting_with_report']}/{n['non_reporting']}")
    explicit = [item for item in reporting if cases[item["id"]].get("explicit_subject") == "yes"]
    if explicit:
        hit = sum(1 for item in explicit if is_report(found[item["id"]]))
        print(f"        reporting sentences naming the ASN/kades/camat in the sentence: {hit}/{len(explicit)}")

    print("  recall by group:")
    print_table("act (a)", breakdown(pos, found, cases, lambda c: c["act"]))
    print_table("act (b)", breakdown(pos, known, cases, lambda c: c["act"]))
    print_table("year (a)", breakdown(pos, found, cases, lambda c: c["date"][:4]))
    windows = pack_windows(args.rules)
    print_table("pack window (a)", breakdown(pos, found, cases, lambda c: in_window(c["date"], windows)))
    print_table("pack window (b)", breakdown(pos, known, cases, lambda c: in_window(c["date"], windows)))
    print_table("self-identifying (a)", breakdown(pos, found, cases, lambda c: c["self_identifying"]))
    print_table("self-identifying (b)", breakdown(pos, known, cases, lambda c: c["self_identifying"]))
    print_table("flags (a)", breakdown(pos, found, cases, lambda c: c["flags"] or ["none"]))
    print_table("flags (b)", breakdown(pos, known, cases, lambda c: c["flags"] or ["none"]))
    print_table("interaction kind (b)", breakdown(interactions["items"], known, cases, lambda c: c["act_reported"]))

    if not args.quiet:
        print_misses("(a) as found", pos, found, cases)
        print_misses("(b) person known", pos, known, cases)
        print_misses("interactions, person known", interactions["items"], known, cases)
        if news_violations:
            print(f"  news sentences with a violation ({len(news_violations)}):")
            for item in news_violations:
                print(f"    {item['id']:14s} got {','.join(found[item['id']]):30s} | {excerpt(item['text'])}")
        missed = [item for item in reporting if not is_report(found[item["id"]])]
        if missed:
            print(f"  reporting sentences without a report ({len(missed)}):")
            for item in missed:
                got = ",".join(found[item["id"]]) or "-"
                print(f"    {item['id']:14s} got {got:22s} | {excerpt(item['text'])}")
        if quiet_report:
            print(f"  non-reporting sentences that got a report ({len(quiet_report)}):")
            for item in quiet_report:
                print(f"    {item['id']:14s} | {excerpt(item['text'])}")

    if args.json:
        results["items"] = {"as_found": found, "person_known": known}
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(results, handle, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
