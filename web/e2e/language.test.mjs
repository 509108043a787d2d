// Dutch wherever a Dutch reader reads, English wherever an English one does (issue 13): every
// route of the portal, as a member and as an admin, in both languages, with data that fills
// every page (findings of several feeds, one of them named by the operator, a held TLP:RED
// message, a released one, warnings, a pending claim, rejected rows in an upload).
//
// What is read: the text of the page a person sees or hears (text nodes, aria-label, title,
// placeholder), except what someone entered or a source wrote in its own language: elements
// marked data-user-content (names, advisory titles, e-mail subjects, IP addresses; see
// components/UserText.tsx and Table's `userContent`) and elements whose `lang` is the other
// language (the language switch). Checked on it:
//   (a) no code of a translation table or of the server shows: keys of src/messages.ts and
//       i18n/*.json, event types, untranslated Shadowserver report names, and nothing that
//       looks like a code (snake_case words, dotted lower-case keys);
//   (b) none of the other language's tell-tale words.
// Whether each table has both languages is web/test/i18n.test.mjs; here the pages are read.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { World, artifactsDir, launchBrowser, sourceDir, stopAll, webDir } from "./harness.mjs";
import { apiInPage, signIn, withPage } from "./pages.mjs";
import { solveProof } from "../src/proofOfWork.js";

const kAdmin = { email: "beheer@cert.example.nl", password: "lang genoeg wachtwoord 0" };
const kMember = { email: "soc@amsterdam.example.nl", password: "lang genoeg wachtwoord 1" };
const kOperatorFeed = "Partner-CERT melding";

const screenshots = join(artifactsDir, "language");
let badRowReport;
let world;
let browser;

// The routes of src/App.tsx, read from its source so that a new route cannot be missed: the
// test fails until the route is in kRoutes below (with the values its parameters take).
function appRoutes() {
  const source = readFileSync(join(webDir, "src/App.tsx"), "utf8");
  return [...source.matchAll(/<Route path="([^"]+)"/g)].map((match) => match[1]).sort();
}

// Every route, who may see it, and how to fill in its parameters from the seeded data.
const kRoutes = {
  "/": { member: true, staff: true },
  "/members/:code": { member: true, staff: true, path: () => "/members/GM0363" },
  "/members/:code/events": { member: true, staff: true, path: () => "/members/GM0363/events" },
  "/members/:code/breaches": { member: true, staff: true, path: () => "/members/GM0363/breaches" },
  "/members/:code/partners": { member: true, staff: true, path: () => "/members/GM0363/partners" },
  "/events/:id": { member: true, staff: true, path: (ids) => `/events/${ids.event}` },
  "/warnings": { member: true, staff: true },
  "/warnings/:id": { member: true, staff: true, path: (ids) => `/warnings/${ids.warning}` },
  "/account": { member: true, staff: true },
  "/messages": { member: true },
  "/lookup": { staff: true, path: () => "/lookup?value=192.0.2.10" },
  "/claims": { staff: true },
  "/upload": { staff: true },
  "/unrouted": { staff: true },
  "/unrouted/groups": { staff: true },
  "/overview": { staff: true },
  "/advisories": { staff: true },
  "/advisories/:id": { staff: true, path: () => "/advisories/BSI-2022-0001" },
  "/outbox": { staff: true },
  "/outbox/:id": { staff: true, path: (ids) => `/outbox/${ids.message}` },
  "/users": { staff: true },
  "/incidents": { member: true, staff: true },
  "/incidents/:id": { member: true, staff: true, path: (ids) => `/incidents/${ids.incident}` },
  "/incidents/new": { member: true },
  "/disclosure/notifications": { member: true },
  "/disclosure/notifications/:id": { member: true, path: (ids) => `/disclosure/notifications/${ids.notification}` },
  "/statistics/incidents": { staff: true },
  "/disclosure/reports": { staff: true },
  "/disclosure/reports/:id": { staff: true, path: (ids) => `/disclosure/reports/${ids.report}` },
  "/statistics/reports": { staff: true },
  "/partners": { staff: true },
  "/oncall": { staff: true },
  "/pages": { staff: true },
  "/pages/:id": { staff: true, path: (ids) => `/pages/${ids.page}` },
  "/policies": { staff: true },
  "/contact-methods": { staff: true },
  "/jobs": { staff: true },
  "/partners/:id": { staff: true, path: (ids) => `/partners/${ids.partner}` },
  "/intel": { member: true, staff: true },
  "/intel/new": { member: true, staff: true },
  "/intel/events/:id": { member: true, staff: true, path: (ids) => `/intel/events/${ids.intelEvent}` },
  "/intel/indicators": { member: true, staff: true },
  "/intel/indicators/:id": { member: true, staff: true, path: (ids) => `/intel/indicators/${ids.indicator}` },
  "/intel/feed": { member: true, staff: true, path: () => "/intel/feed?member=GM0363" },
  "/intel/import": { staff: true },
  "/intel/followed": { staff: true },
  "*": { member: true, staff: true, path: () => "/no/such/page" },
};

