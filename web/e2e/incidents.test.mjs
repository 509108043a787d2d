// Incidents in the portal, end to end (issue 15, decision 0018): a member reports an incident
// and finds it in its list; an analyst triages it in the queue (classifies it, sets cause and
// impact, takes it as coordinator, moves it to in behandeling), adds a second member (whose
// title the form asks for, since the report's title may name the reporter), writes a
// coordination note and releases it after a question that names who will read it; a refused
// close shows every rule still open; the second member then reads the note and nothing of the
// first member's report, and the reporter's name only once the coordinator makes it visible. A
// colleague of the reporter who is no contact reads neither the TLP:AMBER report nor the
// data-breach decision. The statistics page counts the incident and exports it as CSV. An
// analyst escalates a finding into an incident from the finding's page: its member takes part
// and the incident links back to it; the finding's page then names the incident.
// Debian's Chromium against a real `baken serve` on loopback; axe at 1440 and 360 px, no
// sideways scroll (e2e/pages.mjs).
// Members come from tests/data/advisories/members.json: soc@amsterdam.example.nl is a trusted
// contact of GM0363 Amsterdam, ciso@rotterdam.example.nl of GM0599 Rotterdam.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { World, artifactsDir, launchBrowser, sourceDir, stopAll } from "./harness.mjs";
import { apiInPage, checkPage, signIn, withPage } from "./pages.mjs";

const kReporter = { email: "soc@amsterdam.example.nl", password: "lang genoeg wachtwoord 1" };
const kSecond = { email: "ciso@rotterdam.example.nl", password: "lang genoeg wachtwoord 3" };
const kAnalyst = { email: "analist@cert.example.nl", password: "lang genoeg wachtwoord 2" };
// A user of Amsterdam who is none of its contacts: no roles (decision 0018).
const kColleague = { email: "medewerker@amsterdam.example.nl", password: "lang genoeg wachtwoord 4" };
const kReportTitle = "Phishingmail bij Burgerzaken Amsterdam";
const kReportText = "Drie medewerkers van Burgerzaken klikten op de link in de mail van 4 december.";
const kSecondTitle = "Phishinggolf bij gemeenten";
const kTask = "Controleer de mailfilters op het domein";
const kNote = "Blokkeer het domein login-gemeente.example in de mailfilters en de proxy.";
const screenshots = join(artifactsDir, "incidents");

let world;
let browser;
let incidentId;

before(async () => {
  mkdirSync(screenshots, { recursive: true });
  world = new World();
  world.baken(["member", "import", join(sourceDir, "tests/data/advisories/members.json")]);
  world.addUser(kReporter.email, "member", "GM0363", kReporter.password);
  world.addUser(kSecond.email, "member", "GM0599", kSecond.password);
  world.addUser(kAnalyst.email, "analyst", null, kAnalyst.password);
  world.addUser(kColleague.email, "member", "GM0363", kColleague.password);
  await world.serve();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  const reports = await stopAll();
  assert.deepEqual(reports, [], "a sanitizer reported a problem in a process the tests ran");
});

