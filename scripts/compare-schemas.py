#!/usr/bin/env python3
"""Compares Baken's SQLite schema with its PostgreSQL schema and prints every difference.

For each table: the columns in order with their type, NOT NULL and default; the primary key;
the unique constraints; the foreign keys with their ON DELETE; the number of CHECKs; and the
explicitly named indexes (name, unique, columns or expressions, a partial index's condition).
Indexes that back a primary key or UNIQUE constraint (sqlite_autoindex_* in SQLite,
<table>_pkey and _key in PostgreSQL) are compared as those constraints, not by name.

    scripts/compare-schemas.py --baken build/debug/baken \
        --postgres "host=127.0.0.1 port=5432 user=baken dbname=postgres"

By default the PostgreSQL side is a new database, made from the baseline in
src/store/postgresql_schema.cc and dropped afterwards (the role must be allowed to create
databases). With --existing the database the connection names is compared as it is (for
example one the PostgreSQL store has migrated). The SQLite side is --sqlite FILE, or a new file
that --baken BINARY migrates. Needs sqlite3 (Python's module) and psql. Exit status: 0 when the
schemas agree, 1 when they differ, 2 when something failed.
"""

import argparse
import os
import re
import sqlite3
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BASELINE = os.path.join(ROOT, "src", "store", "postgresql_schema.cc")
BASELINE_HEADER = os.path.join(ROOT, "src", "store", "postgresql_schema.h")

# Tables only one engine has by design: SQLite's AUTOINCREMENT bookkeeping, and the version the
# PostgreSQL store records (SQLite keeps it in PRAGMA user_version).
SQLITE_ONLY_TABLES = {"sqlite_sequence"}
POSTGRES_ONLY_TABLES = {"baken_schema"}  # the version, which SQLite keeps in PRAGMA user_version

# Declared types as the baseline translates them.
TYPES = {"INTEGER": "bigint", "TEXT": "text", "BLOB": "bytea"}

# SQLite's UNIQUE ... COLLATE NOCASE has no PostgreSQL column form: a unique index on lower()
# takes its place. (table, columns) -> the index that does.
NOCASE_UNIQUE = {("users", ("email",)): "users_email_nocase"}

FK_ACTIONS = {"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL",
              "d": "SET DEFAULT"}


class Failure(Exception):
    pass


def psql(conninfo, sql):
    """Rows of one query, each a list of strings (None for NULL)."""
    result = subprocess.run(
        ["psql", "-X", "-q", "-A", "-t", "-F", "\x1f", "-P", "null=\x1e", "-v", "ON_ERROR_STOP=1",
         "-d", conninfo, "-c", sql],
        capture_output=True, text=True)
    if result.returncode != 0:
        raise Failure(f"psql: {result.stderr.strip()}")
    rows = []
    for line in result.stdout.split("\n"):
        if line == "":
            continue
        rows.append([None if v == "\x1e" else v for v in line.split("\x1f")])
    return rows


def baseline_sql():
    with open(BASELINE, encoding="utf-8") as f:
        text = f.read()
    match = re.search(r'R"sql\((.*?)\)sql"', text, re.S)
    if not match:
        raise Failure(f"{BASELINE}: no R\"sql(...)sql\" string")
    return match.group(1)


def baseline_version():
    with open(BASELINE_HEADER, encoding="utf-8") as f:
        match = re.search(r"kPostgresqlBaselineVersion = (\d+);", f.read())
    if not match:
        raise Failure(f"{BASELINE_HEADER}: no kPostgresqlBaselineVersion")
    return int(match.group(1))


def sqlite_version(path):
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    (version,) = db.execute("PRAGMA user_version").fetchone()
    db.close()
    return version


