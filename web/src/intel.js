// Threat intelligence in the portal (decision 0023), what the pages reckon without a browser:
// who receives an event with a TLP and a distribution, the request body of a form's indicator
// rows and the refusals that belong to each row, and which feed file is which. Plain JavaScript
// with its types in intel.d.ts, so that node's test runner loads it as it is
// (web/test/intel.test.mjs).

export const kIndicatorKinds = [
  "ip",
  "cidr",
  "domain",
  "host",
  "url",
  "email",
  "md5",
  "sha1",
  "sha256",
  "filename",
  "asn",
  "cve",
  "text",
  "other",
];

export const kDistributions = ["cert", "named", "members", "partners"];

export const kSightingKinds = ["seen", "false_positive", "expired"];

/**
 * Who outside the CERT receives an event, as intel::MayReceive decides it (src/intel/sharing.cc):
 * TLP decides, distribution narrows. The one who shares it and the CERT always read it.
 *   "cert"      nobody else (the "cert" distribution, TLP:RED, or an unknown level)
 *   "nobody"    AMBER, AMBER+STRICT or the "named" distribution without members named
 *   "named"     the members named (AMBER: whatever the distribution says)
 *   "namedOwn"  the members named, each for its own organisation only (AMBER+STRICT)
 *   "members"   every member (CLEAR or GREEN to all members)
 *   "partners"  every member and the CERT's partners (CLEAR or GREEN, "partners")
 */
export function receivers(tlp, distribution, namedCount) {
  if (distribution === "cert" || !["CLEAR", "GREEN", "AMBER", "AMBER+STRICT"].includes(tlp)) return "cert";
  if (tlp === "AMBER+STRICT") return namedCount > 0 ? "namedOwn" : "nobody";
  if (tlp === "AMBER" || distribution === "named") return namedCount > 0 ? "named" : "nobody";
  return distribution === "partners" ? "partners" : "members";
}

/** A form's indicator row as the page keeps it: text as typed, a date as YYYY-MM-DD. */
export function emptyIndicatorRow() {
  return { value: "", kind: "", for_detection: true, valid_until: "", comment: "" };
}

/**
 * The body's indicators for the rows that have a value (an empty row is left out, not refused),
 * and for each of them the row of the form it came from: the server names a problem by its
 * place in the body ("indicators[1].value"), the page shows it at the row.
 * A date "valid until" is the start of that day in UTC, as the API wants a time.
 */
export function indicatorsBody(rows) {
  const indicators = [];
  const rowOf = [];
  rows.forEach((row, index) => {
    const value = row.value.trim();
    if (value === "") return;
    const indicator = { value, for_detection: row.for_detection };
    if (row.kind) indicator.kind = row.kind;
    if (/^\d{4}-\d{2}-\d{2}$/.test(row.valid_until)) indicator.valid_until = `${row.valid_until}T00:00:00Z`;
    else if (row.valid_until.trim() !== "") indicator.valid_until = row.valid_until.trim();
    if (row.comment.trim() !== "") indicator.comment = row.comment.trim();
    indicators.push(indicator);
    rowOf.push(index);
  });
  return { indicators, rowOf };
}

/**
 * A refusal's problems sorted by where they belong: `rows` maps a form row to its problems,
 * each with the column it names ("value", "kind", …, or "" for the row as a whole); `fields`
 * maps a top-level field ("title", "named") to its problems; `other` is what names no field.
 * `problems` are {code, params} items (the refusal's own and its `errors`); `rowOf` as
 * indicatorsBody gives it.
 */
export function placeProblems(problems, rowOf) {
  const rows = new Map();
  const fields = new Map();
  const other = [];
  for (const problem of problems) {
    const field = problem.params?.field;
    const row = typeof field === "string" ? /^indicators\[(\d+)\](?:\.(\w+))?$/.exec(field) : null;
    if (row && rowOf[Number(row[1])] !== undefined) {
      const index = rowOf[Number(row[1])];
      if (!rows.has(index)) rows.set(index, []);
      rows.get(index).push({ column: row[2] ?? "", code: problem.code, params: problem.params });
    } else if (typeof field === "string" && /^\w+$/.test(field)) {
      if (!fields.has(field)) fields.set(field, []);
      fields.get(field).push({ code: problem.code, params: problem.params });
    } else {
      other.push(problem);
    }
  }
  return { rows, fields, other };
}

/**
 * The problems of a refusal as one list: the refusal's own code when it is a specific one (a
 * list of problems comes with a general code and each problem in `errors`).
 */
export function problemsOf(error) {
  const list = [];
  const general = ["invalid_argument", "problems.several", undefined];
  if (!general.includes(error.code) || !error.errors || error.errors.length === 0) {
    list.push({ code: error.code, params: error.params });
  }
  for (const item of error.errors ?? []) list.push({ code: item.code, params: item.params });
  return list;
}

const kFollowFields = ["url", "distribution", "named"];

/**
 * The field of the form to follow a feed (POST /intel/followed) that a refusal's problem
 * belongs to, or null: a field's type or length names it in `params.field` ("named[1]" is the
 * members named); the feed's own refusals name none, and their code says which field it is.
 */
export function followFieldOf(problem) {
  const field = problem.params?.field;
  const name = typeof field === "string" ? /^(\w+)/.exec(field)?.[1] : undefined;
  if (name && kFollowFields.includes(name)) return name;
  if (problem.code === "intel.feed_url_invalid" || problem.code === "intel.feed_url_plain") return "url";
  if (problem.code === "intel.distribution_unknown") return "distribution";
  return null;
}

// How far back the stored findings are searched, in days: a week, a month, a quarter. The API
// allows up to 365, but it reads every finding of the window, so the page offers no more.
export const kFeedMatchDays = [7, 30, 90];

/**
 * The matches of GET /intel/…/feed-events in the order the page shows them: the newest first,
 * and the rows of one finding (which may hold several of an event's values) together.
 */
export function sortFeedMatches(matches) {
  const time = (match) => {
    const parsed = Date.parse(match.observed);
    return Number.isNaN(parsed) ? -Infinity : parsed;
  };
  return [...matches].sort(
    (a, b) =>
      time(b) - time(a) || b.event - a.event || a.value.localeCompare(b.value) || a.field.localeCompare(b.field),
  );
}

// The files of a member's feed, in the order the page explains them, by the name the API uses.
const kFeedFiles = {
  "ip.txt": "ip",
  "domains.txt": "domains",
  "rpz.zone": "rpz",
  "suricata.rules": "suricata",
  "misp.json": "misp",
  "misp-feed/manifest.json": "mispFeed",
  "misp-feed/hashes.csv": "mispHashes",
  "stix.json": "stix",
  "indicators.csv": "csv",
};

/** What a feed file is for, as a word the page's table of texts knows, or null for a new one. */
export function feedFileKind(name) {
  return Object.hasOwn(kFeedFiles, name) ? kFeedFiles[name] : null;
}

/** The feed's files in the page's order (what it explains first), unknown ones last. */
export function sortFeedFiles(files) {
  const order = Object.keys(kFeedFiles);
  const rank = (file) => {
    const at = order.indexOf(file.name);
    return at < 0 ? order.length : at;
  };
  return [...files].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}

/** A feed URL as one to copy: absolute, on the portal's own origin when the API gave a path. */
export function absoluteUrl(url, origin) {
  try {
    return new URL(url, origin).toString();
  } catch {
    return url;
  }
}