// (a) Codes: every key of the translation tables, and the raw names and types they translate.
function codes() {
  const tables = ["problems.json", "labels.json", "feeds.json", "incidents.json"].map((file) =>
    JSON.parse(readFileSync(join(sourceDir, "i18n", file), "utf8")),
  );
  const messages = readFileSync(join(webDir, "src/messages.ts"), "utf8");
  const events = readFileSync(join(webDir, "src/eventText.ts"), "utf8");
  const list = new Set([
    ...Object.keys(tables[0]),
    ...Object.keys(tables[1]),
    ...Object.keys(tables[2]), // Shadowserver's own names: shown only through the table
    ...Object.keys(tables[3]),
    ...[...messages.matchAll(/^ {2}"([a-zA-Z]+\.[a-zA-Z.]+)":/gm)].map((match) => match[1]),
    ...[...events.slice(events.indexOf("kEventTypes"), events.indexOf("] as const")).matchAll(/"([a-z0-9]+-[a-z0-9-]+)"/g)].map(
      (match) => match[1], // the types with a hyphen: "other" or "malware" are words as well
    ),
    "vendor_fix",
    "none_available",
    "no_fix_planned",
  ]);
  return [...list].filter((code) => code.length > 3);
}

// (b) Words that give the other language away; short and common, so that a sentence left
// untranslated shows. Product names and abbreviations both languages use are not on them.
const kTellTale = {
  // on an English page
  nl: ["de", "het", "een", "niet", "van", "voor", "geen", "naar", "wordt", "zijn", "uw", "bij", "Opslaan",
    "Verwijderen", "Annuleren", "Toevoegen", "Wijzigen", "Zoeken", "Uitloggen", "Bevindingen", "melding",
    "meldingen", "Leden", "bereikbaar", "kwetsbaar", "hoog", "laag", "normaal", "Oplossing", "leverancier"],
  // on a Dutch page
  en: ["the", "and", "with", "not", "your", "you", "are", "this", "which", "Save", "Cancel", "Remove", "Add",
    "Edit", "Search", "Warning", "Warnings", "Sign", "Members", "Events", "Loading", "reachable", "from",
    "high", "low", "found", "Accessible", "Vulnerable", "Compromised", "released", "by"],
};

// The text a person reads on the page, without entered or source text.
// `strict`: also what is marked as being in the other language (lang="en" on a Dutch page).
async function readableText(page, language, strict = false) {
  return page.evaluate(({ language, strict }) => {
    const skip = (element) =>
      element.closest("[data-user-content], script, style, noscript") !== null ||
      (!strict && (element.closest("[lang]")?.getAttribute("lang") ?? language) !== language);
    const parts = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || skip(parent) || !node.textContent.trim()) continue;
      if (!parent.checkVisibility() && !parent.closest(".utrecht-skip-link, .visually-hidden, [class*=sr-only]")) continue;
      parts.push(node.textContent.trim());
    }
    for (const element of document.body.querySelectorAll("[aria-label], [title], [placeholder]")) {
      if (skip(element)) continue;
      for (const name of ["aria-label", "title", "placeholder"]) {
        const value = element.getAttribute(name);
        if (value) parts.push(value);
      }
    }
    return parts.join("\n");
  }, { language, strict });
}

