#!/usr/bin/python3
"""Checks a MISP event document against the rules of the MISP core format.

Usage: validate_misp.py EVENT.json

The rules are those of the Internet-Draft "MISP core format" (draft-dulaunoy-misp-core-format,
github.com/MISP/misp-rfc, misp-core-format/raw.md at b10f23ac, draft-20) for an event as it is
exchanged: required fields with their JSON types, uuids in their RFC 4122 form and unique in the
event, info on one line of at most 256 characters, threat level 1-4, analysis 0-2, distribution
0-4 for events and 0-5 for attributes and objects (sharing_group_id "0" unless 4), timestamps as
decimal strings, each attribute's type valid for its category (the draft's table, below), to_ids
and deleted booleans, first_seen/last_seen as ISO 8601 with last not before first, objects with
name, meta-category, description, template uuid and version and object_relation on each
attribute, and tags with a name (and a colour and exportable flag). The value of the types Baken
writes is checked for its form (addresses, names, hashes, AS numbers, CVE ids, ...).

Instance-local numeric ids (id, event_id, org_id, orgc_id, object_id) are not required: the
draft describes them on an instance, and MISP's own feeds (as CIRCL's OSINT feed shows) leave
them out of exchanged events; the receiving instance assigns its own.

A document is {"Event": {...}} or {"response": [{"Event": {...}}, ...]}.
Exit 0 when it follows the rules; 1 with one line per problem on stderr; 2 for usage.
"""

import datetime
import ipaddress
import json
import re
import sys

