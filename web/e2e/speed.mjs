// How fast the portal's pages are with a full constituency: 400 members, 100,000 findings, the
// advisories of tests/data and the messages `baken notify` sends for them. Not a test (timing
// belongs in a measurement, machines are noisy): `make portal-speed` runs it on the release build
// and it prints a table for docs/performance.md and keeps the figures in
// <artefacts>/speed/speed.json.
//
// For each page it measures, in Debian's Chromium on loopback:
// - "menu": from a click on the page's menu item (the portal already loaded) until its first
//   page is on screen;
// - "reload": a full reload of the page's address (index.html again, the hashed files from the
//   browser's cache) until its first page is on screen;
// - "API": the longest /api/v1 request the reload made, as the browser timed it.
// "On screen" is: the heading drawn, nothing loading or busy, and, for a list, its first row.
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { World, artifactsDir, bakenBinary, launchBrowser, sourceDir, stopAll } from "./harness.mjs";
import { apiInPage, openPage, signIn } from "./pages.mjs";

const kMembers = 400;
const kEvents = 100_000;
const kUnrouted = 20_000; // of kEvents, in no member's range
const kRuns = Number(process.env.SPEED_RUNS ?? 5);
const kAnalyst = { email: "analist@cert.example.nl", password: "lang genoeg wachtwoord 2" };
const kMember = { email: "soc@gm0001.example.nl", password: "lang genoeg wachtwoord 1" };
const folder = join(artifactsDir, "speed");

const code = (i) => `GM${String(i).padStart(4, "0")}`;
// Member i (1-based) owns 10.(i / 256).(i % 256).0/24; unrouted findings come from 100.64.0.0/10.
const memberRange = (i) => `10.${i >> 8}.${i & 255}`;

function membersFile(world) {
  const members = [];
  for (let i = 1; i <= kMembers; i++) {
    members.push({
      code: code(i),
      name: `Gemeente ${code(i)}`,
      kind: "gemeente",
      contacts: [
        { name: `SOC ${code(i)}`, email: `soc@${code(i).toLowerCase()}.example.nl`, roles: ["general", "trusted"] },
      ],
      netblocks: [`${memberRange(i)}.0/24`],
      asns: [],
      domains: [`${code(i).toLowerCase()}.example.nl`],
      // Every tenth member runs the product the advisory 2022-EVD-UC-06-001 in tests/data warns
      // about, so that warnings are there to list.
      assets:
        i % 10 === 1
          ? [{ name: "Kassasysteem", vendor: "Example Company", product: "ABC", version: "2.6", criticality: "high", internet_facing: true }]
          : [],
    });
  }
  const path = join(world.dir, "members.json");
  writeFileSync(path, JSON.stringify({ members }));
  return path;
}

// Shadowserver RDP scan reports, one per day over the last eight weeks, together kEvents
// findings: (kEvents - kUnrouted) spread over the members, the rest unrouted.
function reportFiles(world) {
  const days = 56;
  const perDay = Math.ceil(kEvents / days);
  const files = [];
  let written = 0;
  for (let day = days - 1; day >= 0 && written < kEvents; day--) {
    const date = new Date(Date.now() - day * 86_400_000 - 3_600_000);
    const stamp = date.toISOString().slice(0, 19).replace("T", " ");
    const lines = ['"timestamp","ip","protocol","port","hostname","asn","geo"'];
    for (let n = 0; n < perDay && written < kEvents; n++, written++) {
      let address;
      if (written < kEvents - kUnrouted) {
        const member = (written % kMembers) + 1;
        const host = Math.floor(written / kMembers);
        address = `${memberRange(member)}.${host % 250}`;
        // Another port for each round through a member's 250 addresses keeps findings apart.
        lines.push(`"${stamp}","${address}","tcp",${3389 + Math.floor(host / 250)},,64500,"NL"`);
      } else {
        const k = written - (kEvents - kUnrouted);
        address = `100.${64 + (k >> 16)}.${(k >> 8) & 255}.${k & 255}`;
        lines.push(`"${stamp}","${address}","tcp",3389,,64512,"NL"`);
      }
    }
    const path = join(world.dir, `${date.toISOString().slice(0, 10)}-scan_rdp-nl-geo.csv`);
    writeFileSync(path, lines.join("\n") + "\n");
    files.push(path);
  }
  return files;
}

// Heading drawn, nothing loading, and for a list its first row (or that it is empty).
async function shown(page, list) {
  await page.waitForFunction(
    (list) =>
      document.querySelector("main h1") &&
      !document.querySelector(".baken-loading, [aria-busy='true']") &&
      (!list || document.querySelector("main table tbody tr, main .baken-empty")),
    list,
    { polling: "raf", timeout: 60_000 },
  );
}