function check(text, language, where) {
  // E-mail addresses, web addresses, domain names and file names are data wherever they
  // stand; `internet_facing` is the English inventory's column, which the reader types.
  const plain = text
    .replace(/[\w.+-]+@[\w.-]+/g, " ")
    .replace(/https?:\/\/\S+/g, " ")
    .replace(/\b[\w-]+(\.[\w-]+)*\.(nl|com|org|net|eu|example)\b/g, " ")
    .replace(/[\w.-]+\.(csv|json|gz|txt|zone|rules)\b/g, " ")
    .replace(/\binternet_facing\b/g, " ");
  const problems = [];
  for (const code of codes()) {
    const escaped = code.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    if (new RegExp(`(^|[^\\w.-])${escaped}($|[^\\w-])`).test(plain)) problems.push(`shows the code "${code}"`);
  }
  for (const match of plain.matchAll(/\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b|\b[a-z]+(?:\.[a-z][a-zA-Z0-9]+)+\b/g)) {
    problems.push(`shows what looks like a code: "${match[0]}"`);
  }
  const other = language === "nl" ? "en" : "nl";
  for (const word of kTellTale[other]) {
    const found = new RegExp(`(^|[^\\p{L}\\p{N}-])${word}($|[^\\p{L}\\p{N}-])`, "u").exec(plain);
    if (found) {
      const at = found.index;
      problems.push(`has the ${other} word "${word}" in "…${plain.slice(Math.max(0, at - 40), at + 40).replace(/\s+/g, " ")}…"`);
    }
  }
  assert.deepEqual([...new Set(problems)], [], `${where}:\n${text}`);
}

function writeReport(name, text) {
  const path = join(world.dir, name);
  writeFileSync(path, text);
  return path;
}