# The draft's valid category-type combinations (section "type"), verbatim.
CATEGORY_TYPES = {
    "Antivirus detection": (
        "link, comment, text, hex, attachment, other, anonymised"
    ),
    "Artifacts dropped": (
        "md5, sha1, sha224, sha256, sha384, sha512, sha512/224, sha512/256, sha3-224, sha3-256, "
        "sha3-384, sha3-512, ssdeep, imphash, telfhash, impfuzzy, authentihash, vhash, cdhash, "
        "filename, filename|md5, filename|sha1, filename|sha224, filename|sha256, "
        "filename|sha384, filename|sha512, filename|sha512/224, filename|sha512/256, "
        "filename|sha3-224, filename|sha3-256, filename|sha3-384, filename|sha3-512, "
        "filename|authentihash, filename|vhash, filename|ssdeep, filename|tlsh, filename|imphash, "
        "filename|impfuzzy, filename|pehash, regkey, regkey|value, pattern-in-file, "
        "pattern-in-memory, filename-pattern, pdb, stix2-pattern, yara, sigma, attachment, "
        "malware-sample, named pipe, mutex, process-state, windows-scheduled-task, "
        "windows-service-name, windows-service-displayname, comment, text, hex, "
        "x509-fingerprint-sha1, x509-fingerprint-md5, x509-fingerprint-sha256, other, cookie, "
        "gene, kusto-query, mime-type, anonymised, pgp-public-key, pgp-private-key"
    ),
    "Attribution": (
        "threat-actor, campaign-name, campaign-id, whois-registrant-phone, "
        "whois-registrant-email, whois-registrant-name, whois-registrant-org, whois-registrar, "
        "whois-creation-date, comment, text, x509-fingerprint-sha1, x509-fingerprint-md5, "
        "x509-fingerprint-sha256, other, dns-soa-email, anonymised, email"
    ),
    "External analysis": (
        "md5, sha1, sha256, sha3-224, sha3-256, sha3-384, sha3-512, filename, filename|md5, "
        "filename|sha1, filename|sha256, filename|sha3-224, filename|sha3-256, filename|sha3-384, "
        "filename|sha3-512, ip-src, ip-dst, ip-dst|port, ip-src|port, mac-address, mac-eui-64, "
        "hostname, domain, domain|ip, url, user-agent, regkey, regkey|value, AS, snort, bro, "
        "zeek, pattern-in-file, pattern-in-traffic, pattern-in-memory, filename-pattern, "
        "vulnerability, cpe, weakness, attachment, malware-sample, link, comment, text, "
        "x509-fingerprint-sha1, x509-fingerprint-md5, x509-fingerprint-sha256, "
        "ja3-fingerprint-md5, jarm-fingerprint, hassh-md5, hasshserver-md5, github-repository, "
        "other, cortex, anonymised, community-id, dom-hash, onion-address"
    ),
    "Financial fraud": (
        "btc, dash, xmr, iban, bic, bank-account-nr, aba-rtn, bin, cc-number, prtn, phone-number, "
        "comment, text, other, hex, anonymised"
    ),
    "Internal reference": (
        "text, link, comment, other, hex, anonymised, git-commit-id"
    ),
    "Network activity": (
        "ip-src, ip-dst, ip-dst|port, ip-src|port, port, hostname, domain, domain|ip, "
        "mac-address, mac-eui-64, email, email-dst, email-src, eppn, url, uri, user-agent, "
        "http-method, AS, snort, pattern-in-file, filename-pattern, stix2-pattern, "
        "pattern-in-traffic, attachment, comment, text, x509-fingerprint-md5, "
        "x509-fingerprint-sha1, x509-fingerprint-sha256, ja3-fingerprint-md5, jarm-fingerprint, "
        "hassh-md5, hasshserver-md5, other, hex, cookie, hostname|port, bro, zeek, anonymised, "
        "community-id, email-subject, favicon-mmh3, dkim, dkim-signature, ssh-fingerprint, "
        "dom-hash, onion-address"
    ),
    "Other": (
        "comment, text, other, size-in-bytes, counter, integer, datetime, cpe, port, float, hex, "
        "phone-number, boolean, anonymised, pgp-public-key, pgp-private-key, uuid"
    ),
    "Payload delivery": (
        "md5, sha1, sha224, sha256, sha384, sha512, sha512/224, sha512/256, sha3-224, sha3-256, "
        "sha3-384, sha3-512, ssdeep, imphash, telfhash, impfuzzy, authentihash, vhash, pehash, "
        "tlsh, cdhash, filename, filename|md5, filename|sha1, filename|sha224, filename|sha256, "
        "filename|sha384, filename|sha512, filename|sha512/224, filename|sha512/256, "
        "filename|sha3-224, filename|sha3-256, filename|sha3-384, filename|sha3-512, "
        "filename|authentihash, filename|vhash, filename|ssdeep, filename|tlsh, filename|imphash, "
        "filename|impfuzzy, filename|pehash, mac-address, mac-eui-64, ip-src, ip-dst, "
        "ip-dst|port, ip-src|port, hostname, domain, email, email-src, email-dst, email-subject, "
        "email-attachment, email-body, url, user-agent, AS, pattern-in-file, pattern-in-traffic, "
        "filename-pattern, stix2-pattern, yara, sigma, mime-type, attachment, malware-sample, "
        "link, malware-type, comment, text, hex, vulnerability, cpe, weakness, "
        "x509-fingerprint-sha1, x509-fingerprint-md5, x509-fingerprint-sha256, "
        "ja3-fingerprint-md5, jarm-fingerprint, hassh-md5, hasshserver-md5, other, hostname|port, "
        "email-dst-display-name, email-src-display-name, email-header, email-reply-to, "
        "email-x-mailer, email-mime-boundary, email-thread-index, email-message-id, "
        "azure-application-id, mobile-application-id, chrome-extension-id, "
        "whois-registrant-email, anonymised, onion-address"
    ),
    "Payload installation": (
        "md5, sha1, sha224, sha256, sha384, sha512, sha512/224, sha512/256, sha3-224, sha3-256, "
        "sha3-384, sha3-512, ssdeep, imphash, telfhash, impfuzzy, authentihash, vhash, pehash, "
        "tlsh, cdhash, filename, filename|md5, filename|sha1, filename|sha224, filename|sha256, "
        "filename|sha384, filename|sha512, filename|sha512/224, filename|sha512/256, "
        "filename|sha3-224, filename|sha3-256, filename|sha3-384, filename|sha3-512, "
        "filename|authentihash, filename|vhash, filename|ssdeep, filename|tlsh, filename|imphash, "
        "filename|impfuzzy, filename|pehash, pattern-in-file, pattern-in-traffic, "
        "pattern-in-memory, filename-pattern, stix2-pattern, yara, sigma, vulnerability, cpe, "
        "weakness, attachment, malware-sample, malware-type, comment, text, hex, "
        "x509-fingerprint-sha1, x509-fingerprint-md5, x509-fingerprint-sha256, "
        "azure-application-id, mobile-application-id, chrome-extension-id, other, mime-type, "
        "anonymised"
    ),
    "Payload type": (
        "comment, text, other, anonymised"
    ),
    "Persistence mechanism": (
        "filename, regkey, regkey|value, comment, text, other, hex, anonymised"
    ),
    "Person": (
        "first-name, middle-name, last-name, full-name, date-of-birth, place-of-birth, gender, "
        "passport-number, passport-country, passport-expiration, redress-number, nationality, "
        "visa-number, issue-date-of-the-visa, primary-residence, country-of-residence, "
        "special-service-request, frequent-flyer-number, travel-details, payment-details, "
        "place-port-of-original-embarkation, place-port-of-clearance, "
        "place-port-of-onward-foreign-destination, passenger-name-record-locator-number, comment, "
        "text, other, phone-number, identity-card-number, anonymised, email, pgp-public-key, "
        "pgp-private-key"
    ),
    "Social network": (
        "github-username, github-repository, github-organisation, jabber-id, twitter-id, email, "
        "email-src, email-dst, eppn, comment, text, other, whois-registrant-email, anonymised, "
        "pgp-public-key, pgp-private-key"
    ),
    "Support Tool": (
        "link, text, attachment, comment, other, hex, anonymised"
    ),
    "Targeting data": (
        "target-user, target-email, target-machine, target-org, target-location, target-external, "
        "comment, anonymised"
    ),
}
CATEGORY_TYPES = {
    category: {t.strip() for t in types.split(",")} for category, types in CATEGORY_TYPES.items()
}

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
DIGITS = re.compile(r"^[0-9]+$")
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
LABEL = r"(?!-)[a-z0-9_-]{1,63}(?<!-)"
HOST = re.compile(rf"^(?=.{{1,253}}$){LABEL}(\.{LABEL})*\.[a-z][a-z0-9-]*[a-z0-9]$", re.IGNORECASE)
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
HEX = {"md5": 32, "sha1": 40, "sha256": 64}


