#!/usr/bin/env python3
"""End-to-end feed intake on one core, whole process: `baken ingest` of a generated
20,000-row Shadowserver report (a delivery's size) and of a 1,000,000-row one into fresh SQLite
databases, against a constituency of 400 members; `--dry-run` of the large one before it is
stored (nothing known) and after (everything known).

Prints wall time, events a second and peak memory (max RSS) of `baken ingest`, and the time of
`wc -l` on the same file as the physical floor (reading the bytes once). Run by `make bench`;
figures go to docs/performance.md.

With --postgresql, the same 1,000,000-row report is also ingested into a fresh PostgreSQL
database, in the same run: a throw-away server (tests/support/postgres_cluster.sh, durable
settings: fsync and full-page writes on, commits flushed in the background as SQLite's
synchronous=NORMAL does) pinned to the other core, as a database server is another machine.

usage: ingest_e2e.py BUILD_DIR [ROWS] [--postgresql]   (BUILD_DIR holds baken and bench/make_feed)
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


def generate(build, directory, rows):
    """A report of `rows` rows and the members' file, from make_feed's fixed seed."""
    os.makedirs(directory, exist_ok=True)
    subprocess.run([os.path.join(build, "bench", "make_feed"), directory, str(rows)], check=True,
                   stdout=subprocess.DEVNULL)
    return (os.path.join(directory, "2026-11-22-scan_rdp-bench.csv"),
            os.path.join(directory, "members.json"))


def fresh_database(baken, directory, members, db=None):
    db = db or os.path.join(directory, "baken.db")
    subprocess.run([baken, "--db", db, "member", "import", members], check=True,
                   stdout=subprocess.DEVNULL)
    return db


class PostgresqlServer:
    """A throw-away PostgreSQL server with durable settings, pinned to core 1."""

    def __init__(self, directory):
        self.script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests",
                                   "support", "postgres_cluster.sh")
        self.directory = directory

    def __enter__(self):
        env = dict(os.environ, BAKEN_POSTGRES_DURABLE="1")
        subprocess.run([self.script, "start", self.directory], check=True, env=env,
                       stdout=subprocess.DEVNULL)
        with open(os.path.join(self.directory, "url")) as f:
            self.server_url = f.read().strip()
        # The folder the script put the cluster in (DIR/cluster names it).
        with open(os.path.join(self.directory, "cluster")) as f:
            data = os.path.join(f.read().strip(), "data")
        with open(os.path.join(data, "postmaster.pid")) as f:
            postmaster = f.readline().strip()
        # The server and every backend it forks from now on run on core 1; baken on core 0.
        subprocess.run(["taskset", "-a", "-pc", "1", postmaster], check=True,
                       stdout=subprocess.DEVNULL)
        return self

    def database(self, name):
        subprocess.run(["psql", "-q", self.server_url, "-c",
                        f"CREATE DATABASE {name} ENCODING 'UTF8' LOCALE 'C' TEMPLATE template0"],
                       check=True)
        return self.server_url.rsplit("/", 1)[0] + "/" + name

    def size_mb(self, name):
        out = subprocess.run(["psql", "-tA", self.server_url, "-c",
                              f"SELECT pg_database_size('{name}')"], check=True,
                             capture_output=True, text=True).stdout
        return int(out.strip()) / 1e6

    def __exit__(self, *exc):
        subprocess.run([self.script, "stop", self.directory], check=False)


def ingest(baken, db, report, *flags):
    """`baken ingest` pinned to one core, the whole process; returns (seconds, RSS, summary)."""
    out = tempfile.TemporaryFile()
    seconds, rss = run([baken, "--db", db, "--json", "ingest", *flags, report], stdout=out)
    out.seek(0)
    return seconds, rss, json.load(out)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    postgresql = "--postgresql" in sys.argv
    build = args[0]
    rows = int(args[1]) if len(args) > 1 else 1_000_000
    small_rows = 20_000
    baken = os.path.join(build, "baken")
    with tempfile.TemporaryDirectory(prefix="baken-bench-") as work:
        # A delivery-sized report (issue 12: a 20,000-row report, whole process).
        small_report, small_members = generate(build, os.path.join(work, "small"), small_rows)
        small_db = fresh_database(baken, os.path.join(work, "small"), small_members)
        small_seconds, _, small = ingest(baken, small_db, small_report)

        report, members = generate(build, os.path.join(work, "big"), rows)
        db = fresh_database(baken, os.path.join(work, "big"), members)
        size_mb = os.path.getsize(report) / 1e6
        wc_seconds, _ = run(["wc", "-l", report], stdout=subprocess.DEVNULL)
        # A dry run on a database that knows none of the events: what an analyst runs first.
        dry_seconds, _, dry = ingest(baken, db, report, "--dry-run")
        ingest_seconds, ingest_rss, summary = ingest(baken, db, report)
        again_seconds, _, _ = ingest(baken, db, report, "--dry-run")
        events = summary["parsed"]
        print(f"file: {rows} rows, {size_mb:.0f} MB; summary: parsed {summary['parsed']}, "
              f"routed {summary['routed']}, unrouted {summary['unrouted']}, "
              f"duplicates {summary['duplicates']}, rejected {summary['rejected']}")
        print(f"wc -l (floor):                 {wc_seconds:6.2f} s")
        print(f"{small_rows:,}-row report, whole:    {small_seconds:6.2f} s  "
              f"{small['parsed'] / small_seconds:,.0f} events/s")
        print(f"--dry-run, nothing known yet:  {dry_seconds:6.2f} s  "
              f"{dry['parsed'] / dry_seconds:,.0f} events/s")
        print(f"baken ingest into SQLite:      {ingest_seconds:6.2f} s  "
              f"{events / ingest_seconds:,.0f} events/s  peak memory {ingest_rss:.0f} MiB")
        print(f"--dry-run again (all known):   {again_seconds:6.2f} s  "
              f"{events / again_seconds:,.0f} events/s")
        print(f"database size:                 {os.path.getsize(db) / 1e6:6.0f} MB")
        if postgresql:
            with PostgresqlServer(os.path.join(work, "postgres")) as server:
                url = fresh_database(baken, work, members, server.database("bench"))
                pg_seconds, pg_rss, pg = ingest(baken, url, report)
                print(f"baken ingest into PostgreSQL:  {pg_seconds:6.2f} s  "
                      f"{pg['parsed'] / pg_seconds:,.0f} events/s  peak memory {pg_rss:.0f} MiB "
                      f"(stored {pg['parsed'] - pg['duplicates'] - pg['rejected']:,}, "
                      f"SQLite {summary['parsed'] - summary['duplicates'] - summary['rejected']:,})")
                print(f"database size (PostgreSQL):    {server.size_mb('bench'):6.0f} MB")


if __name__ == "__main__":
    main()