before(async () => {
  rmSync(screenshots, { recursive: true, force: true });
  mkdirSync(screenshots, { recursive: true });
  world = new World();
  world.baken(["member", "import", join(sourceDir, "tests/data/advisories/members.json")]);
  world.addUser(kAdmin.email, "admin", null, kAdmin.password);
  world.addUser(kMember.email, "member", "GM0363", kMember.password);
  const csaf = join(sourceDir, "tests/data/advisories/csaf");
  world.baken(["advisory", "import", join(csaf, "2022-evd-uc-06-001.json"), join(csaf, "bsi-2022-0001.json")]);
  // Findings of several Shadowserver reports in Amsterdam's range (a compromised website, an
  // open SMB server, an SSL FREAK server, one row of which is broken), a TLP:RED one whose
  // message is held, and one from a feed the operator named.
  const hourAgo = new Date(Date.now() - 3600_000).toISOString().slice(0, 19).replace("T", " ");
  world.baken([
    "ingest",
    writeReport(
      "2026-11-21-compromised_website-nl.csv",
      '"timestamp","ip","port","hostname","tag","application","asn","geo","url","http_host","category"\n' +
        `"${hourAgo}","192.0.2.10",80,"www.amsterdam.example.nl","hacked-webserver","http",64500,"NL","/x.php","www.amsterdam.example.nl","malware"\n`,
    ),
  ]);
  // The broken row makes the command exit 1; the other row is stored.
  const withRejectedRow = (args) => {
    try {
      world.baken(args);
    } catch (error) {
      if (error.status !== 1) throw error;
    }
  };
  withRejectedRow([
    "ingest",
    writeReport(
      "2026-11-21-scan_smb-nl.csv",
      '"timestamp","ip","port","hostname","tag","asn","geo","smbv1_support"\n' +
        `"${hourAgo}","192.0.2.11",445,"files.amsterdam.example.nl","smb",64500,"NL","Y"\n` +
        `"${hourAgo}","999.1.2.3",445,"","smb",64500,"NL","Y"\n`,
    ),
  ]);
  world.baken([
    "ingest",
    "--tlp",
    "RED",
    writeReport("2026-11-21-scan_ssl_freak-nl.csv", `timestamp,ip,port\n${hourAgo},192.0.2.12,443\n`),
  ]);
  const partner = {
    "feed.name": kOperatorFeed,
    "source.ip": "192.0.2.13",
    "classification.taxonomy": "intrusions",
    "classification.type": "system-compromise",
    "time.source": new Date(Date.now() - 3600_000).toISOString(),
  };
  world.baken(["ingest", "--feed", "intelmq", writeReport("partner.jsonl", `${JSON.stringify(partner)}\n`)]);
  badRowReport = writeReport(
    "2026-11-22-scan_smb-upload.csv",
    '"timestamp","ip","port","hostname","tag","asn","geo","smbv1_support"\n' +
      `"${hourAgo}","192.0.2.14",445,"","smb",64500,"NL","Y"\n"${hourAgo}","999.1.2.3",445,"","smb",64500,"NL","Y"\n` +
      `"${hourAgo}","192.0.2.15",445\n`, // short of trailing fields: read, with a note

  );
  // Threat intelligence for all members (GREEN), with values no member owns, so that the intel
  // pages show an event and an indicator.
  world.baken([
    "intel",
    "import",
    writeReport("indicators.txt", "2001:db8::99\tscanner\nboos.example.org\n"),
    "--tlp",
    "GREEN",
    "--distribution",
    "members",
  ]);
  await world.startSmtp();
  world.baken(["notify", "--smtp", world.smtpUrl, "--retry-seconds", "0"]);
  // A researcher's report about Amsterdam's range, through the public form's API (with a small
  // proof of work), so that the member's report pages show.
  const config = join(world.dir, "baken.json");
  writeFileSync(config, JSON.stringify({ disclosure: { proof_of_work_bits: 8 } }));
  await world.serve({ config });
  const challenge = await (await fetch(`${world.url}/api/v1/reports/vulnerability/challenge`)).json();
  const reported = await fetch(`${world.url}/api/v1/reports/vulnerability`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      title: "Open beheerpoort",
      description: "De beheerpoort van de server staat open.",
      ips: ["192.0.2.20"],
      challenge: challenge.challenge,
      nonce: await solveProof(challenge.challenge, challenge.bits),
    }),
  });
  assert.equal(reported.status, 201, await reported.text());
  browser = await launchBrowser();
});

after(async () => {
  const reports = await stopAll();
  assert.deepEqual(reports, [], "a sanitizer reported a problem in a process the tests ran");
});

test("the walk covers every route of the portal", () => {
  assert.deepEqual(appRoutes(), Object.keys(kRoutes).sort());
});