def is_time(text):
    if not isinstance(text, str):
        return False
    try:
        parsed = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return False
    return parsed.tzinfo is not None


def value_problem(kind, value):
    """Why `value` is not of the form of MISP type `kind`, or None."""
    if any(ord(c) < 0x20 and c not in "\r\n\t" for c in value):
        return "holds control characters"
    if kind in ("ip-src", "ip-dst"):
        try:
            ipaddress.ip_network(value, strict=True)
        except ValueError:
            return "not an address or network"
    elif kind in ("domain", "hostname"):
        if not HOST.match(value):
            return "not a host name"
    elif kind == "url":
        if not re.match(r"^[a-z][a-z0-9+.-]*://\S+$", value, re.IGNORECASE):
            return "not a URL"
    elif kind in ("email", "email-src", "email-dst"):
        if not EMAIL.match(value):
            return "not an e-mail address"
    elif kind in HEX:
        if not re.match(rf"^[0-9a-fA-F]{{{HEX[kind]}}}$", value):
            return f"not {HEX[kind]} hexadecimal digits"
    elif kind == "AS":
        match = re.match(r"^(AS)?([0-9]+)$", value, re.IGNORECASE)
        if not match or int(match.group(2)) > 4294967295:
            return "not an AS number"
    elif kind == "vulnerability":
        if not re.match(r"^CVE-[0-9]{4}-[0-9]{4,}$", value):
            return "not a CVE id"
    elif kind == "filename":
        if "\n" in value or "\r" in value:
            return "a file name on more than one line"
    elif "|" in kind:
        parts = value.split("|")
        kinds = kind.split("|")
        if len(parts) != 2:
            return "a composite value has two parts separated by '|'"
        for part_kind, part in zip(kinds, parts):
            if part_kind == "ip":
                part_kind = "ip-dst"
            problem = value_problem(part_kind, part)
            if problem:
                return f"part {part!r}: {problem}"
    return None


