// Threat intelligence in the portal (decision 0023), end to end. A member shares an event with
// indicators: a value that is no address of the kind chosen is refused at its own row, in Dutch,
// and the event is shared once it is put right, saying who receives it before it is sent.
// Another member reports a sighting of one indicator, without being named (the default), and
// reads how many other members were warned; the analyst reads the sighting with its member and
// whose range the address lies in. An analyst imports a plain list with its TLP. A member makes a
// feed key, reads the URLs once and fetches its block list with them, without signing in; a new
// key, asked first, stops the old URLs. A finding of a feed that names an indicator's address is
// found on request from the indicator's and the event's page: the analyst reads it with its
// member, and an unrouted one; the member whose finding it is reads its own; another member
// reads none. An analyst follows a partner's MISP feed (recorded only: the hourly job fetches
// it), after a plain-http address is refused at its field in Dutch, reads a failed fetch as a
// warning, and stops following it when asked; a member has no such page. Debian's Chromium
// against a real `baken serve` on loopback; axe at 1440 and 360 px.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { World, artifactsDir, launchBrowser, sourceDir, stopAll } from "./harness.mjs";
import { apiInPage, checkPage, signIn, withPage } from "./pages.mjs";

const screenshots = join(artifactsDir, "intel");

const kAa = { email: "trusted@aa.example.nl", password: "lang genoeg wachtwoord 1" };
const kBee = { email: "trusted@bee.example.nl", password: "lang genoeg wachtwoord 2" };
const kAnalyst = { email: "analist@cert.example.nl", password: "lang genoeg wachtwoord 3" };
// Aa's servicedesk: a general contact, not a trusted one.
const kAaDesk = { email: "general@aa.example.nl", password: "lang genoeg wachtwoord 4" };
const kTitle = "Phishing met een nagemaakte inlogpagina";
// In Bee's range (tests/data/intel/members.json): the analyst reads whose address it is.
const kAddress = "198.51.100.77";
const kDomain = "login-gemeente.example.net";
// In the list the analyst imports, and the address a system of Bee's called in the sinkhole finding.
const kListAddress = "203.0.113.50";

let world;
let browser;
let eventId; // the first test's event

before(async () => {
  mkdirSync(screenshots, { recursive: true });
  world = new World();
  world.baken(["member", "import", join(sourceDir, "tests/data/intel/members.json")]);
  world.addUser(kAa.email, "member", "GM0001", kAa.password);
  world.addUser(kBee.email, "member", "GM0002", kBee.password);
  world.addUser(kAnalyst.email, "analyst", null, kAnalyst.password);
  world.addUser(kAaDesk.email, "member", "GM0001", kAaDesk.password);
  await world.serve();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  const reports = await stopAll();
  assert.deepEqual(reports, [], "a sanitizer reported a problem in a process the tests ran");
});

// The values of a table's row, cell by cell (the labels of stacked rows are CSS, not text).
async function cellsOf(row) {
  return (await row.getByRole("cell").allTextContents()).map((text) => text.trim());
}

// Whether the API has a route yet (the sighting and feed endpoints land after the pages): an
// unknown path is 404 before anyone is asked to sign in, a known one 401 without a session.
async function hasRoute(path, method) {
  const reply = await fetch(`${world.url}${path}`, { method, body: method === "POST" ? "{}" : undefined });
  return reply.status !== 404;
}