for (const [who, user] of [
  ["member", kMember],
  ["staff", kAdmin],
]) {
  describe(`as ${who}`, () => {
    for (const language of ["nl", "en"]) {
      test(`every page reads in ${language === "nl" ? "Dutch" : "English"} only`, () =>
        withPage(
          browser,
          `${who} ${language}`,
          async (page) => {
            await signIn(page, world.url, user);
            await page.evaluate((language) => window.localStorage.setItem("baken.language", language), language);
            // The ids of one finding and one warning this user can see.
            const events = await apiInPage(page, "/events?member=GM0363&limit=50");
            const partner = events.body.events.find((event) => event["feed.name"] === kOperatorFeed);
            assert.ok(partner, "the operator's feed's finding is not there");
            const warnings = await apiInPage(page, "/warnings");
            assert.ok(warnings.body.warnings.length > 0, "no warning to show");
            const ids = {
              event: events.body.events.find((event) => event["feed.name"] === "Compromised-Website")["baken.id"],
              warning: warnings.body.warnings[0].id,
            };
            // An incident this user sees: the member's report, which staff then classify and
            // fill with a task, a coordination note and a link, so that every part shows.
            const incidents = (await apiInPage(page, "/incidents?limit=1")).body.incidents;
            ids.incident =
              incidents[0]?.id ??
              (
                await apiInPage(page, "/incidents", "POST", {
                  title: "Verdachte e-mail",
                  tlp: "AMBER",
                  ...(who === "staff" ? { members: ["GM0363"] } : { description: "Een medewerker kreeg een vreemde e-mail." }),
                })
              ).body.id;
            if (who === "staff" && (await apiInPage(page, `/incidents/${ids.incident}`)).body.tasks.length === 0) {
              const base = `/incidents/${ids.incident}`;
              for (const [path, body] of [
                [base, { classification: "fraud", type: "phishing", cause: "third_party", impact: "low" }],
                [`${base}/tasks`, { title: "Wachtwoorden vervangen", member: "GM0363" }],
                [`${base}/journal`, { text: "Coördinatie met de leverancier.", tlp: "GREEN" }],
                [`${base}/links`, { kind: "advisory", target: "BSI-2022-0001" }],
              ]) {
                const reply = await apiInPage(page, path, path === base ? "PUT" : "POST", body);
                assert.ok(reply.status < 300, `${path}: ${JSON.stringify(reply.body)}`);
              }
            }
            // The member's part of it is a data breach, so that the breach, its countdown, the
            // text for the AP's form and the register show (the member is a trusted contact).
            const breach = `/incidents/${ids.incident}/participations/GM0363/breach`;
            if ((await apiInPage(page, breach)).status === 404) {
              const aware = new Date(Date.now() - 3_600_000).toISOString().replace(/\.\d{3}Z$/, "Z");
              const reply = await apiInPage(page, breach, "PUT", {
                aware_at: aware,
                details: { description: "Brief met BSN naar een verkeerd adres.", nature: ["confidentiality"], records: 1 },
              });
              assert.equal(reply.status, 200, JSON.stringify(reply.body));
            }
            if (who === "staff") {
              // A supplier that the member uses, for the partner's page.
              const partners = (await apiInPage(page, "/partners")).body.partners;
              ids.partner =
                partners[0]?.id ??
                (
                  await apiInPage(page, "/partners", "POST", {
                    name: "Centric",
                    kind: "supplier",
                    vendor_names: ["centric"],
                    contacts: [{ name: "Security desk", role: "security", email: "security@centric.example" }],
                  })
                ).body.id;
              assert.equal((await apiInPage(page, "/members/GM0363/partners", "PUT", { partners: [ids.partner] })).status, 200);
              // A followed MISP feed for some members, so that the list shows a row (recorded
              // only: nothing fetches it while the jobs are off).
              if ((await apiInPage(page, "/intel/followed")).body.length === 0) {
                const followed = await apiInPage(page, "/intel/followed", "POST", {
                  url: "https://feeds.example.org/misp/",
                  distribution: "named",
                  named: ["GM0363"],
                });
                assert.equal(followed.status, 201, JSON.stringify(followed.body));
              }
              // A policy and a page by hand, acknowledged, so that the pages show their parts.
              const policies = (await apiInPage(page, "/escalation-policies")).body.policies;
              const policy =
                policies[0]?.id ??
                (
                  await apiInPage(page, "/escalation-policies", "POST", {
                    name: "Spoed",
                    default: true,
                    steps: [{ delay_minutes: 0, targets: [{ kind: "person", person: kAdmin.email }] }],
                    ack_timeout_minutes: 30,
                  })
                ).body.id;
              const pages = (await apiInPage(page, "/pages?state=all")).body.pages;
              ids.page = pages[0]?.id ?? (await apiInPage(page, "/pages", "POST", { policy, severity: "high", subject: "Storing" })).body.id;
              if (!pages[0]) assert.equal((await apiInPage(page, `/pages/${ids.page}/acknowledge`, "POST", {})).status, 200);
            }
            if (who === "member") {
              ids.notification = (await apiInPage(page, "/vulnerability-notifications")).body.notifications[0]?.id;
              assert.ok(ids.notification, "the researcher's report did not reach the member");
            }
            if (who === "staff") {
              // One TLP:RED message released, so the outbox says by whom.
              const held = await apiInPage(page, "/outbox?state=held");
              const red = held.body.messages.find((message) => message.tlp === "RED" && message.recipients.length > 0);
              if (red) assert.equal((await apiInPage(page, `/outbox/${red.id}/release`, "POST")).status, 200);
              // A message to read before release: the held one, or else the newest.
              ids.message = red?.id ?? (await apiInPage(page, "/outbox?limit=1")).body.messages[0].id;
              // The researcher's report, with a message to the researcher, so that the analysts'
              // report page shows its thread too.
              ids.report = (await apiInPage(page, "/vulnerability-reports?limit=1")).body.reports[0]?.id;
              assert.ok(ids.report, "the researcher's report is not in the analysts' queue");
              const report = (await apiInPage(page, `/vulnerability-reports/${ids.report}`)).body;
              if (report.messages.length === 0) {
                const reply = await apiInPage(page, `/vulnerability-reports/${ids.report}/messages`, "POST", { text: "Dank u voor de melding." });
                assert.equal(reply.status, 201, JSON.stringify(reply.body));
              }
            }
            // The list's event and one of its indicators.
            ids.intelEvent = (await apiInPage(page, "/intel/events?limit=1")).body.events[0]?.id;
            ids.indicator = (await apiInPage(page, `/intel/indicators?q=${encodeURIComponent("boos.example.org")}`)).body.indicators[0]?.id;
            assert.ok(ids.intelEvent && ids.indicator, "the intel list is not there");
            for (const [route, spec] of Object.entries(kRoutes)) {
              if (!spec[who]) continue;
              const path = spec.path ? spec.path(ids) : route;
              await page.goto(`${world.url}${path}`);
              await page.getByRole("main").waitFor();
              await page.waitForFunction(() => !document.querySelector(".baken-loading"));
              await page.waitForLoadState("networkidle");
              assert.equal(await page.evaluate(() => document.documentElement.lang), language);
              const name = `${who}-${language}-${path.replace(/[^a-z0-9]+/gi, "-")}`;
              await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
              check(await readableText(page, language), language, `${who} ${path} in ${language}`);

            }
            assert.deepEqual(page.problems, [], "errors in the page");
          },
          screenshots,
        ));
    }
  });
}