async function slowestApi(page) {
  return page.evaluate(() =>
    Math.round(
      Math.max(
        0,
        ...performance
          .getEntriesByType("resource")
          .filter((entry) => entry.name.includes("/api/v1/"))
          .map((entry) => entry.duration),
      ),
    ),
  );
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

// Times one page `kRuns` times each way; `away` is another menu item to leave to in between.
async function measure(page, url, { path, menu, away, list }) {
  const figures = { menu: [], reload: [], api: [] };
  await page.goto(`${url}${path}`);
  await shown(page, list);
  for (let run = 0; run < kRuns; run++) {
    if (menu) {
      await page.getByRole("navigation").getByRole("link", { name: away, exact: true }).click();
      await page.waitForFunction((path) => location.pathname !== path, path);
      await shown(page, false);
      const begin = Date.now();
      await page.getByRole("navigation").getByRole("link", { name: menu, exact: true }).click();
      await shown(page, list);
      figures.menu.push(Date.now() - begin);
    }
    const begin = Date.now();
    await page.reload();
    await shown(page, list);
    figures.reload.push(Date.now() - begin);
    figures.api.push(await slowestApi(page));
  }
  return figures;
}

async function main() {
  mkdirSync(folder, { recursive: true });
  const world = new World();
  const started = Date.now();
  world.baken(["member", "import", membersFile(world)]);
  world.addUser(kAnalyst.email, "analyst", null, kAnalyst.password);
  world.addUser(kMember.email, "member", code(1), kMember.password);
  const reports = reportFiles(world);
  for (let i = 0; i < reports.length; i += 8) world.baken(["ingest", ...reports.slice(i, i + 8)]);
  const csaf = join(sourceDir, "tests/data/advisories/csaf");
  world.baken(["advisory", "import", join(csaf, "2022-evd-uc-06-001.json"), join(csaf, "bsi-2022-0001.json")]);
  await world.startSmtp();
  world.baken(["notify", "--smtp", world.smtpUrl, "--retry-seconds", "0"]);
  const seeded = Math.round((Date.now() - started) / 1000);
  await world.serve();
  const browser = await launchBrowser();

  const analystPages = [
    { name: "members (400)", path: "/", menu: "Leden", away: "Opzoeken", list: true },
    { name: "unrouted findings (20,000)", path: "/unrouted", menu: "Niet toegewezen", away: "Leden", list: true },
    { name: "a member's findings (200)", path: `/members/${code(2)}/events`, list: true },
    { name: "claims to review", path: "/claims", menu: "Te beoordelen", away: "Leden", list: false },
    { name: "advisories", path: "/advisories", menu: "Beveiligingsadviezen", away: "Leden", list: true },
    { name: "outbox (400+ messages)", path: "/outbox", menu: "Uitgaande berichten", away: "Leden", list: true },
    { name: "warnings", path: "/warnings", menu: "Kwetsbaarheden", away: "Leden", list: true },
    { name: "a member's data", path: `/members/${code(2)}`, list: true },
    { name: "unrouted by network", path: "/unrouted/groups", menu: "Toewijzen", away: "Leden", list: true },
    { name: "analysts' overview", path: "/overview", menu: "Overzicht", away: "Leden", list: false },
    { name: "an advisory", path: "/advisories/BSI-2022-0001", list: false },
    { name: "lookup of an address", path: "/lookup?value=10.0.1.5", list: false },
    { name: "account", path: "/account", menu: "Account", away: "Leden", list: false },
  ];
  const memberPages = [
    { name: "member overview", path: "/", menu: "Overzicht", away: "Account", list: false },
    { name: "member findings (200)", path: `/members/${code(1)}/events`, menu: "Bevindingen", away: "Overzicht", list: true },
    { name: "member warnings", path: "/warnings", menu: "Kwetsbaarheden", away: "Overzicht", list: true },
    { name: "member messages", path: "/messages", menu: "Verstuurde e-mails", away: "Overzicht", list: true },
  ];
  const results = [];
  let stored = null;
  for (const [who, pages] of [
    [kAnalyst, analystPages],
    [kMember, memberPages],
  ]) {
    const page = await openPage(browser);
    await signIn(page, world.url, who);
    if (who === kAnalyst) {
      const newest = (await apiInPage(page, "/events?limit=1&newest=true")).body;
      stored = newest.total;
      const warning = (await apiInPage(page, "/warnings?limit=1")).body.warnings[0];
      pages.push({ name: "a finding", path: `/events/${newest.events[0]["baken.id"]}`, list: false });
      if (warning) pages.push({ name: "a warning", path: `/warnings/${warning.id}`, list: true });
    }
    for (const spec of pages) {
      // A menu item that is not there (renamed) is measured by reload only, and said so.
      const hasMenu =
        spec.menu &&
        (await page.getByRole("navigation").getByRole("link", { name: spec.menu, exact: true }).count()) > 0 &&
        (await page.getByRole("navigation").getByRole("link", { name: spec.away, exact: true }).count()) > 0;
      const figures = await measure(page, world.url, { ...spec, menu: hasMenu ? spec.menu : null });
      results.push({ page: spec.name, path: spec.path, ...figures });
      console.error(`${spec.name}: menu ${figures.menu.join(", ") || "–"}; reload ${figures.reload.join(", ")}`);
    }
    await page.context().close();
  }

  const report = {
    date: new Date().toISOString(),
    baken: bakenBinary,
    members: kMembers,
    events: stored,
    seededSeconds: seeded,
    runs: kRuns,
    cpus: cpus().length,
    loadAverage: loadavg().map((load) => Number(load.toFixed(2))),
    results,
  };
  writeFileSync(join(folder, "speed.json"), JSON.stringify(report, null, 2) + "\n");
  const ms = (values) => (values.length ? `${median(values)} (${Math.min(...values)}–${Math.max(...values)})` : "–");
  console.log(`| page | first page via the menu (ms) | full reload (ms) | slowest API request (ms) |`);
  console.log(`| --- | --- | --- | --- |`);
  for (const result of results) {
    console.log(`| ${result.page} | ${ms(result.menu)} | ${ms(result.reload)} | ${ms(result.api)} |`);
  }
  console.log(`\nmedian (min–max) of ${kRuns} runs; load average ${report.loadAverage.join(" ")}; seeded in ${seeded} s`);
}

try {
  await main();
} finally {
  const reports = await stopAll();
  if (reports.length > 0) {
    console.error(reports.join("\n"));
    process.exitCode = 1;
  }
}
