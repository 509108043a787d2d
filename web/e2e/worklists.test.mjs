// The analysts' other work lists, end to end: the members (64, paged, searched by code and name,
// sorted, filtered) and the outbox (the true total, filtered by state, sorted by the next
// delivery attempt, a message's text read before its release). Debian's Chromium against a real
// `baken serve` with a real SMTP server on loopback; axe-core and the 360 px checks of
// e2e/pages.mjs on each list. Screenshots go to <artefacts>/worklists/.
//
// The world: the four members of tests/data/advisories/members.json and 60 generated ones
// ("Gemeente Proef 00" … "Gemeente Proef 59", GM2000 … GM2059, 10.N.0.0/16); one RDP finding for
// each, delivered by `baken notify`; a TLP:RED finding for Amsterdam, held; and a second
// (telnet) finding for GM2000 whose message could not be delivered (pending, with a next
// attempt).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { World, artifactsDir, launchBrowser, sourceDir, stopAll } from "./harness.mjs";
import { apiInPage, checkPage, signIn, withPage as withPageIn } from "./pages.mjs";

const kAnalyst = { email: "analist@cert.example.nl", password: "lang genoeg wachtwoord 2" };
const kGenerated = 60;
const screenshots = join(artifactsDir, "worklists");

let world;
let browser;

const two = (n) => String(n).padStart(2, "0");

function writeFile(name, text) {
  const path = join(world.dir, name);
  writeFileSync(path, text);
  return path;
}

function generatedMembers() {
  const members = Array.from({ length: kGenerated }, (_, n) => ({
    code: `GM20${two(n)}`,
    name: `Gemeente Proef ${two(n)}`,
    kind: "gemeente",
    contacts: [{ name: "SOC", email: `soc@proef${two(n)}.example.nl`, roles: ["general", "trusted"], language: "nl" }],
    netblocks: [`10.${n}.0.0/16`],
    asns: [],
    domains: [`proef${two(n)}.example.nl`],
    assets: [],
  }));
  return writeFile("members-generated.json", JSON.stringify({ members }));
}

function rdpReport(name, addresses) {
  const rows = addresses.map((ip) => `"2026-11-21 09:00:00","${ip}","tcp",3389,,64500,"NL"`);
  return writeFile(name, ['"timestamp","ip","protocol","port","hostname","asn","geo"', ...rows].join("\n") + "\n");
}

function withPage(name, body) {
  return withPageIn(browser, name, body, screenshots);
}

before(async () => {
  rmSync(screenshots, { recursive: true, force: true });
  mkdirSync(screenshots, { recursive: true });
  world = new World();
  world.baken(["member", "import", join(sourceDir, "tests/data/advisories/members.json")]);
  world.baken(["member", "import", generatedMembers()]);
  world.addUser(kAnalyst.email, "analyst", null, kAnalyst.password);
  const everyone = [
    ...Array.from({ length: kGenerated }, (_, n) => `10.${n}.0.1`),
    "192.0.2.10",
    "198.51.100.10",
    "203.0.113.10",
    "203.0.113.200",
  ];
  world.baken(["ingest", rdpReport("2026-11-21-scan_rdp-everyone.csv", everyone)]);
  world.baken(["ingest", "--tlp", "RED", rdpReport("2026-11-22-scan_rdp-red.csv", ["192.0.2.31"])]);
  await world.startSmtp();
  world.baken(["notify", "--smtp", world.smtpUrl, "--retry-seconds", "0"]);
  // Nobody listens on port 1: GM2000's next message waits for its next attempt.
  // Another feed's finding: a digest of its own (the RDP digest of today went out already).
  world.baken(["ingest", writeFile("2026-11-23-scan_telnet-retry.csv", "timestamp,ip,port\n2026-11-23 01:00:00,10.0.0.2,23\n")]);
  try {
    world.baken(["notify", "--smtp", "smtp://127.0.0.1:1", "--retry-seconds", "3600"]);
  } catch {
    // A delivery that failed makes notify exit 1; the message stays pending.
  }
  await world.serve();
  browser = await launchBrowser();
});

after(async () => {
  const reports = await stopAll();
  assert.deepEqual(reports, [], "a sanitizer reported a problem in a process the tests ran");
});

const range = (page) => page.locator(".baken-pager__range");
const rows = (page) => page.locator("main table tbody tr");

async function showsRange(page, text) {
  await page.locator(".baken-pager__range", { hasText: text }).waitFor();
  await page.waitForFunction(() => !document.querySelector("[aria-busy='true']"));
  assert.equal((await range(page).textContent()).trim(), text);
}