describe("incidents", () => {
  test("a member reports an incident and sees it in its list", () =>
    withPage(
      browser,
      "incidents-report",
      async (page) => {
        await signIn(page, world.url, kReporter);
        await page.getByRole("navigation").getByRole("link", { name: "Incident melden" }).click();
        await page.getByRole("heading", { level: 1, name: "Incident melden" }).waitFor();
        // AMBER unless the reporter chooses otherwise, with what TLP means for who reads.
        assert.equal(await page.getByLabel("TLP").inputValue(), "AMBER");
        await page.getByText("TLP bepaalt wie in uw organisatie dit mag lezen", { exact: false }).waitFor();
        // A report needs a title; the form says so at the field, without asking the server.
        await page.getByRole("button", { name: "Melden" }).click();
        await page.getByText("Geef het incident een titel.").waitFor();
        await checkPage(page, "incident-report-form", { folder: screenshots });

        await page.getByLabel("Titel").fill(kReportTitle);
        await page.getByLabel("Beschrijving").fill(kReportText);
        await page.getByRole("button", { name: "Melden" }).click();
        await page.getByText(/Uw melding is ontvangen als incident \d+\./).waitFor();
        incidentId = Number(/\/incidents\/(\d+)$/.exec(page.url())[1]);
        await page.getByRole("heading", { level: 1, name: kReportTitle }).waitFor();
        // The report's text is the first entry of the member's own journal.
        await page.getByText(kReportText).waitFor();
        await page.getByRole("definition").filter({ hasText: "nog niet ingedeeld" }).waitFor();
        // A trusted contact decides about a data breach.
        await page.getByLabel("Besluit datalek").selectOption("none");
        await page.getByRole("button", { name: "Besluit opslaan" }).click();
        await page.getByText("Het besluit is opgeslagen: geen datalek.", { exact: false }).waitFor();
        assert.equal((await apiInPage(page, `/incidents/${incidentId}`)).body.participation.breach, "none");
        await checkPage(page, "incident-member", { folder: screenshots });

        await page.getByRole("navigation").getByRole("link", { name: "Incidenten", exact: true }).click();
        await page.getByRole("heading", { level: 1, name: "Incidenten" }).waitFor();
        await page.getByText("1 incident", { exact: true }).waitFor();
        const row = page.locator("main table tbody tr").filter({ hasText: kReportTitle });
        assert.match(await row.innerText(), /nieuw[\s\S]*nieuw/);
        await checkPage(page, "incidents-member-list", { folder: screenshots });
      },
      screenshots,
    ));

  test("an analyst triages it, adds a second member and releases a coordination note", () =>
    withPage(
      browser,
      "incidents-triage",
      async (page) => {
        assert.ok(incidentId, "the report test did not run");
        await signIn(page, world.url, kAnalyst);
        await page.getByRole("navigation").getByRole("link", { name: "Incidenten", exact: true }).click();
        await page.getByRole("heading", { level: 1, name: "Incidenten" }).waitFor();
        // The triage queue: incidents without a coordinator.
        await page.getByLabel("Zonder coördinator").selectOption("true");
        await page.getByRole("button", { name: "Filteren", exact: true }).click();
        await page.getByText("1 incident voldoet aan de filters").waitFor();
        assert.match(page.url(), /unassigned=true/);
        await checkPage(page, "incidents-queue", { folder: screenshots });
        await page.getByRole("link", { name: `#${incidentId} ${kReportTitle}` }).click();
        await page.getByRole("heading", { level: 1, name: `#${incidentId} ${kReportTitle}` }).waitFor();

        // Classification and type are one choice, named with the IBD's words and the code.
        const rsit = page.getByLabel("Classificatie (RSIT)");
        assert.equal(await rsit.locator("option[value='fraud:phishing']").innerText(), "Phishing (fraud:phishing)");
        await rsit.selectOption("fraud:phishing");
        await page.getByLabel("Oorzaak (door wie)").selectOption("third_party");
        await page.getByLabel("Impact", { exact: true }).selectOption("low");
        await page.getByRole("button", { name: "Mijzelf als coördinator" }).click();
        assert.equal(await page.getByLabel("Coördinator", { exact: true }).inputValue(), kAnalyst.email);
        await page.getByRole("button", { name: "Gegevens opslaan" }).click();
        await page.getByText("De gegevens van het incident zijn opgeslagen.").waitFor();
        const saved = (await apiInPage(page, `/incidents/${incidentId}`)).body;
        assert.deepEqual(
          [saved.classification, saved.type, saved.cause, saved.impact, saved.coordinator],
          ["fraud", "phishing", "third_party", "low", kAnalyst.email],
        );

        await page.getByRole("button", { name: "Naar in behandeling", exact: true }).click();
        await page.getByText("De status is nu: in behandeling.").waitFor();
        assert.equal((await apiInPage(page, `/incidents/${incidentId}`)).body.state, "in_progress");

        // A second member: the form says why it needs a title of its own.
        await page.getByText("Verplicht: dit incident komt uit de melding van een lid", { exact: false }).waitFor();
        await page.locator("#participation-member").selectOption("GM0599");
        await page.getByRole("button", { name: "Lid toevoegen", exact: true }).click();
        await page.getByText("Geef de titel die het nieuwe lid ziet: dit incident komt uit de melding van een lid.").waitFor();
        await page.getByLabel("Titel voor dit lid").fill(kSecondTitle);
        await page.getByRole("button", { name: "Lid toevoegen", exact: true }).click();
        await page.getByText("Gemeente Rotterdam neemt nu deel aan het incident.").waitFor();
        const participations = (await apiInPage(page, `/incidents/${incidentId}/participations`)).body.participations;
        assert.deepEqual(
          participations.map((p) => [p.member, p.title]),
          [
            ["GM0363", kReportTitle],
            ["GM0599", kSecondTitle],
          ],
        );

        // A task for the second member: what the CERT asks of it.
        await page.getByLabel("Taak", { exact: true }).fill(kTask);
        await page.locator("#task-member").selectOption("GM0599");
        await page.getByRole("button", { name: "Taak toevoegen", exact: true }).click();
        await page.getByText(`Taak ‘${kTask}’ is toegevoegd.`).waitFor();
        const tasks = (await apiInPage(page, `/incidents/${incidentId}/tasks`)).body.tasks;
        assert.deepEqual(tasks.map((task) => [task.title, task.member, task.state]), [[kTask, "GM0599", "open"]]);

        // A coordination note, then its release after a question naming who will read it.
        await page.getByLabel("Tekst", { exact: true }).fill(kNote);
        await page.getByRole("button", { name: "Notitie opslaan" }).click();
        await page.getByText("De notitie staat in het logboek.").waitFor();
        const entry = page.locator(".baken-journal__entry").filter({ hasText: kNote });
        await entry.getByText("nog niet gedeeld").waitFor();
        await entry.getByRole("button", { name: "Delen" }).click();
        const dialog = page.getByRole("alertdialog");
        await dialog
          .getByText("De vertrouwde contactpersonen van Gemeente Amsterdam, Gemeente Rotterdam kunnen deze notitie dan lezen (TLP:AMBER).", { exact: false })
          .waitFor();
        await page.screenshot({ path: join(screenshots, "incident-release-confirm-1440.png") });
        await dialog.getByRole("button", { name: "Annuleren" }).click();
        let journal = (await apiInPage(page, `/incidents/${incidentId}/journal`)).body.journal;
        assert.equal(journal.find((e) => e.text === kNote).released_at, null);
        await entry.getByRole("button", { name: "Delen" }).click();
        await page.getByRole("alertdialog").getByRole("button", { name: "Delen" }).click();
        await page.getByText("De notitie is gedeeld met de deelnemers.").waitFor();
        journal = (await apiInPage(page, `/incidents/${incidentId}/journal`)).body.journal;
        assert.notEqual(journal.find((e) => e.text === kNote).released_at, null);
        await entry.getByText(/gedeeld met de deelnemers op/).waitFor();

        // A close refused lists every rule still open, each in Dutch.
        await page.getByRole("button", { name: "Naar hersteld", exact: true }).click();
        await page.getByText("De status is nu: hersteld.").waitFor();
        await page.getByRole("button", { name: "Naar gesloten", exact: true }).click();
        const refusal = page.getByRole("alert").filter({ hasText: "status: dit kan nog niet worden gesloten" });
        await refusal.getByText("deelnames: van 2 leden is de deelname nog niet gesloten").waitFor();
        assert.equal((await apiInPage(page, `/incidents/${incidentId}`)).body.state, "recovered");
        // The browser logs the 400 it was meant to get.
        assert.deepEqual(page.problems.splice(0), ["console: Failed to load resource: the server responded with a status of 400 (Bad Request)"]);

        // Each participation moves on its own.
        await page.getByRole("button", { name: "Gemeente Rotterdam: naar in behandeling" }).waitFor();
        await page.getByRole("cell", { name: "Gegevens gewijzigd" }).first().waitFor();
        await checkPage(page, "incident-staff", { rowActions: true, folder: screenshots });
      },
      screenshots,
    ));

  test("the second member reads the released note and nothing of the first member's report", () =>
    withPage(
      browser,
      "incidents-second-member",
      async (page) => {
        assert.ok(incidentId, "the report test did not run");
        await signIn(page, world.url, kSecond);
        await page.getByRole("navigation").getByRole("link", { name: "Incidenten", exact: true }).click();
        await page.getByRole("link", { name: kSecondTitle }).click();
        await page.getByRole("heading", { level: 1, name: kSecondTitle }).waitFor();
        await page.getByText(kNote).waitFor();
        await page.getByText("bericht van het CERT").waitFor();
        await page.getByRole("definition").filter({ hasText: "Phishing (fraud:phishing)" }).waitFor();
        // What the CERT asks, marked done by the member.
        await page.getByRole("button", { name: `Taak ‘${kTask}’ afronden` }).click();
        await page.getByText(`Taak ‘${kTask}’ is afgerond.`).waitFor();
        assert.equal((await apiInPage(page, `/incidents/${incidentId}/tasks`)).body.tasks[0].state, "done");
        await page.getByRole("cell", { name: "afgerond" }).waitFor();
        const text = await page.locator("main").innerText();
        assert.ok(!text.includes(kReportText), "the first member's report shows to the second");
        assert.ok(!text.includes(kReportTitle), "the first member's title shows to the second");
        assert.ok(!text.includes("Amsterdam"), "the first member is named without being named by the coordinator");
        await checkPage(page, "incident-second-member", { folder: screenshots });
      },
      screenshots,
    ));

  test("a colleague who is no trusted contact sees the incident without the AMBER report and the breach decision", () =>
    withPage(
      browser,
      "incidents-colleague",
      async (page) => {
        assert.ok(incidentId, "the report test did not run");
        await signIn(page, world.url, kColleague);
        await page.goto(`${world.url}/incidents/${incidentId}`);
        await page.getByRole("heading", { level: 1, name: kReportTitle }).waitFor();
        await page.getByRole("heading", { level: 2, name: "Logboek" }).waitFor();
        const text = await page.locator("main").innerText();
        assert.ok(!text.includes(kReportText), "the TLP:AMBER report shows to a user who is no trusted contact");
        assert.ok(!text.includes(kNote), "the TLP:AMBER note shows to a user who is no trusted contact");
        assert.equal(await page.getByLabel("Besluit datalek").count(), 0, "the breach decision shows to a user who is no contact");
        await checkPage(page, "incident-colleague", { folder: screenshots });
      },
      screenshots,
    ));

  test("once the coordinator makes the reporter visible, the second member sees its name", async () => {
    assert.ok(incidentId, "the report test did not run");
    await withPage(
      browser,
      "incidents-name",
      async (page) => {
        await signIn(page, world.url, kAnalyst);
        await page.goto(`${world.url}/incidents/${incidentId}`);
        await page.getByRole("button", { name: "Gemeente Amsterdam zichtbaar maken voor de andere deelnemers" }).click();
        await page.getByText("De andere deelnemers zien nu dat Gemeente Amsterdam deelneemt.").waitFor();
        await page.getByRole("button", { name: "Gemeente Amsterdam verbergen voor de andere deelnemers" }).waitFor();
      },
      screenshots,
    );
    await withPage(
      browser,
      "incidents-named",
      async (page) => {
        await signIn(page, world.url, kSecond);
        await page.goto(`${world.url}/incidents/${incidentId}`);
        const others = page.getByRole("region", { name: "Andere betrokken organisaties" });
        await others.getByText("Gemeente Amsterdam", { exact: true }).waitFor();
        // The name only: the reporter's title and report stay its own.
        const text = await page.locator("main").innerText();
        assert.ok(!text.includes(kReportTitle) && !text.includes(kReportText));
      },
      screenshots,
    );
  });

  test("the statistics count the incident by type, cause and impact and download as CSV", () =>
    withPage(
      browser,
      "incidents-statistics",
      async (page) => {
        await signIn(page, world.url, kAnalyst);
        await page.getByRole("navigation").getByRole("link", { name: "Statistiek incidenten" }).click();
        await page.getByRole("heading", { level: 1, name: "Statistiek incidenten" }).waitFor();
        await page.getByRole("heading", { name: "1 incident in totaal" }).waitFor();
        const byType = page.getByRole("table", { name: "Naar RSIT-type" });
        assert.match(await byType.getByRole("row").nth(1).innerText(), /Phishing \(fraud:phishing\)\s+1\s+100 %/);
        assert.match(
          await page.getByRole("table", { name: "Naar oorzaak (door wie)" }).getByRole("row").nth(1).innerText(),
          /1\s+100 %/,
        );
        await page.locator(".baken-chart canvas").waitFor();
        await checkPage(page, "incident-statistics", { folder: screenshots });

        const download = page.waitForEvent("download");
        await page.getByRole("button", { name: "Downloaden als CSV" }).click();
        const path = join(world.dir, "incidents.csv");
        await (await download).saveAs(path);
        const lines = readFileSync(path, "utf8").replace(/^\uFEFF/, "").split("\r\n");
        assert.equal(lines[0], "table;code;name;count;share");
        assert.ok(lines.includes("Naar RSIT-type;fraud:phishing;Phishing (fraud:phishing);1;100"), lines.join("\n"));
        assert.ok(lines.includes("Naar impact;low;laag;1;100"), lines.join("\n"));

        // A period without incidents.
        await page.getByLabel("Vanaf").fill("2020-01-01");
        await page.getByLabel("Tot en met").fill("2020-12-31");
        await page.getByRole("button", { name: "Tonen" }).click();
        await page.getByText("Geen incidenten in deze periode.").waitFor();
        assert.match(page.url(), /from=2020-01-01&to=2020-12-31/);
      },
      screenshots,
    ));

  test("an analyst escalates a finding into an incident that its member then follows", () =>
    withPage(
      browser,
      "incidents-escalate",
      async (page) => {
        // A telnet finding on Amsterdam's network (192.0.2.0/24), as a feed would bring it.
        const report = join(world.dir, "2026-12-05-scan_telnet-nl.csv");
        writeFileSync(report, "timestamp,ip,port\n2026-12-05 01:00:00,192.0.2.77,23\n");
        world.baken(["ingest", report]);
        await signIn(page, world.url, kAnalyst);
        const events = await apiInPage(page, "/events?member=GM0363");
        assert.equal(events.status, 200);
        const eventId = events.body.events.at(-1)["baken.id"];
        await page.goto(`${world.url}/events/${eventId}`);
        const section = page.getByRole("region", { name: "Incident" });
        await section.getByText("Nog in geen enkel incident opgenomen.").waitFor();
        // The title starts as the finding's heading; the analyst may change it.
        assert.match(await section.getByLabel("Titel van het nieuwe incident").inputValue(), /192\.0\.2\.77/);
        await checkPage(page, "event-escalate", { folder: screenshots });
        await section.getByRole("button", { name: "Incident openen" }).click();
        await page.waitForURL(/\/incidents\/\d+$/);
        const escalated = Number(/\/incidents\/(\d+)$/.exec(page.url())[1]);
        assert.notEqual(escalated, incidentId);
        // Amsterdam takes part, and the incident links back to the finding.
        await page.getByRole("table", { name: "Deelnemers" }).getByText("Gemeente Amsterdam").waitFor();
        await page.getByRole("table", { name: "Koppelingen" }).getByRole("link", { name: String(eventId) }).waitFor();
        // Back on the finding: the incident it went to.
        await page.goto(`${world.url}/events/${eventId}`);
        await section.getByRole("link", { name: new RegExp(`^#${escalated} `) }).waitFor();

        // Amsterdam's user finds it among its incidents; Rotterdam does not.
        const member = await browser.newPage();
        try {
          await signIn(member, world.url, kReporter);
          const mine = await apiInPage(member, `/incidents/${escalated}`);
          assert.equal(mine.status, 200);
          assert.equal(mine.body.participation.member, "GM0363");
          assert.equal(mine.body.links, undefined, "links are the analysts'");
        } finally {
          await member.close();
        }
        const other = await browser.newPage();
        try {
          await signIn(other, world.url, kSecond);
          assert.equal((await apiInPage(other, `/incidents/${escalated}`)).status, 404);
          assert.equal((await apiInPage(other, `/incidents?linked=event:${eventId}`)).status, 403);
        } finally {
          await other.close();
        }
      },
      screenshots,
    ));
});
