#!/usr/bin/env python3
"""Scenario 7's table: the large layer directory against the small project, medians of times.csv (tree-warm,
tree-change) and peak RSS from rss.csv, with the issue's targets.

    tree_summary.py RESULTS_DIR TREE_FILES CHANGED_FILE
"""
import csv
import os
import statistics
import sys
from collections import defaultdict


def main(d, files, changed):
    t, rss = defaultdict(list), defaultdict(list)
    with open(os.path.join(d, "times.csv")) as f:
        for r in csv.DictReader(f):
            if r["scenario"].startswith("tree-"):
                t[(r["scenario"], r["column"])].append(float(r["seconds"]))
    with open(os.path.join(d, "rss.csv")) as f:
        for r in csv.DictReader(f):
            if r["max_rss_kb"].strip().isdigit():
                rss[(r["scenario"], r["column"])].append(int(r["max_rss_kb"]))
    m = lambda k: statistics.median(t[k]) if t.get(k) else float("nan")
    mr = lambda k: max(rss[k]) / 1024 if rss.get(k) else float("nan")
    print("## 7. A layer directory of %s files (one file changed: `%s`)" % (files, changed))
    print()
    print("| | small project, llmstack | large tree, llmstack | peak RSS (llmstack, large) | `jib:dockerBuild` x5 | peak RSS (jib) | `docker build` x5 |")
    print("|---|---|---|---|---|---|---|")
    for s, label in (("tree-warm", "unchanged"), ("tree-change", "one file changed")):
        print("| %s | %.2f s | %.2f s | %.0f MB | %.2f s | %.0f MB | %.2f s |" % (
            label, m((s, "llmstack-small")), m((s, "llmstack")), mr((s, "llmstack")), m((s, "jib")), mr((s, "jib")),
            m((s, "docker"))))
    print()
    for s, label in (("tree-warm", "unchanged"), ("tree-change", "one file changed")):
        ratio = m((s, "llmstack")) / m((s, "llmstack-small"))
        print("- %s: %.2f× the small project's (target ≤ 1.3×: %s); %.2f× jib:dockerBuild's time, %.2f× docker build's" % (
            label, ratio, "met" if ratio <= 1.3 else "missed", m((s, "llmstack")) / m((s, "jib")),
            m((s, "llmstack")) / m((s, "docker"))))
    for s, label in (("tree-warm", "unchanged"), ("tree-change", "one file changed")):
        p = mr((s, "llmstack"))
        print("- peak RSS of llmstack's Maven, %s: %.0f MB (target ≤ 300 MB: %s)" % (label, p, "met" if p <= 300 else "missed"))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3])