describe("members and outbox lists", () => {
  test("an analyst pages, searches, sorts and filters the 64 members", () =>
    withPage("worklists-members", async (page) => {
      await signIn(page, world.url, kAnalyst);
      await page.getByRole("heading", { level: 1, name: "Leden" }).waitFor();
      await page.getByRole("heading", { level: 2, name: "64 leden" }).waitFor();
      await showsRange(page, "1–50 van 64");
      assert.equal(await rows(page).count(), 50);
      await checkPage(page, "members", { folder: screenshots });

      await page.getByRole("link", { name: "Volgende pagina" }).click();
      await showsRange(page, "51–64 van 64");
      assert.match(page.url(), /[?&]page=2(&|$)/);
      // By code: the generated members, then Groningen … the joint body last.
      const last = rows(page).last();
      assert.match(await last.textContent(), /SV0001/);

      // Search by code: one member, in the address, kept by a reload.
      await page.getByLabel("Zoeken").fill("gm2042");
      await page.getByRole("button", { name: "Filteren" }).click();
      await page.getByRole("heading", { level: 2, name: "1 lid voldoet aan het filter" }).waitFor();
      assert.match(page.url(), /[?&]q=gm2042(&|$)/);
      assert.doesNotMatch(page.url(), /page=/);
      await page.reload();
      await page.getByRole("link", { name: "Gemeente Proef 42" }).waitFor();
      assert.equal(await rows(page).count(), 1);

      // By name, and by a domain: the search reaches both.
      await page.getByLabel("Zoeken").fill("Rotterdam");
      await page.getByRole("button", { name: "Filteren" }).click();
      await page.getByRole("link", { name: "Gemeente Rotterdam" }).waitFor();
      await page.getByLabel("Zoeken").fill("proef07.example");
      await page.getByRole("button", { name: "Filteren" }).click();
      await page.getByRole("link", { name: "Gemeente Proef 07" }).waitFor();

      // The kind filter counts what it selects.
      await page.getByRole("button", { name: "Filters wissen" }).click();
      await page.getByLabel("Soort").selectOption("samenwerkingsverband");
      await page.getByRole("button", { name: "Filteren" }).click();
      await page.getByRole("heading", { level: 2, name: "1 lid voldoet aan het filter" }).waitFor();
      await page.getByRole("link", { name: "Belastingsamenwerking West" }).waitFor();
      await page.getByRole("button", { name: "Filters wissen" }).click();
      await page.getByRole("heading", { level: 2, name: "64 leden" }).waitFor();

      // Sorted by name, descending: "Gemeente Rotterdam" before every "Gemeente Proef".
      const name = page.getByRole("columnheader", { name: /^Lid/ });
      await name.getByRole("button").click();
      await page.waitForFunction(() => /sort=name/.test(location.search));
      await name.getByRole("button").click();
      await page.waitForFunction(() => /sort=-name/.test(location.search));
      await showsRange(page, "1–50 van 64");
      await page.waitForFunction(
        () => document.querySelector("main table tbody tr a")?.textContent?.trim() === "Gemeente Rotterdam",
      );
      const api = await apiInPage(page, "/members?sort=-name&limit=1");
      assert.equal(api.body.members[0].name, "Gemeente Rotterdam");
      assert.equal(api.body.total, 64);
      await checkPage(page, "members-sorted", { folder: screenshots });
    }));

  test("an analyst filters the outbox, sees the next attempt and reads a held message before releasing it", () =>
    withPage("worklists-outbox", async (page) => {
      await signIn(page, world.url, kAnalyst);
      const all = await apiInPage(page, "/outbox?limit=1");
      assert.ok(all.body.total >= 66, `the outbox holds ${all.body.total} messages`);
      await page.goto(`${world.url}/outbox`);
      await page.getByRole("heading", { level: 1, name: "Uitgaande berichten" }).waitFor();
      await page.getByRole("heading", { level: 2, name: `${all.body.total} berichten` }).waitFor();
      await showsRange(page, `1–50 van ${all.body.total}`);
      await checkPage(page, "outbox", { folder: screenshots });

      // Sorted by the next delivery attempt: the one message waiting for one comes first.
      const next = page.getByRole("columnheader", { name: /Volgende poging/ });
      await next.getByRole("button").click();
      await page.waitForFunction(() => /sort=next/.test(location.search));
      await page.waitForFunction(() => !document.querySelector("[aria-busy='true']"));
      const first = rows(page).first();
      await page.waitForFunction(() => /GM2000/.test(document.querySelector("main table tbody tr")?.textContent ?? ""));
      // The feed by its Dutch name (i18n/feeds.json), in the subject and the feed column.
      assert.match(await first.textContent(), /Telnet bereikbaar vanaf internet/);
      assert.match(await first.textContent(), /wacht op verzending/);

      // Held messages only: Amsterdam's RED one, with its release button on screen at 360 px.
      await page.getByLabel("Toon").selectOption("held");
      await page.getByRole("button", { name: "Filteren" }).click();
      await page.getByRole("heading", { level: 2, name: "1 bericht voldoet aan het filter" }).waitFor();
      assert.match(page.url(), /[?&]state=held(&|$)/);
      await page.getByRole("button", { name: /Bericht \d+ vrijgeven/ }).waitFor();
      await checkPage(page, "outbox-held", { rowActions: true, folder: screenshots });

      // Its text, as Amsterdam would read it, before anyone releases it.
      await rows(page).first().getByRole("link").click();
      await page.getByRole("heading", { level: 1, name: /^Bericht \d+$/ }).waitFor();
      await page.getByText("192.0.2.31", { exact: false }).first().waitFor();
      await checkPage(page, "outbox-message", { folder: screenshots });
      await page.getByRole("link", { name: "Terug naar de uitgaande berichten" }).click();
      await page.getByRole("heading", { level: 2, name: "1 bericht voldoet aan het filter" }).waitFor();

      // A search in the recipients' addresses.
      await page.getByRole("button", { name: "Filters wissen" }).click();
      await page.getByLabel("Zoeken").fill("soc@proef13");
      await page.getByRole("button", { name: "Filteren" }).click();
      await page.waitForFunction(() => /GM2013/.test(document.querySelector("main table tbody tr")?.textContent ?? ""));
      await page.getByRole("heading", { level: 2, name: "1 bericht voldoet aan het filter" }).waitFor();
      assert.match(page.url(), /[?&]q=soc%40proef13(&|$)/);
      assert.equal(await rows(page).count(), 1);
    }));
});