def sqlite_schema(path):
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    schema = {}
    tables = [r[0] for r in db.execute(
        "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")]
    for table in tables:
        if table in SQLITE_ONLY_TABLES:
            continue
        info = {"columns": [], "pk": [], "unique": set(), "fk": set(), "indexes": {}}
        pk = {}
        for _cid, name, ctype, notnull, default, pk_pos in db.execute(
                "SELECT cid, name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?)",
                (table,)):
            # A primary key column is never null in SQLite either: STRICT tables refuse NULL in
            # one, and an INTEGER PRIMARY KEY is the rowid. pragma_table_info says 0 for the
            # latter all the same.
            info["columns"].append(
                (name, TYPES.get(ctype.upper(), "?" + ctype), bool(notnull) or pk_pos > 0,
                 default))
            if pk_pos:
                pk[pk_pos] = name
        info["pk"] = [pk[i] for i in sorted(pk)]
        for _seq, index, unique, origin, partial in db.execute(
                "SELECT seq, name, \"unique\", origin, partial FROM pragma_index_list(?)",
                (table,)):
            columns = tuple(
                name if name is not None else "<expression>"
                for (name,) in db.execute(
                    "SELECT name FROM pragma_index_xinfo(?) WHERE key ORDER BY seqno", (index,)))
            collations = {coll for (coll,) in db.execute(
                "SELECT coll FROM pragma_index_xinfo(?) WHERE key", (index,))}
            if origin == "pk":
                continue
            if origin == "u":
                if collations == {"NOCASE"} and (table, columns) in NOCASE_UNIQUE:
                    info["indexes"][NOCASE_UNIQUE[(table, columns)]] = (
                        True, False, tuple(f"lower({c})" for c in columns), None)
                else:
                    info["unique"].add(columns)
                continue
            where = None
            if partial:
                (sql,) = db.execute("SELECT sql FROM sqlite_schema WHERE type = 'index' AND "
                                    "name = ?", (index,)).fetchone()
                where = normalise_predicate(re.split(r"\bWHERE\b", sql, flags=re.I)[-1])
            info["indexes"][index] = (bool(unique), bool(partial), columns, where)
        for _id, _seq, parent, column, to, _on_update, on_delete in db.execute(
                "SELECT id, seq, \"table\", \"from\", \"to\", on_update, on_delete "
                "FROM pragma_foreign_key_list(?)", (table,)):
            info["fk"].add((column, parent, to, on_delete))
        (sql,) = db.execute("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?",
                            (table,)).fetchone()
        info["checks"] = len(re.findall(r"\bCHECK\s*\(", sql, re.I))
        schema[table] = info
    # A foreign key that names no column refers to the parent's primary key.
    for info in schema.values():
        info["fk"] = {(c, p, t if t is not None else schema[p]["pk"][0], d)
                      for (c, p, t, d) in info["fk"]}
    return schema


def normalise_default(default):
    if default is None:
        return None
    # PostgreSQL writes '' as ''::text and 1 as 1 (or '1'::bigint); SQLite as written.
    return re.sub(r"::[a-z ]+$", "", default)


def normalise_predicate(where):
    """A partial index's condition in one spelling: PostgreSQL adds casts and parentheses."""
    if where is None:
        return None
    where = re.sub(r"::[a-z ]+", "", where)
    where = re.sub(r"\s+", " ", where).strip().rstrip(";").strip()
    while where.startswith("(") and encloses(where):
        where = where[1:-1].strip()
    return where


def encloses(text):
    """Whether the parenthesis text starts with closes at its end."""
    depth = 0
    for i, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0:
            return i == len(text) - 1
    return False


def postgres_schema(conninfo):
    schema = {}
    for (table,) in psql(conninfo, "SELECT table_name FROM information_schema.tables "
                                   "WHERE table_schema = current_schema() "
                                   "AND table_type = 'BASE TABLE' ORDER BY table_name"):
        if table in POSTGRES_ONLY_TABLES:
            continue
        schema[table] = {"columns": [], "pk": [], "unique": set(), "fk": set(), "indexes": {},
                         "checks": 0}
    for table, name, ctype, nullable, default in psql(
            conninfo, "SELECT table_name, column_name, data_type, is_nullable, column_default "
                      "FROM information_schema.columns WHERE table_schema = current_schema() "
                      "ORDER BY table_name, ordinal_position"):
        if table in schema:
            schema[table]["columns"].append(
                (name, ctype, nullable == "NO", normalise_default(default)))
    # Constraints with their columns in key order (conkey order, not attribute order).
    for table, name, kind, columns, parent, parent_columns, on_delete in psql(
            conninfo,
            "SELECT c.conrelid::regclass::text, c.conname, c.contype, "
            "(SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM unnest(c.conkey) "
            "   WITH ORDINALITY k(attnum, n) JOIN pg_attribute a "
            "   ON a.attrelid = c.conrelid AND a.attnum = k.attnum), "
            "c.confrelid::regclass::text, "
            "(SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM unnest(c.confkey) "
            "   WITH ORDINALITY k(attnum, n) JOIN pg_attribute a "
            "   ON a.attrelid = c.confrelid AND a.attnum = k.attnum), "
            "c.confdeltype "
            "FROM pg_constraint c JOIN pg_namespace s ON s.oid = c.connamespace "
            "WHERE s.nspname = current_schema() AND c.conrelid <> 0 ORDER BY 1, 2"):
        if table not in schema:
            continue
        info = schema[table]
        if kind == "p":
            info["pk"] = columns.split(",")
        elif kind == "u":
            info["unique"].add(tuple(columns.split(",")))
        elif kind == "f":
            info["fk"].add((columns, parent, parent_columns, FK_ACTIONS[on_delete]))
        elif kind == "c":
            info["checks"] += 1
    # Indexes made by CREATE INDEX, i.e. not those behind a constraint.
    for table, index, unique, partial, columns, where in psql(
            conninfo,
            "SELECT t.relname, i.relname, x.indisunique, x.indpred IS NOT NULL, "
            "(SELECT string_agg(pg_get_indexdef(x.indexrelid, n, true), '\x1d' ORDER BY n) "
            "   FROM generate_series(1, x.indnkeyatts) n), "
            "pg_get_expr(x.indpred, x.indrelid, true) "
            "FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
            "JOIN pg_class t ON t.oid = x.indrelid JOIN pg_namespace s ON s.oid = t.relnamespace "
            "WHERE s.nspname = current_schema() "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid) "
            "ORDER BY 1, 2"):
        if table in schema:
            schema[table]["indexes"][index] = (unique == "t", partial == "t",
                                                tuple(columns.split("\x1d")),
                                                normalise_predicate(where))
    return schema


