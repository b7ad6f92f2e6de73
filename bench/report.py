#!/usr/bin/env python3
"""Prints the benchmark's measurements side by side, with the targets of the performance issue."""
import os
import re
import sys

out, n, big, workers = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rounds = int(sys.argv[5]) if len(sys.argv) > 5 else 1


def read(name):
    path = os.path.join(out, name)
    return open(path).read() if os.path.exists(path) else ""


def median(values):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def rss(name):
    """Peak RSS (MB, the largest over the rounds) and wall seconds (median) from /usr/bin/time lines."""
    lines = [line.split() for line in read(name + ".rss").splitlines() if len(line.split()) >= 2]
    peaks = [int(fields[-2]) / 1024 for fields in lines if fields[-2].isdigit()]
    return (max(peaks) if peaks else float("nan"), median([float(fields[-1]) for fields in lines]))


def measured(name):
    """Documents, median seconds over the rounds, every round's seconds, corpus bytes."""
    text = read(name + ".txt")
    docs = re.search(r"documents: (\d+)", text)
    times = [float(value) for value in re.findall(r"time: ([\d.]+) s", text)]
    size = re.search(r"bytes: (\d+)", text)
    return (int(docs.group(1)) if docs else 0, median(times), times, int(size.group(1)) if size else None)


corpus_bytes = measured("floor")[3]
rows = []
for label, name in [("parse-only floor (libxml2)", "floor"), ("nianbao pipeline", "pipeline"), ("pandas.read_html + sqlite3", "pandas")]:
    docs, seconds, times, _ = measured(name)
    peak, _ = rss(name)
    rows.append((label, docs, seconds, docs / seconds if seconds else 0, (corpus_bytes or 0) / 1e6 / seconds if seconds else 0, peak, times))

print()
print("%-30s %9s %9s %10s %9s %12s   %s" % ("measurement", "documents", "seconds", "docs/s", "MB/s", "peak RSS MB", "each round (s)"))
for label, docs, seconds, rate, mbps, peak, times in rows:
    print("%-30s %9d %9.2f %10.0f %9.1f %12.1f   %s" % (label, docs, seconds, rate, mbps, peak, " ".join("%.2f" % t for t in times)))
print("(seconds: the median of %d rounds, run in turn)" % rounds)
floor, pipe, pandas = rows[0][3], rows[1][3], rows[2][3]
print()
print("pipeline / parse floor: %.0f%%   (target >= 60%%)" % (100 * pipe / floor if floor else 0))
print("pipeline / pandas:      %.1fx  (target >= 3x)" % (pipe / pandas if pandas else 0))
stages = (re.findall(r"time per stage \(summed over workers\): (.*)", read("pipeline.txt")) or [None])[-1]
if stages:
    print("pipeline time per stage, summed over %d workers (last round): %s" % (workers, stages))
    load = re.search(r"load ([\d.]+) s", stages)
    if load:
        print("SQLite writer busy %.2f s of %.2f s wall time (%.0f%%; wall time inside its calls, waiting for a core included): %s" % (
            float(load.group(1)), rows[1][2], 100 * float(load.group(1)) / rows[1][2],
            "not the bottleneck" if float(load.group(1)) < 0.5 * rows[1][2] else "THE BOTTLENECK"))
if big:
    large_docs, large_seconds, _, _ = measured("pipeline-large")
    large_peak, _ = rss("pipeline-large")
    print("peak RSS: %.1f MB at %d documents, %.1f MB at %d documents (target <= 150 MB, no growth)" % (
        rows[1][5], n, large_peak, large_docs))
    print("pipeline over %d documents: %.2f s, %.0f docs/s" % (large_docs, large_seconds, large_docs / large_seconds if large_seconds else 0))
