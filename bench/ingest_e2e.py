#!/usr/bin/env python3
"""End-to-end feed intake on one core: `baken ingest` of a generated 1,000,000-row Shadowserver
report into a fresh SQLite database, against a constituency of 400 members.

Prints wall time, events a second and peak memory (max RSS) of `baken ingest`, and the time of
`wc -l` on the same file as the physical floor (reading the bytes once). Run by `make bench`;
figures go to docs/performance.md.

usage: ingest_e2e.py BUILD_DIR [ROWS]   (BUILD_DIR holds baken and bench/make_feed)
"""
import json
import os
import resource
import subprocess
import sys
import tempfile
import time


def run(args, **kwargs):
    """Runs a command pinned to one core; returns (seconds, max RSS in MiB of that child)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(["taskset", "-c", "0"] + args, check=True, **kwargs)
    seconds = time.perf_counter() - start
    # ru_maxrss of children is the largest of any child so far; each measured run is the
    # largest process of its kind, so take it after the run.
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(before, after) / 1024.0


def main():
    build = sys.argv[1]
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    baken = os.path.join(build, "baken")
    with tempfile.TemporaryDirectory(prefix="baken-bench-") as work:
        subprocess.run([os.path.join(build, "bench", "make_feed"), work, str(rows)], check=True)
        report = os.path.join(work, "2026-11-22-scan_rdp-bench.csv")
        db = os.path.join(work, "baken.db")
        subprocess.run([baken, "--db", db, "member", "import", os.path.join(work, "members.json")],
                       check=True, stdout=subprocess.DEVNULL)
        size_mb = os.path.getsize(report) / 1e6
        wc_seconds, _ = run(["wc", "-l", report], stdout=subprocess.DEVNULL)
        out = tempfile.TemporaryFile()
        ingest_seconds, ingest_rss = run([baken, "--db", db, "--json", "ingest", report], stdout=out)
        out.seek(0)
        summary = json.load(out)
        dry_seconds, _ = run([baken, "--db", db, "--json", "ingest", "--dry-run", report],
                             stdout=subprocess.DEVNULL)
        events = summary["parsed"]
        print(f"file: {rows} rows, {size_mb:.0f} MB; summary: parsed {summary['parsed']}, "
              f"routed {summary['routed']}, unrouted {summary['unrouted']}, "
              f"duplicates {summary['duplicates']}, rejected {summary['rejected']}")
        print(f"wc -l (floor):            {wc_seconds:6.2f} s")
        print(f"baken ingest into SQLite: {ingest_seconds:6.2f} s  "
              f"{events / ingest_seconds:,.0f} events/s  peak memory {ingest_rss:.0f} MiB")
        print(f"second run (all dupes):   {dry_seconds:6.2f} s  (dry run: parse, route, look up)")
        print(f"database size:            {os.path.getsize(db) / 1e6:6.0f} MB")


if __name__ == "__main__":
    main()