describe("threat intelligence", () => {
  test("a member shares an event with indicators; a bad value is refused at its row", () =>
    withPage(
      browser,
      "intel-share",
      async (page) => {
        await signIn(page, world.url, kAa);
        await page.getByRole("navigation").getByRole("link", { name: "Dreigingsinformatie" }).click();
        await page.getByRole("heading", { level: 1, name: "Dreigingsinformatie" }).waitFor();
        await page.getByText("Er zijn nog geen gebeurtenissen voor u.").waitFor();
        await checkPage(page, "intel-list-empty", { folder: screenshots });
        await page.getByRole("link", { name: "Nieuwe gebeurtenis delen" }).click();
        await page.getByRole("heading", { level: 1, name: "Nieuwe gebeurtenis delen" }).waitFor();

        // Before anything is chosen: AMBER to the members named, and no one is named yet.
        const receivers = page.getByTestId("intel-receivers");
        assert.equal(await receivers.textContent(), "Wie dit ontvangt: alleen het CERT en wie het deelt, want er zijn nog geen leden genoemd.");
        await page.getByLabel("Titel", { exact: true }).fill(kTitle);
        await page.getByLabel("Beschrijving", { exact: true }).fill("Een e-mail met een link naar een nagemaakte inlogpagina.");
        await page.getByLabel("TLP", { exact: true }).selectOption("GREEN");
        await page.getByLabel("Verspreiding", { exact: true }).selectOption("members");
        assert.equal(await receivers.textContent(), "Wie dit ontvangt: het CERT en alle leden.");
        await page.getByText("Alle leden: elke aangesloten organisatie", { exact: false }).waitFor();

        const first = page.getByRole("group", { name: "Indicator 1" });
        await first.getByLabel("Waarde", { exact: true }).fill(kAddress);
        await page.getByRole("button", { name: "Nog een indicator" }).click();
        const second = page.getByRole("group", { name: "Indicator 2" });
        // The new row has the focus, so that typing goes on there.
        await page.waitForFunction(() => document.activeElement?.closest("#intel-indicator-1-value") !== null);
        await second.getByLabel("Waarde", { exact: true }).fill(kDomain);
        await second.getByLabel("Soort", { exact: true }).selectOption({ label: "IP-adres" });
        await page.getByRole("button", { name: "Delen", exact: true }).click();
        // The server's refusal, at the second row, in Dutch, with the kind in words.
        await page.getByRole("alert").getByText("Niet gelukt: verbeter de gemarkeerde velden.").waitFor();
        await second
          .getByText(`indicator 2, Waarde: '${kDomain}' is geen geldige IP-adres`, { exact: false })
          .waitFor();
        assert.equal(await first.getByText("is geen geldige").count(), 0);
        // The refused request is in the console; the rest of the page must be clean.
        assert.deepEqual(page.problems.splice(0), ["console: Failed to load resource: the server responded with a status of 400 (Bad Request)"]);
        await checkPage(page, "intel-new-refused", { folder: screenshots });

        // Put right: the kind told by the value.
        await second.getByLabel("Soort", { exact: true }).selectOption({ label: "automatisch" });
        await page.getByRole("button", { name: "Delen", exact: true }).click();
        await page.getByRole("heading", { level: 1, name: kTitle }).waitFor();
        eventId = Number(/\/intel\/events\/(\d+)$/.exec(page.url())?.[1]);
        assert.ok(eventId > 0, page.url());
        await page.getByText("De gebeurtenis is gedeeld, met 2 indicatoren.").waitFor();
        const main = page.getByRole("main");
        const table = main.getByRole("table", { name: "Indicatoren van deze gebeurtenis" });
        const address = await cellsOf(table.getByRole("row").filter({ hasText: kAddress }));
        assert.deepEqual(address.slice(0, 4), [kAddress, "IP-adres", "TLP:GREEN", "Ja"]);
        const domain = await cellsOf(table.getByRole("row").filter({ hasText: kDomain }));
        assert.deepEqual(domain.slice(0, 2), [kDomain, "domein"]);
        // The member that shared it adds to it; the details say how it is shared.
        await main.getByRole("heading", { level: 2, name: "Indicator toevoegen" }).waitFor();
        await main.getByText("alle leden", { exact: true }).waitFor();
        await checkPage(page, "intel-event-own", { folder: screenshots, rowActions: true });

        // In the list, with its TLP and who shared it.
        await page.goto(`${world.url}/intel`);
        await page.getByRole("heading", { level: 2, name: "1 gebeurtenis" }).waitFor();
        const row = main.getByRole("table", { name: "Gebeurtenissen" }).getByRole("row").filter({ hasText: kTitle });
        // With how many of its indicators the reader receives.
        assert.deepEqual((await cellsOf(row)).slice(0, 6), [kTitle, "TLP:GREEN", "alle leden", "GM0001", "portaal", "2"]);
        await checkPage(page, "intel-list", { folder: screenshots });
      },
      screenshots,
    ));

  test("another member reports a sighting and reads how many were warned", async (t) => {
    assert.ok(eventId, "the first test shared no event");
    if (!(await hasRoute("/api/v1/intel/indicators/1/sightings", "POST"))) {
      t.skip("POST /api/v1/intel/indicators/{id}/sightings is not in this build yet");
      return;
    }
    await withPage(
      browser,
      "intel-sighting",
      async (page) => {
        await signIn(page, world.url, kBee);
        await page.goto(`${world.url}/intel`);
        await page.getByRole("link", { name: kTitle }).click();
        await page.getByRole("heading", { level: 1, name: kTitle }).waitFor();
        const main = page.getByRole("main");
        // Not Bee's event: it reads it, and adds nothing to it.
        assert.equal(await main.getByRole("heading", { name: "Indicator toevoegen" }).count(), 0);
        const named = page.getByLabel("Mijn organisatie mag genoemd worden");
        assert.equal(await named.isChecked(), false, "being named is off unless ticked");
        await checkPage(page, "intel-event-other", { folder: screenshots, rowActions: true });

        const table = main.getByRole("table", { name: "Indicatoren van deze gebeurtenis" });
        await table.getByRole("button", { name: `Gezien: ${kAddress}` }).click();
        // Aa (which shared it) and Cee receive GREEN for all members; Bee itself is not warned.
        await page.getByRole("status").getByText(`‘Gezien’ vastgelegd voor ${kAddress}. 2 andere deelnemers gewaarschuwd.`).waitFor();
        const row = table.getByRole("row").filter({ hasText: kAddress });
        await row.getByText("gezien 1, vals positief 0, verlopen 0").waitFor();
        await checkPage(page, "intel-event-sighted", { folder: screenshots, rowActions: true });

        // On the indicator's own page: a false positive, which warns no one.
        await row.getByRole("link", { name: kAddress }).click();
        await page.getByRole("heading", { level: 1, name: `Indicator ${kAddress}` }).waitFor();
        await main.getByRole("button", { name: `Vals positief: ${kAddress}` }).click();
        await page.getByRole("status").getByText(`‘Vals positief’ vastgelegd voor ${kAddress}. 0 andere deelnemers gewaarschuwd.`).waitFor();
        // A member reads no one's sightings, and not whose address it is.
        assert.equal(await main.getByRole("table", { name: "Waarnemingen" }).count(), 0);
        assert.equal(await main.getByText("Van wie het systeem is").count(), 0);
        await checkPage(page, "intel-indicator-member", { folder: screenshots });
      },
      screenshots,
    );
    await withPage(
      browser,
      "intel-sighting-analyst",
      async (page) => {
        await signIn(page, world.url, kAnalyst);
        const found = await apiInPage(page, `/intel/indicators?q=${encodeURIComponent(kAddress)}`);
        const indicator = found.body.indicators[0];
        // An incident that names the address is listed with the indicator.
        const incident = await apiInPage(page, "/incidents", "POST", { title: `Phishingsite op ${kAddress}` });
        assert.equal(incident.status, 201, JSON.stringify(incident.body));
        await page.goto(`${world.url}/intel/indicators/${indicator.id}`);
        await page.getByRole("heading", { level: 1, name: `Indicator ${kAddress}` }).waitFor();
        const main = page.getByRole("main");
        // The members' names come with the register, after the indicator.
        await page.getByTestId("indicator-owner").getByText("Gemeente Bee (GM0002)").waitFor();
        assert.match(await page.getByTestId("indicator-owner").textContent(), /^Gemeente Bee \(GM0002\), via IP-reeks 198\.51\.100\.0\/24$/);
        const sightings = main.getByRole("table", { name: "Waarnemingen" });
        await sightings.getByRole("row").filter({ hasText: "Gemeente Bee" }).first().waitFor();
        const seen = await cellsOf(sightings.getByRole("row").filter({ hasText: "Gezien" }));
        assert.deepEqual([seen[0], seen[2], seen[3], seen[4]], ["Gezien", "1", "Gemeente Bee (GM0002)", "Nee"]);
        await sightings.getByRole("row").filter({ hasText: "Vals positief" }).waitFor();
        await page.getByTestId("indicator-incidents").getByRole("link", { name: `Phishingsite op ${kAddress}` }).waitFor();
        await checkPage(page, "intel-indicator-analyst", { folder: screenshots });
      },
      screenshots,
    );
  });

  test("an analyst imports a list under the TLP it was shared with", () =>
    withPage(
      browser,
      "intel-import",
      async (page) => {
        const list = join(world.dir, "blocklist.txt");
        writeFileSync(list, `# een blokkadelijst\n${kListAddress}\tscanner\nboos.example.org\n`);
        await signIn(page, world.url, kAnalyst);
        await page.getByRole("navigation").getByRole("link", { name: "Dreigingsinformatie" }).click();
        await page.getByRole("link", { name: "Importeren" }).click();
        await page.getByRole("heading", { level: 1, name: "Dreigingsinformatie importeren" }).waitFor();
        await page.getByLabel("Bestand", { exact: true }).setInputFiles(list);
        await page.getByLabel("Formaat", { exact: true }).selectOption("list");
        // A list says no TLP: asked for before the file goes out.
        await page.getByRole("button", { name: "Importeren" }).click();
        await page.getByText("Een lijst noemt geen TLP: kies het niveau waaronder hij gedeeld is.").waitFor();
        await page.getByLabel("TLP", { exact: true }).selectOption("GREEN");
        await page.getByLabel("Verspreiding", { exact: true }).selectOption("members");
        await page.getByRole("button", { name: "Importeren" }).click();
        await page.getByTestId("intel-import-summary").getByText("Ingelezen als lijst, één waarde per regel. Gebeurtenissen: 1; indicatoren: 2.").waitFor();
        const row = page.getByRole("table", { name: "Ingelezen gebeurtenissen" }).getByRole("row").filter({ hasText: "blocklist.txt" });
        assert.deepEqual((await cellsOf(row)).slice(1, 4), ["TLP:GREEN", "alle leden", "2"]);
        await checkPage(page, "intel-import", { folder: screenshots });
        await row.getByRole("link", { name: "blocklist.txt" }).click();
        await page.getByRole("heading", { level: 1, name: "blocklist.txt" }).waitFor();
        await page.getByRole("heading", { level: 2, name: "Wat bij het inlezen opviel" }).waitFor();
        await checkPage(page, "intel-event-imported", { folder: screenshots, rowActions: true });

        // The indicators, searched by kind.
        await page.goto(`${world.url}/intel/indicators`);
        await page.getByRole("heading", { level: 1, name: "Indicatoren zoeken" }).waitFor();
        await page.getByLabel("Soort", { exact: true }).selectOption("domain");
        await page.getByRole("button", { name: "Filteren" }).click();
        await page.getByRole("heading", { level: 2, name: "2 indicatoren voldoen aan het filter" }).waitFor();
        const values = await page.getByRole("table", { name: "Indicatoren" }).getByRole("link", { name: /example/ }).allTextContents();
        assert.deepEqual(values.sort(), ["boos.example.org", kDomain]);
        await checkPage(page, "intel-indicators", { folder: screenshots });
      },
      screenshots,
    ));

  test("a member makes a feed key and fetches its block list with the URL", async (t) => {
    assert.ok(eventId, "the first test shared no event");
    if (!(await hasRoute("/api/v1/intel/feeds", "GET")) || !(await hasRoute("/api/v1/intel/feeds/key", "POST"))) {
      t.skip("GET /api/v1/intel/feeds and POST /api/v1/intel/feeds/key are not in this build yet");
      return;
    }
    await withPage(
      browser,
      "intel-feed",
      async (page) => {
        await signIn(page, world.url, kAa);
        await page.goto(`${world.url}/intel`);
        await page.getByRole("link", { name: "Feed voor uw systemen" }).click();
        await page.getByRole("heading", { level: 1, name: "Feed voor uw systemen" }).waitFor();
        const main = page.getByRole("main");
        await page.getByTestId("feed-key-state").getByText("Er is nog geen feedsleutel.").waitFor();
        const files = main.getByRole("table", { name: "Bestanden van de feed" });
        assert.match((await cellsOf(files.getByRole("row").filter({ hasText: "ip.txt" })))[1], /firewall/);
        assert.match((await cellsOf(files.getByRole("row").filter({ hasText: "rpz.zone" })))[1], /DNS-resolver/);
        await checkPage(page, "intel-feed", { folder: screenshots });

        await page.getByRole("button", { name: "Feedsleutel maken" }).click();
        await page.getByText("Kopieer ze nu: ze worden maar één keer getoond.", { exact: false }).waitFor();
        const urlOf = async (name) => page.locator(`[data-testid="feed-url"][data-name="${name}"]`).textContent();
        const ipUrl = await urlOf("ip.txt");
        assert.match(ipUrl, new RegExp(`^${world.url.replace(/[.]/g, "\\.")}/api/v1/intel/feed/[^/]+/ip\\.txt$`));
        await checkPage(page, "intel-feed-key", { folder: screenshots, rowActions: true });

        // Without signing in: the URL is the key. Aa receives the GREEN event for all members.
        const fetched = await fetch(ipUrl);
        assert.equal(fetched.status, 200);
        assert.match(await fetched.text(), new RegExp(`^${kAddress.replace(/[.]/g, "\\.")}`, "m"));

        // A new key, asked first, stops the old URLs.
        await page.getByRole("button", { name: "Ik heb de adressen bewaard" }).click();
        await page.getByTestId("feed-key-state").getByText("De huidige sleutel is gemaakt op", { exact: false }).waitFor();
        await page.getByRole("button", { name: "Nieuwe feedsleutel maken" }).click();
        const dialog = page.getByRole("alertdialog", { name: "Een nieuwe feedsleutel maken?" });
        await dialog.getByText("werkt daarna niet meer", { exact: false }).waitFor();
        await dialog.getByRole("button", { name: "Nieuwe feedsleutel maken" }).click();
        await page.getByText("Kopieer ze nu", { exact: false }).waitFor();
        const newUrl = await urlOf("ip.txt");
        assert.notEqual(newUrl, ipUrl);
        assert.equal((await fetch(newUrl)).status, 200);
        const old = await fetch(ipUrl);
        assert.ok(old.status === 401 || old.status === 404, `the old key still answers ${old.status}`);

        // Signed in, the same file is a download of the reader's own view.
        await page.getByRole("button", { name: "Ik heb de adressen bewaard" }).click();
        const [download] = await Promise.all([
          page.waitForEvent("download"),
          files.getByRole("row").filter({ hasText: "ip.txt" }).getByRole("link", { name: /^Downloaden/ }).click(),
        ]);
        assert.equal(download.suggestedFilename(), "ip.txt");
        assert.match(readFileSync(await download.path(), "utf8"), new RegExp(`^${kAddress.replace(/[.]/g, "\\.")}`, "m"));
      },
      screenshots,
    );
    // Aa's servicedesk is no trusted contact: the key, which serves AMBER, is not its to make.
    await withPage(
      browser,
      "intel-feed-general",
      async (page) => {
        await signIn(page, world.url, kAaDesk);
        await page.goto(`${world.url}/intel/feed`);
        await page.getByRole("heading", { level: 1, name: "Feed voor uw systemen" }).waitFor();
        await page.getByTestId("feed-key-trusted-only").getByText("vertrouwde contactpersonen", { exact: false }).waitFor();
        assert.equal(await page.getByRole("button", { name: /Feedsleutel maken/ }).count(), 0);
        await checkPage(page, "intel-feed-general", { folder: screenshots });
        const refused = await apiInPage(page, "/intel/feeds/key", "POST", {});
        assert.equal(refused.status, 403);
      },
      screenshots,
    );
  });

  test("the findings of the feeds that name an indicator's value, on request and in the reader's scope", async (t) => {
    if (!(await hasRoute("/api/v1/intel/indicators/1/feed-events", "GET"))) {
      t.skip("GET /api/v1/intel/indicators/{id}/feed-events is not in this build yet");
      return;
    }
    // IntelMQ's time form; the server compares times as text.
    const hoursAgo = (hours) => new Date(Date.now() - hours * 3600_000).toISOString().replace(/\.\d{3}Z$/, "+00:00");
    const sinkhole = { "feed.name": "sinkhole", "classification.type": "infected-system", "destination.ip": kListAddress };
    const findings = [
      // A system in Bee's range (198.51.100.0/24) called the address: received now.
      { ...sinkhole, "source.ip": "198.51.100.23", "time.source": hoursAgo(25) },
      // A system no member claims, received 17 days ago: within 30 days, not within 7.
      { ...sinkhole, "source.ip": "192.0.2.99", "time.source": hoursAgo(17 * 24 + 1), "time.observation": hoursAgo(17 * 24) },
    ];
    const file = join(world.dir, "sinkhole.jsonl");
    writeFileSync(file, findings.map((finding) => `${JSON.stringify(finding)}\n`).join(""));
    assert.match(world.baken(["ingest", "--feed", "intelmq", file]), /routed 1, unrouted 1/);

    let indicator;
    await withPage(
      browser,
      "intel-feed-matches-analyst",
      async (page) => {
        const asked = [];
        page.on("request", (request) => {
          if (request.url().includes("/feed-events")) asked.push(new URL(request.url()).search);
        });
        await signIn(page, world.url, kAnalyst);
        const found = await apiInPage(page, `/intel/indicators?q=${encodeURIComponent(kListAddress)}`);
        indicator = found.body.indicators.find((candidate) => candidate.value === kListAddress);
        assert.ok(indicator, "the import test made no indicator for the list's address");
        await page.goto(`${world.url}/intel/indicators/${indicator.id}`);
        await page.getByRole("heading", { level: 1, name: `Indicator ${kListAddress}` }).waitFor();
        const main = page.getByRole("main");
        const section = page.getByTestId("feed-matches");
        await section.getByRole("heading", { level: 2, name: "In bevindingen" }).waitFor();
        // Reading every finding of the window takes time: only when asked.
        assert.deepEqual(asked, []);
        await checkPage(page, "intel-feed-matches-idle", { folder: screenshots });

        await section.getByLabel("Periode", { exact: true }).selectOption("7");
        await section.getByRole("button", { name: "Zoek in bevindingen" }).click();
        const summary = page.getByTestId("feed-matches-summary");
        await summary.getByText("1 bevinding in de afgelopen 7 dagen", { exact: true }).waitFor();
        assert.deepEqual(asked, ["?days=7"]);
        // The answer has the focus: the button was disabled while the server read.
        assert.ok(await summary.evaluate((element) => element === document.activeElement), "the answer has no focus");

        await section.getByLabel("Periode", { exact: true }).selectOption("30");
        await section.getByRole("button", { name: "Zoek in bevindingen" }).click();
        await summary.getByText("2 bevindingen in de afgelopen 30 dagen", { exact: true }).waitFor();
        const table = main.getByRole("table", { name: "Bevindingen met deze waarde" });
        assert.deepEqual(
          (await table.getByRole("columnheader").allTextContents()).map((text) => text.trim()),
          ["Veld", "Feed", "Type", "Ontvangen", "Lid"],
        );
        // The members' names come with the register.
        const beeRow = table.getByRole("row").filter({ hasText: "Gemeente Bee (GM0002)" });
        await beeRow.waitFor();
        const bee = await cellsOf(beeRow);
        assert.deepEqual([...bee.slice(0, 3), bee[4]], ["IP-adres destination.ip", "sinkhole", "besmet systeem", "Gemeente Bee (GM0002)"]);
        const unrouted = await cellsOf(table.getByRole("row").filter({ hasText: "niet toegewezen" }));
        assert.deepEqual([...unrouted.slice(0, 3), unrouted[4]], ["IP-adres destination.ip", "sinkhole", "besmet systeem", "geen lid (niet toegewezen)"]);
        // The newest first.
        assert.match(await table.getByRole("row").nth(1).textContent(), /Gemeente Bee/);
        await checkPage(page, "intel-feed-matches-analyst", { folder: screenshots });

        // Each row leads to its finding, and back.
        await beeRow.getByRole("link", { name: "besmet systeem" }).click();
        await page.getByRole("heading", { level: 1, name: "Besmet systeem: 198.51.100.23" }).waitFor();
        await page.getByRole("link", { name: "Terug naar de lijst" }).click();
        await page.getByRole("heading", { level: 1, name: `Indicator ${kListAddress}` }).waitFor();

        // The event's page searches all its values, and says which one each finding holds.
        await page.goto(`${world.url}/intel/events/${indicator.event}`);
        await page.getByRole("heading", { level: 1, name: "blocklist.txt" }).waitFor();
        await section.getByRole("button", { name: "Zoek in bevindingen" }).click();
        await summary.getByText("2 bevindingen in de afgelopen 30 dagen", { exact: true }).waitFor();
        const eventTable = main.getByRole("table", { name: "Bevindingen met waarden van deze gebeurtenis" });
        assert.deepEqual(
          (await eventTable.getByRole("columnheader").allTextContents()).map((text) => text.trim()),
          ["Waarde", "Veld", "Feed", "Type", "Ontvangen", "Lid"],
        );
        await eventTable.getByRole("row").filter({ hasText: "Gemeente Bee (GM0002)" }).waitFor();
        const values = await eventTable.getByRole("link", { name: kListAddress }).allTextContents();
        assert.deepEqual(values, [kListAddress, kListAddress]);
        await checkPage(page, "intel-feed-matches-event", { folder: screenshots, rowActions: true });
      },
      screenshots,
    );
    assert.ok(indicator);

    await withPage(
      browser,
      "intel-feed-matches-member",
      async (page) => {
        await signIn(page, world.url, kBee);
        await page.goto(`${world.url}/intel/indicators/${indicator.id}`);
        await page.getByRole("heading", { level: 1, name: `Indicator ${kListAddress}` }).waitFor();
        const main = page.getByRole("main");
        await page.getByTestId("feed-matches").getByRole("button", { name: "Zoek in bevindingen" }).click();
        // Bee's own finding; not the unrouted one, and no column of members.
        await page.getByTestId("feed-matches-summary").getByText("1 bevinding in de afgelopen 30 dagen", { exact: true }).waitFor();
        const table = main.getByRole("table", { name: "Bevindingen met deze waarde" });
        assert.deepEqual(
          (await table.getByRole("columnheader").allTextContents()).map((text) => text.trim()),
          ["Veld", "Feed", "Type", "Ontvangen"],
        );
        const row = await cellsOf(table.getByRole("row").nth(1));
        assert.deepEqual(row.slice(0, 3), ["IP-adres destination.ip", "sinkhole", "besmet systeem"]);
        await checkPage(page, "intel-feed-matches-member", { folder: screenshots });
        await table.getByRole("link", { name: "besmet systeem" }).click();
        await page.getByRole("heading", { level: 1, name: "Besmet systeem: 198.51.100.23" }).waitFor();
      },
      screenshots,
    );

    await withPage(
      browser,
      "intel-feed-matches-none",
      async (page) => {
        // Aa receives the list too, and has no finding with its address.
        await signIn(page, world.url, kAa);
        await page.goto(`${world.url}/intel/indicators/${indicator.id}`);
        await page.getByRole("heading", { level: 1, name: `Indicator ${kListAddress}` }).waitFor();
        await page.getByTestId("feed-matches").getByRole("button", { name: "Zoek in bevindingen" }).click();
        await page
          .getByTestId("feed-matches-summary")
          .getByText("Geen bevindingen met deze waarde in de afgelopen 30 dagen.", { exact: true })
          .waitFor();
        assert.equal(await page.getByRole("main").getByRole("table", { name: "Bevindingen met deze waarde" }).count(), 0);
        await checkPage(page, "intel-feed-matches-none", { folder: screenshots });
      },
      screenshots,
    );
  });

  test("an analyst follows a MISP feed and stops following it; a member has no such page", async (t) => {
    if (!(await hasRoute("/api/v1/intel/followed", "GET"))) {
      t.skip("GET /api/v1/intel/followed is not in this build yet");
      return;
    }
    const feed = "https://feeds.example.org/misp/";
    const plain = "http://feeds.example.org/misp/";
    await withPage(
      browser,
      "intel-followed",
      async (page) => {
        await signIn(page, world.url, kAnalyst);
        await page.getByRole("navigation").getByRole("link", { name: "Dreigingsinformatie" }).click();
        await page.getByRole("link", { name: "Gevolgde feeds" }).click();
        await page.getByRole("heading", { level: 1, name: "Gevolgde feeds" }).waitFor();
        const main = page.getByRole("main");
        await main.getByText("Baken volgt nog geen feeds.").waitFor();
        // Adding fetches nothing; the page says which job does, by its name on the jobs page.
        await page
          .getByTestId("followed-schedule")
          .getByText("de taak ‘Gevolgde MISP-feeds ophalen’ haalt de gevolgde feeds elk uur op", { exact: false })
          .waitFor();
        await checkPage(page, "intel-followed-empty", { folder: screenshots });

        // Plain http to another host: the server's refusal, in Dutch, at the address field.
        const address = page.getByLabel("Adres van de feed", { exact: true });
        await address.fill(plain);
        await page.getByRole("button", { name: "Feed volgen" }).click();
        await page.getByRole("alert").getByText("Niet gelukt: verbeter de gemarkeerde velden.").waitFor();
        await main
          .getByText(`url: '${plain}' gebruikt onversleuteld http: een feed wordt via https gevolgd (http alleen vanaf deze machine)`)
          .waitFor();
        assert.equal(await address.getAttribute("aria-invalid"), "true");
        assert.deepEqual(page.problems.splice(0), ["console: Failed to load resource: the server responded with a status of 400 (Bad Request)"]);
        await checkPage(page, "intel-followed-refused", { folder: screenshots });

        // Over https, for the members named: recorded, and listed as not fetched yet.
        await address.fill(feed);
        await page.getByLabel("Verspreiding", { exact: true }).selectOption("named");
        await page.getByLabel("Lid om te noemen", { exact: true }).selectOption({ label: "Gemeente Aa (GM0001)" });
        await page.getByRole("button", { name: "Noemen", exact: true }).click();
        await page.getByRole("button", { name: "Feed volgen" }).click();
        await page
          .getByRole("status")
          .getByText(`Baken volgt nu ${feed}. De taak ‘Gevolgde MISP-feeds ophalen’ leest de feed binnen het uur in.`)
          .waitFor();
        assert.equal(await address.inputValue(), "", "the form is not empty for the next feed");
        const table = main.getByRole("table", { name: "Feeds die Baken volgt" });
        const row = table.getByRole("row").filter({ hasText: feed });
        // The members' names come with the register.
        await row.getByText("Gemeente Aa (GM0001)").waitFor();
        const cells = await cellsOf(row);
        assert.deepEqual(cells.slice(0, 6), [
          feed,
          "genoemde leden; genoemd: Gemeente Aa (GM0001)",
          "nog niet",
          "wacht op de eerste keer ophalen",
          "0",
          "0",
        ]);
        assert.match(cells[6], new RegExp(`door ${kAnalyst.email.replace(/[.]/g, "\\.")}$`));
        assert.equal(await main.getByTestId("followed-failed").count(), 0);
        await checkPage(page, "intel-followed-listed", { folder: screenshots, rowActions: true });

        // Removing is asked first; cancelling keeps it.
        await row.getByRole("button", { name: `${feed} niet meer volgen` }).click();
        const dialog = page.getByRole("alertdialog", { name: `${feed} niet meer volgen?` });
        await dialog.getByText("blijven bestaan", { exact: false }).waitFor();
        await dialog.getByRole("button", { name: "Annuleren" }).click();
        await dialog.waitFor({ state: "detached" });
        assert.equal(await row.count(), 1);
        await row.getByRole("button", { name: `${feed} niet meer volgen` }).click();
        await dialog.getByRole("button", { name: "Niet meer volgen" }).click();
        await page.getByRole("status").getByText(`Baken volgt ${feed} niet meer.`).waitFor();
        await main.getByText("Baken volgt nog geen feeds.").waitFor();
        assert.deepEqual((await apiInPage(page, "/intel/followed")).body, []);

        // A fetch that failed: a warning above the list, and the server's reason at the feed.
        // Nothing listens on port 1 of this machine, so the run fails at once without a network.
        const unreachable = "https://127.0.0.1:1/misp/";
        const added = await apiInPage(page, "/intel/followed", "POST", { url: unreachable });
        assert.equal(added.status, 201, JSON.stringify(added.body));
        assert.equal(added.body.distribution, null);
        try {
          world.baken(["intel", "sync"]);
          assert.fail("a sync of an unreachable feed succeeded");
        } catch (error) {
          if (error.status !== 1) throw error;
        }
        await page.reload();
        await page.getByTestId("followed-failed").getByText("Bij 1 feed mislukte het laatste ophalen.", { exact: false }).waitFor();
        const failed = table.getByRole("row").filter({ hasText: unreachable });
        const failedCells = await cellsOf(failed);
        assert.equal(failedCells[1], "zoals elke gebeurtenis zegt");
        assert.notEqual(failedCells[2], "nog niet");
        assert.match(failedCells[3], /^mislukt/);
        const reason = failed.getByTestId("followed-error");
        assert.equal(await reason.getAttribute("lang"), "en");
        assert.notEqual((await reason.textContent()).trim(), "");
        await checkPage(page, "intel-followed-failed", { folder: screenshots, rowActions: true });
        assert.equal((await apiInPage(page, `/intel/followed/${added.body.id}`, "DELETE")).status, 200);
      },
      screenshots,
    );
    await withPage(
      browser,
      "intel-followed-member",
      async (page) => {
        await signIn(page, world.url, kAa);
        await page.getByRole("navigation").getByRole("link", { name: "Dreigingsinformatie" }).click();
        await page.getByRole("heading", { level: 1, name: "Dreigingsinformatie" }).waitFor();
        await page.getByRole("link", { name: "Indicatoren zoeken" }).waitFor();
        assert.equal(await page.getByRole("link", { name: "Gevolgde feeds" }).count(), 0);
        await page.goto(`${world.url}/intel/followed`);
        await page.getByRole("heading", { level: 1, name: "Niet gevonden" }).waitFor();
        await page.getByText("Deze pagina bestaat niet, of u heeft er geen toegang toe.").waitFor();
        await checkPage(page, "intel-followed-member", { folder: screenshots });
        // Nor behind the page.
        assert.equal((await apiInPage(page, "/intel/followed")).status, 403);
      },
      screenshots,
    );
  });
});
