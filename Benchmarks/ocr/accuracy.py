#!/usr/bin/env python3
"""Character accuracy of OCR output against ground truth: 1 - CER.

    python3 Benchmarks/ocr/accuracy.py TRUTH_DIR OUTPUT_DIR [--label NAME] [--json]

TRUTH_DIR holds NAME.gt.txt for each picture; OUTPUT_DIR holds NAME.txt, the text an OCR tool
read from it (a missing file counts as empty). Both texts are compared after whitespace
normalisation (every run of spaces, tabs and newlines becomes one space; ends trimmed), case
and punctuation kept. CER = Levenshtein distance over characters / length of the truth.

Prints the accuracy per kind (the file name's prefix: poster, twibbon, caption, screenshot,
banner, real) summed over its pictures (total edits / total truth characters), the overall
figure the same way, and the mean and worst per picture.
"""

import argparse
import json
import os
import re
import sys


def normalise(text):
    return re.sub(r"\s+", " ", text).strip()


def levenshtein(a, b):
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def kind_of(name):
    return name.split("-")[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("truth")
    parser.add_argument("output")
    parser.add_argument("--label", default="ocr")
    parser.add_argument("--json", action="store_true", help="one JSON object instead of text")
    parser.add_argument("--per-image", action="store_true", help="also print every picture's figure")
    arguments = parser.parse_args()

    rows = []
    for entry in sorted(os.listdir(arguments.truth)):
        if not entry.endswith(".gt.txt"):
            continue
        stem = entry[: -len(".gt.txt")]
        with open(os.path.join(arguments.truth, entry), encoding="utf-8") as handle:
            truth = normalise(handle.read())
        path = os.path.join(arguments.output, stem + ".txt")
        read = ""
        if os.path.exists(path):
            with open(path, encoding="utf-8", errors="replace") as handle:
                read = normalise(handle.read())
        edits = levenshtein(truth, read)
        rows.append({"image": stem, "kind": kind_of(stem), "chars": len(truth), "edits": edits,
                     "accuracy": max(0.0, 1 - edits / max(1, len(truth)))})
    if not rows:
        sys.exit(f"no *.gt.txt in {arguments.truth}")

    kinds = {}
    for row in rows:
        kinds.setdefault(row["kind"], []).append(row)
    summary = {"label": arguments.label, "images": len(rows), "kinds": {}}
    for kind, members in sorted(kinds.items()):
        chars = sum(r["chars"] for r in members)
        edits = sum(r["edits"] for r in members)
        summary["kinds"][kind] = {"images": len(members), "accuracy": round(1 - edits / chars, 4)}
    chars = sum(r["chars"] for r in rows)
    edits = sum(r["edits"] for r in rows)
    summary["accuracy"] = round(1 - edits / chars, 4)
    summary["mean_per_image"] = round(sum(r["accuracy"] for r in rows) / len(rows), 4)
    worst = min(rows, key=lambda r: r["accuracy"])
    summary["worst"] = {"image": worst["image"], "accuracy": round(worst["accuracy"], 4)}
    if arguments.json:
        if arguments.per_image:
            summary["per_image"] = rows
        print(json.dumps(summary))
        return
    if arguments.per_image:
        for row in rows:
            print(f"  {row['image']:<24} {row['accuracy']:.3f}  ({row['edits']} edits / {row['chars']} chars)")
    kinds_text = ", ".join(f"{k} {v['accuracy']:.3f} ({v['images']})" for k, v in summary["kinds"].items())
    print(f"{arguments.label}: character accuracy {summary['accuracy']:.4f} over {len(rows)} images "
          f"(mean per image {summary['mean_per_image']:.4f}, worst {worst['image']} {worst['accuracy']:.3f}); {kinds_text}")


if __name__ == "__main__":
    main()
