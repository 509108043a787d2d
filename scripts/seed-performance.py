#!/usr/bin/env python3
"""Fills a Baken store for issue 13's performance aim: 400 members and 100,000 events.

Every list page of the portal should show its first page in under 300 ms on loopback with this
much in the store (docs/performance.md, "Portal"). This script only prepares the store, with
the real program (`baken member import`, `baken ingest`, `baken notify`); the measuring is a
browser test's (web/e2e/lists.test.mjs prints its timings). Nothing here is random: the same
arguments give the same store.

  scripts/seed-performance.py --baken build/release/baken --db /tmp/perf/baken.db
  scripts/seed-performance.py ... --members 400 --events 100000 --unrouted 20000

What goes in:
  - members GM3000 ... (gemeente, one /20 each in 10.0.0.0/8 from 10.16.0.0 on, one domain,
    one contact), so that the members list has 400 rows to page, search and sort;
  - `--events` RDP scan findings (Shadowserver scan_rdp), spread over the members by turns,
    except `--unrouted` of them in 172.16.0.0/12, which no member owns;
  - with `--smtp URL`, `baken notify` to that server: one digest message per member in the
    outbox (without it the outbox stays empty).
"""

import argparse
import ipaddress
import json
import os
import subprocess
import sys
import tempfile

HEADER = '"timestamp","ip","protocol","port","hostname","asn","geo"'


def member(n: int) -> dict:
    network = ipaddress.ip_network(f"10.{16 + n // 16}.{(n % 16) * 16}.0/20")
    return {
        "code": f"GM{3000 + n:04d}",
        "name": f"Gemeente Meetstad {n:03d}",
        "kind": "gemeente",
        "contacts": [{"name": "SOC", "email": f"soc@meetstad{n:03d}.example.nl",
                      "roles": ["general", "trusted"], "language": "nl"}],
        "netblocks": [str(network)],
        "asns": [],
        "domains": [f"meetstad{n:03d}.example.nl"],
        "assets": [],
    }


def routed_address(member_index: int, k: int) -> str:
    network = ipaddress.ip_network(member(member_index)["netblocks"][0])
    return str(network.network_address + 1 + k % (network.num_addresses - 2))


def unrouted_address(k: int) -> str:
    return str(ipaddress.ip_address("172.16.0.1") + k)


def run(baken: str, db: str, *args: str) -> None:
    command = [baken, "--db", db, *args]
    print("+", " ".join(command), flush=True)
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baken", required=True, help="the baken program")
    parser.add_argument("--db", required=True, help="the SQLite store to fill (created if new)")
    parser.add_argument("--members", type=int, default=400)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--unrouted", type=int, default=20_000,
                        help="how many of the events no member owns")
    parser.add_argument("--smtp", help="an SMTP server for baken notify (fills the outbox)")
    options = parser.parse_args()
    if options.members < 1 or options.members > 3000:
        parser.error("--members must be between 1 and 3000 (each has a /20 of 10.16.0.0/8)")
    if not 0 <= options.unrouted <= options.events:
        parser.error("--unrouted must be between 0 and --events")

    with tempfile.TemporaryDirectory(prefix="baken-seed-") as work:
        members_file = os.path.join(work, "members.json")
        with open(members_file, "w", encoding="utf-8") as out:
            json.dump({"members": [member(n) for n in range(options.members)]}, out)
        run(options.baken, options.db, "member", "import", members_file)

        report = os.path.join(work, "2026-11-21-scan_rdp-performance.csv")
        routed = options.events - options.unrouted
        with open(report, "w", encoding="utf-8") as out:
            out.write(HEADER + "\n")
            for k in range(routed):
                ip = routed_address(k % options.members, k // options.members)
                out.write(f'"2026-11-21 09:00:00","{ip}","tcp",3389,,64500,"NL"\n')
            for k in range(options.unrouted):
                out.write(f'"2026-11-21 09:00:00","{unrouted_address(k)}","tcp",3389,,64500,"NL"\n')
        run(options.baken, options.db, "ingest", report)
        if options.smtp:
            run(options.baken, options.db, "notify", "--smtp", options.smtp)
    print(f"{options.members} members and {options.events} events "
          f"({options.unrouted} unrouted) in {options.db}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
