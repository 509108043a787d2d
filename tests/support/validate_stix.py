#!/usr/bin/python3
"""Validates a STIX 2.1 bundle against OASIS's JSON schemas.

Usage: validate_stix.py SCHEMA_DIR BUNDLE.json

SCHEMA_DIR is a copy of the `schemas/` folder of oasis-open/cti-stix2-json-schemas
(tests/data/stix2.1-schemas). The schemas refer to each other by their `$id` URLs on
raw.githubusercontent.com; those are mapped to the local files, so nothing is fetched. The bundle
is validated against bundle.json, and every object in it against the schema of its type (an
object of a type without a schema fails), which gives one clear message per broken object where
the bundle schema's oneOf says only that none matched. Then the rules of the specification that
the schemas cannot state: valid_until after valid_from, modified not before created, ids unique.

Exit 0 when valid; 1 with one line per problem on stderr; 2 for usage or unreadable input.
Written for Debian 12's python3-jsonschema (4.10): RefResolver with a store.
"""

import json
import pathlib
import sys

import jsonschema


def load_schemas(schema_dir):
    store = {}
    by_type = {}
    for path in sorted(schema_dir.rglob("*.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        store[schema["$id"]] = schema
        # One schema per object type: the SDOs, SROs and SCOs are named after their type, and so
        # are the few objects in common/ (marking-definition, extension-definition, ...).
        if path.parent.name in ("sdos", "sros", "observables") or path.stem in (
            "marking-definition",
            "extension-definition",
            "language-content",
        ):
            by_type[path.stem] = schema
    return store, by_type


def validator(schema, store):
    cls = jsonschema.validators.validator_for(schema)
    resolver = jsonschema.RefResolver(base_uri=schema["$id"], referrer=schema, store=store)
    return cls(schema, resolver=resolver, format_checker=jsonschema.FormatChecker())


def where(error):
    return "/".join(str(part) for part in error.absolute_path) or "(top)"


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    schema_dir = pathlib.Path(argv[1])
    try:
        store, by_type = load_schemas(schema_dir)
        bundle = json.loads(pathlib.Path(argv[2]).read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError) as error:
        print(f"cannot read: {error}", file=sys.stderr)
        return 2
    if not by_type:
        print(f"no schemas in {schema_dir}", file=sys.stderr)
        return 2

    problems = []
    bundle_schema = store[next(i for i in store if i.endswith("/common/bundle.json"))]
    for error in validator(bundle_schema, store).iter_errors(bundle):
        # Its oneOf over every type says only that nothing matched: the message would be the
        # whole object; the per-type check below says what is wrong.
        problems.append(f"bundle {where(error)}: fails the bundle schema's {error.validator!r}")

    objects = bundle.get("objects") if isinstance(bundle, dict) else None
    if not isinstance(objects, list) or not objects:
        problems.append("bundle: no objects")
        objects = []
    seen = set()
    for index, item in enumerate(objects):
        name = f"objects/{index}"
        if not isinstance(item, dict):
            problems.append(f"{name}: not an object")
            continue
        name = f"{name} ({item.get('id')})"
        schema = by_type.get(item.get("type"))
        if schema is None:
            problems.append(f"{name}: no schema for type {item.get('type')!r}")
            continue
        for error in validator(schema, store).iter_errors(item):
            problems.append(f"{name} {where(error)}: {error.message[:300]}")
        if item.get("id") in seen:
            problems.append(f"{name}: a second object with this id")
        seen.add(item.get("id"))
        # Timestamps of one form (…Z) compare as text.
        if "valid_until" in item and "valid_from" in item:
            if str(item["valid_until"]) <= str(item["valid_from"]):
                problems.append(f"{name}: valid_until is not later than valid_from")
        if "modified" in item and "created" in item:
            if str(item["modified"]) < str(item["created"]):
                problems.append(f"{name}: modified is before created")

    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