// The report of an upload with a row the harmonization rejects, read strictly: an uncoded
// reason would show in English (marked lang="en") on a Dutch page.
for (const language of ["nl", "en"]) {
  test(
    `an upload's rejected rows read in ${language === "nl" ? "Dutch" : "English"}`,
    () =>
      withPage(
        browser,
        `upload ${language}`,
        async (page) => {
          await signIn(page, world.url, kAdmin);
          await page.evaluate((language) => window.localStorage.setItem("baken.language", language), language);
          await page.goto(`${world.url}/upload`);
          await page.getByLabel(language === "nl" ? "Bestand" : "File", { exact: true }).setInputFiles(badRowReport);
          await page.getByRole("button", { name: language === "nl" ? "Uploaden en verwerken" : "Upload and process" }).click();
          await page.locator("#upload-result").waitFor();
          await page.screenshot({ path: join(screenshots, `upload-${language}.png`), fullPage: true });
          const report = await readableText(page, language, true);
          assert.match(report, language === "nl" ? /Kolom 'ip': '999\.1\.2\.3' is geen IP-adres/ : /Column 'ip': '999\.1\.2\.3' is not an IP address/);
          assert.match(
            report,
            language === "nl" ? /Rijen met minder velden dan de kopregel: 1 \(de eerste op regel 4\)/ : /Rows with fewer fields than the header: 1 \(the first on line 4\)/,
          );
          check(report, language, `the upload report in ${language}`);
        },
        screenshots,
      ),
  );
}