class Checker:
    def __init__(self):
        self.problems = []
        self.uuids = set()

    def say(self, where, what):
        self.problems.append(f"{where}: {what}")

    def string(self, obj, key, where, required=True):
        if key not in obj:
            if required:
                self.say(where, f"{key} is missing")
            return None
        if not isinstance(obj[key], str):
            self.say(where, f"{key} is not a JSON string")
            return None
        return obj[key]

    def boolean(self, obj, key, where):
        if not isinstance(obj.get(key), bool):
            self.say(where, f"{key} must be present as a JSON boolean")

    def uuid(self, obj, where):
        value = self.string(obj, "uuid", where)
        if value is None:
            return
        if not UUID.match(value):
            self.say(where, f"uuid {value!r} is not an RFC 4122 uuid")
        elif value in self.uuids:
            self.say(where, f"uuid {value} is used twice")
        self.uuids.add(value)

    def decimal(self, obj, key, where, required=True):
        value = self.string(obj, key, where, required)
        if value is not None and not DIGITS.match(value):
            self.say(where, f"{key} {value!r} is not a decimal number")

    def level(self, obj, key, where, allowed):
        value = self.string(obj, key, where)
        if value is not None and value not in allowed:
            self.say(where, f"{key} {value!r} is not one of {sorted(allowed)}")
        return value

    def tags(self, obj, where):
        if "Tag" not in obj:
            return
        if not isinstance(obj["Tag"], list):
            self.say(where, "Tag is not a list")
            return
        for index, tag in enumerate(obj["Tag"]):
            here = f"{where}/Tag/{index}"
            if not isinstance(tag, dict):
                self.say(here, "not an object")
                continue
            name = self.string(tag, "name", here)
            if name is not None and not name.strip():
                self.say(here, "name is empty")
            colour = self.string(tag, "colour", here)
            if colour is not None and not COLOUR.match(colour):
                self.say(here, f"colour {colour!r} is not #rrggbb")
            self.boolean(tag, "exportable", here)

    def distribution(self, obj, where, allowed):
        value = self.level(obj, "distribution", where, allowed)
        group = obj.get("sharing_group_id", "0")
        if value is not None and value != "4" and group not in ("0", 0):
            self.say(where, "sharing_group_id must be 0 unless distribution is 4")

    def attribute(self, attribute, where, in_object):
        if not isinstance(attribute, dict):
            self.say(where, "not an object")
            return
        self.uuid(attribute, where)
        kind = self.string(attribute, "type", where)
        category = self.string(attribute, "category", where)
        value = self.string(attribute, "value", where)
        if category is not None and category not in CATEGORY_TYPES:
            self.say(where, f"category {category!r} is not a MISP category")
        elif kind is not None and category is not None and kind not in CATEGORY_TYPES[category]:
            self.say(where, f"type {kind!r} is not valid in category {category!r}")
        if value is not None:
            if not value:
                self.say(where, "value is empty")
            elif kind is not None:
                problem = value_problem(kind, value)
                if problem:
                    self.say(where, f"value {value[:80]!r} of type {kind}: {problem}")
        self.boolean(attribute, "to_ids", where)
        self.boolean(attribute, "deleted", where)
        self.distribution(attribute, where, {"0", "1", "2", "3", "4", "5"})
        self.decimal(attribute, "timestamp", where)
        self.string(attribute, "comment", where, required=False)
        seen = {}
        for key in ("first_seen", "last_seen"):
            if attribute.get(key) is not None:
                if not is_time(attribute[key]):
                    self.say(where, f"{key} {attribute[key]!r} is not an ISO 8601 time with a zone")
                else:
                    seen[key] = datetime.datetime.fromisoformat(
                        attribute[key].replace("Z", "+00:00"))
        if len(seen) == 2 and seen["last_seen"] < seen["first_seen"]:
            self.say(where, "last_seen is before first_seen")
        if in_object:
            self.string(attribute, "object_relation", where)
        self.tags(attribute, where)

    def object(self, obj, where):
        if not isinstance(obj, dict):
            self.say(where, "not an object")
            return
        self.uuid(obj, where)
        for key in ("name", "meta-category", "description"):
            self.string(obj, key, where)
        template = self.string(obj, "template_uuid", where)
        if template is not None and not UUID.match(template):
            self.say(where, f"template_uuid {template!r} is not a uuid")
        self.decimal(obj, "template_version", where)
        self.decimal(obj, "timestamp", where)
        self.distribution(obj, where, {"0", "1", "2", "3", "4", "5"})
        self.boolean(obj, "deleted", where)
        attributes = obj.get("Attribute")
        if not isinstance(attributes, list) or not attributes:
            self.say(where, "an object without attributes")
            return
        for index, attribute in enumerate(attributes):
            self.attribute(attribute, f"{where}/Attribute/{index}", in_object=True)

    def event(self, event, where):
        if not isinstance(event, dict):
            self.say(where, "not an object")
            return
        self.uuid(event, where)
        info = self.string(event, "info", where)
        if info is not None:
            if not info.strip():
                self.say(where, "info is empty")
            if "\n" in info or "\r" in info:
                self.say(where, "info holds a line break")
            if len(info) > 256:
                self.say(where, "info is longer than 256 characters")
        self.boolean(event, "published", where)
        date = self.string(event, "date", where)
        if date is not None:
            try:
                datetime.date.fromisoformat(date)
                if len(date) != 10:
                    raise ValueError
            except ValueError:
                self.say(where, f"date {date!r} is not YYYY-MM-DD")
        self.decimal(event, "timestamp", where)
        self.decimal(event, "publish_timestamp", where)
        self.level(event, "threat_level_id", where, {"1", "2", "3", "4"})
        self.level(event, "analysis", where, {"0", "1", "2"})
        self.distribution(event, where, {"0", "1", "2", "3", "4"})
        orgc = event.get("Orgc")
        if not isinstance(orgc, dict):
            self.say(where, "Orgc is missing")
        else:
            self.string(orgc, "name", f"{where}/Orgc")
            self.uuid(orgc, f"{where}/Orgc")
        self.tags(event, where)
        for index, attribute in enumerate(event.get("Attribute", [])):
            self.attribute(attribute, f"{where}/Attribute/{index}", in_object=False)
        for index, obj in enumerate(event.get("Object", [])):
            self.object(obj, f"{where}/Object/{index}")


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        with open(argv[1], encoding="utf-8") as file:
            document = json.load(file)
    except (OSError, ValueError) as error:
        print(f"cannot read: {error}", file=sys.stderr)
        return 2
    checker = Checker()
    if isinstance(document, dict) and isinstance(document.get("response"), list):
        events = [(item.get("Event") if isinstance(item, dict) else None, f"/response/{i}/Event")
                  for i, item in enumerate(document["response"])]
    elif isinstance(document, dict) and "Event" in document:
        events = [(document["Event"], "/Event")]
    else:
        events = []
        checker.say("/", "no {\"Event\": ...} and no {\"response\": [...]}")
    for event, where in events:
        checker.uuids = set()
        checker.event(event, where)
    for problem in checker.problems:
        print(problem, file=sys.stderr)
    return 1 if checker.problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
