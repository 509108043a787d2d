// Helpers for the inventory editor. Plain JavaScript with its types in inventory.d.ts, so that
// node's test runner loads it as it is (web/test/inventory.test.mjs).
import { csvText } from "./csv.js";

// The inventory CSV's columns and values as the server reads them (src/registry/asset_csv.cc),
// in the reader's language: a Dutch spreadsheet with Dutch headers and words, or the API's own.
const kInventoryFormat = {
  nl: {
    columns: ["Naam", "Leverancier", "Product", "Versie", "Belang", "Aan internet", "CPE", "PURL"],
    criticality: { low: "laag", medium: "gemiddeld", high: "hoog", critical: "kritiek" },
    yes: "ja",
    no: "nee",
    example: "Thuiswerkportaal",
  },
  en: {
    columns: ["name", "vendor", "product", "version", "criticality", "internet_facing", "cpe", "purl"],
    criticality: { low: "low", medium: "medium", high: "high", critical: "critical" },
    yes: "yes",
    no: "no",
    example: "Remote work portal",
  },
};

// One example row, so that the template shows how each column is written; the CPE is the name
// the NVD gives this product, which matching reads before vendor and product. A version with a
// build number, since Dutch Excel would turn "13.1" into the 13th of January.
const kExampleAsset = {
  vendor: "Citrix",
  product: "NetScaler Gateway",
  version: "13.1-49.15",
  criticality: "high",
  internet_facing: true,
  cpe: "cpe:2.3:a:citrix:netscaler_gateway:13.1-49.15:*:*:*:*:*:*:*",
  purl: null,
};

/**
 * `assets` as an inventory CSV file (";" separated, with a BOM, as Dutch Excel opens it) with
 * the column names and values of `language` ("nl" or "en"); the server reads the file back as
 * it is written.
 */
export function inventoryCsv(assets, language) {
  const format = kInventoryFormat[language] ?? kInventoryFormat.en;
  const [name, vendor, product, version, criticality, internet, cpe, purl] = format.columns;
  const rows = assets.map((asset) => ({
    [name]: asset.name,
    [vendor]: asset.vendor,
    [product]: asset.product,
    [version]: asset.version ?? "",
    [criticality]: format.criticality[asset.criticality ?? "medium"] ?? "",
    [internet]: asset.internet_facing ? format.yes : format.no,
    [cpe]: asset.cpe ?? "",
    [purl]: asset.purl ?? "",
  }));
  return csvText(format.columns, rows);
}

/** A template to fill in: the header of `language` and one example row. */
export function inventoryTemplate(language) {
  const format = kInventoryFormat[language] ?? kInventoryFormat.en;
  return inventoryCsv([{ ...kExampleAsset, name: format.example }], language);
}

/**
 * How many rows of data a CSV file holds, as the server's reader counts them (common/
 * csv_reader.h): the first line names the columns, empty lines are skipped, and a line break
 * inside quotes belongs to the field.
 */
export function countCsvRecords(text) {
  const body = text.replace(/^\uFEFF/, "");
  let records = 0;
  let inQuotes = false;
  let lineHasData = false;
  let header = true;
  for (let i = 0; i <= body.length; i++) {
    const c = i < body.length ? body[i] : "\n";
    if (inQuotes) {
      if (c === '"') inQuotes = false;
      continue;
    }
    if (c === '"') {
      inQuotes = true;
      lineHasData = true;
    } else if (c === "\n") {
      if (lineHasData) {
        if (header) header = false;
        else records++;
      }
      lineHasData = false;
    } else if (c !== "\r") {
      lineHasData = true;
    }
  }
  return records;
}

// A CPE 2.3 formatted string's fields, split at colons that are not escaped.
function cpeFields(cpe) {
  const fields = [];
  let field = "";
  for (let i = 0; i < cpe.length; i++) {
    if (cpe[i] === "\\" && i + 1 < cpe.length) {
      field += cpe[i] + cpe[i + 1];
      i++;
    } else if (cpe[i] === ":") {
      fields.push(field);
      field = "";
    } else {
      field += cpe[i];
    }
  }
  fields.push(field);
  return fields;
}

const kCpeVersion = 5; // cpe:2.3:part:vendor:product:version:...

/**
 * `asset` with its version changed to `version`, also where the version is written inside its
 * CPE name or package URL: matching reads the version there first (advisories/matcher.cc), so
 * a patched version typed only in the field would change nothing. A CPE or purl whose version
 * is not the old one (a range, "*", another spelling) is left as it is.
 */
export function withVersion(asset, version) {
  const next = { ...asset };
  if (version === "" || version === asset.version) return next;
  const old = asset.version ?? "";
  if (old !== "" && typeof asset.cpe === "string" && asset.cpe.startsWith("cpe:2.3:") && /^[\x21-\x7e]+$/.test(version)) {
    const fields = cpeFields(asset.cpe);
    if (fields.length > kCpeVersion && fields[kCpeVersion].replace(/\\(.)/g, "$1") === old) {
      fields[kCpeVersion] = version.replace(/[^A-Za-z0-9._-]/g, "\\$&");
      next.cpe = fields.join(":");
    }
  }
  if (old !== "" && typeof asset.purl === "string") {
    const match = /^([^?#]*)@([^@?#]*)((?:[?#].*)?)$/.exec(asset.purl);
    if (match) {
      let current = null;
      try {
        current = decodeURIComponent(match[2]);
      } catch {
        current = null;
      }
      if (current === old) next.purl = `${match[1]}@${encodeURIComponent(version)}${match[3]}`;
    }
  }
  return next;
}