def compare(lite, pg):
    differences = []

    def differ(table, what, in_sqlite, in_postgres):
        differences.append(f"{table}: {what}\n    SQLite:     {in_sqlite}\n"
                           f"    PostgreSQL: {in_postgres}")

    for table in sorted(set(lite) - set(pg)):
        differences.append(f"{table}: only in SQLite")
    for table in sorted(set(pg) - set(lite)):
        differences.append(f"{table}: only in PostgreSQL")
    for table in sorted(set(lite) & set(pg)):
        a, b = lite[table], pg[table]
        names_a = [c[0] for c in a["columns"]]
        names_b = [c[0] for c in b["columns"]]
        if names_a != names_b:
            differ(table, "columns", ", ".join(names_a), ", ".join(names_b))
        for col_a, col_b in zip(a["columns"], b["columns"]):
            if col_a[0] != col_b[0]:
                continue
            for label, index in (("type", 1), ("NOT NULL", 2), ("default", 3)):
                if col_a[index] != col_b[index]:
                    differ(table, f"{col_a[0]} {label}", col_a[index], col_b[index])
        for label in ("pk", "checks"):
            if a[label] != b[label]:
                differ(table, {"pk": "primary key", "checks": "CHECK count"}[label],
                       a[label], b[label])
        for label, name in (("unique", "UNIQUE"), ("fk", "foreign keys")):
            if a[label] != b[label]:
                differ(table, name, sorted(a[label] - b[label]), sorted(b[label] - a[label]))
        for index in sorted(set(a["indexes"]) | set(b["indexes"])):
            left = a["indexes"].get(index)
            right = b["indexes"].get(index)
            if left != right:
                shape = lambda i: ("missing" if i is None else
                                   f"{'unique ' if i[0] else ''}{'partial ' if i[1] else ''}"
                                   f"({', '.join(i[2])})"
                                   f"{' WHERE ' + i[3] if i[3] else ''}")
                differ(table, f"index {index}", shape(left), shape(right))
    return differences


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    side = parser.add_mutually_exclusive_group(required=True)
    side.add_argument("--sqlite", help="a SQLite database at the version to compare")
    side.add_argument("--baken", help="a baken binary that migrates a new SQLite file")
    parser.add_argument("--postgres", required=True, help="a libpq connection string")
    parser.add_argument("--existing", action="store_true",
                        help="compare the database --postgres names instead of a new one "
                             "made from the baseline")
    args = parser.parse_args()
    if "://" in args.postgres:
        # A new database's name is added as dbname=..., which only the keyword form allows.
        raise Failure("--postgres: give the keyword form (host=... port=... user=... "
                      "dbname=...), not a URI")

    with tempfile.TemporaryDirectory() as scratch:
        sqlite_path = args.sqlite
        if args.baken:
            sqlite_path = os.path.join(scratch, "baken.db")
            made = subprocess.run([args.baken, "--db", sqlite_path, "member", "list"],
                                  capture_output=True, text=True)
            if made.returncode != 0:
                raise Failure(f"{args.baken}: {made.stderr.strip()}")
        lite = sqlite_schema(sqlite_path)
        version = sqlite_version(sqlite_path)
        if not args.existing and version != baseline_version():
            # The baseline equals one SQLite version; any other compares unlike things.
            raise Failure(f"the SQLite database has schema version {version}, the baseline "
                          f"is version {baseline_version()}")

        if args.existing:
            pg = postgres_schema(args.postgres)
        else:
            database = f"baken_compare_{os.getpid()}"
            psql(args.postgres, f"CREATE DATABASE {database} ENCODING 'UTF8' LOCALE 'C' "
                                f"TEMPLATE template0")
            try:
                target = f"{args.postgres} dbname={database}"
                applied = subprocess.run(
                    ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", target, "-1"],
                    input=baseline_sql(), capture_output=True, text=True)
                if applied.returncode != 0:
                    raise Failure(f"applying {BASELINE}: {applied.stderr.strip()}")
                pg = postgres_schema(target)
            finally:
                psql(args.postgres, f"DROP DATABASE {database}")

    differences = compare(lite, pg)
    for difference in differences:
        print(difference)
    print(f"{len(lite)} tables in SQLite, {len(pg)} in PostgreSQL; "
          f"{len(differences)} difference(s)")
    return 1 if differences else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (Failure, sqlite3.Error, OSError) as error:
        print(f"compare-schemas: {error}", file=sys.stderr)
        sys.exit(2)
