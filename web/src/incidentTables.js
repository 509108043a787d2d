// Pure logic of the incident pages, in plain JavaScript with its types in incidentTables.d.ts so
// that node's test runner loads it as it is (web/test/incidentTables.test.mjs): the RSIT
// taxonomy as the choice list the analyst picks a classification and type from, and the
// threat report's statistics as the rows of a CSV file.

/**
 * The RSIT classes with their types, in the order of the table (i18n/incidents.json, whose keys
 * `class.<class>` and `type.<class>.<type>` are the taxonomy the server compiles in from
 * data/taxonomy/rsit.json). A class or type code has hyphens but never a dot.
 */
export function rsitTaxonomy(table) {
  const classes = [];
  const byCode = new Map();
  for (const key of Object.keys(table)) {
    const parts = key.split(".");
    if (parts[0] === "class" && parts.length === 2) {
      const entry = { classification: parts[1], types: [] };
      classes.push(entry);
      byCode.set(parts[1], entry);
    }
  }
  for (const key of Object.keys(table)) {
    const parts = key.split(".");
    if (parts[0] === "type" && parts.length === 3) byCode.get(parts[1])?.types.push(parts[2]);
  }
  return classes.filter((entry) => entry.types.length > 0);
}

/** "fraud:phishing" from a pair, and back; the one value of the analyst's choice. */
export function rsitValue(classification, type) {
  return classification && type ? `${classification}:${type}` : "";
}

export function rsitPair(value) {
  const colon = value.indexOf(":");
  if (colon <= 0 || colon === value.length - 1) return { classification: null, type: null };
  return { classification: value.slice(0, colon), type: value.slice(colon + 1) };
}

/**
 * One choice per RSIT type, grouped by class: `{ label, options: [{ value, label }] }`, where
 * the type's label is its name in `language` with the code beside it ("Phishing
 * (fraud:phishing)").
 */
export function rsitChoices(table, language) {
  return rsitTaxonomy(table).map(({ classification, types }) => ({
    label: table[`class.${classification}`][language],
    options: types.map((type) => ({
      value: rsitValue(classification, type),
      label: `${table[`type.${classification}.${type}`][language]} (${classification}:${type})`,
    })),
  }));
}

// The statistics' tables in the order the page shows them, with the field that holds the code.
export const kStatsTables = [
  { name: "by_classification", field: "classification" },
  { name: "by_type", field: "type" },
  { name: "by_cause", field: "cause" },
  { name: "by_impact", field: "impact" },
  { name: "by_member_kind", field: "member_kind" },
];

/**
 * Every count of the statistics as one row for the CSV: the table it is in (`tableName(name)`,
 * in the reader's language), the code ("fraud:phishing" for a type; empty for "unclassified" or
 * "not set"), its name (`label(table, row)`), the count and the share in percent. The totals row
 * comes first.
 */
export function statsRows(stats, tableName, label, totalLabel) {
  const rows = [{ table: totalLabel, code: "", name: totalLabel, count: stats.total, share: stats.total > 0 ? 100 : 0 }];
  for (const { name, field } of kStatsTables) {
    for (const row of stats[name] ?? []) {
      const code = name === "by_type" ? rsitValue(row.classification, row.type) : (row[field] ?? "");
      rows.push({ table: tableName(name), code, name: label(name, row), count: row.count, share: row.share });
    }
  }
  return rows;
}

export const kStatsColumns = ["table", "code", "name", "count", "share"];
