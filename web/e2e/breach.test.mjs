// A data breach in the portal, end to end (issue 15, decision 0018): a member's trusted contact
// reports an incident and records a data breach with the moment it became aware, and sees the
// countdown to the AP's deadline computed from that moment; a refused decision (no reason given)
// reads in Dutch; past the deadline the countdown says so and a late notification asks why; the
// text for the AP's form follows the form and copies; a later supplement to the notification
// (in phases) is kept. A general contact of the same member sees neither the breach nor the
// register. The register lists the breach with its supplement and downloads as CSV; staff see
// the participant's breach clock on the incident.
// Debian's Chromium against a real `baken serve` on loopback; axe at 1440 and 360 px.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { World, artifactsDir, launchBrowser, sourceDir, stopAll } from "./harness.mjs";
import { apiInPage, checkPage, signIn, withPage } from "./pages.mjs";

const kTrusted = { email: "soc@amsterdam.example.nl", password: "lang genoeg wachtwoord 1" };
const kAnalyst = { email: "analist@cert.example.nl", password: "lang genoeg wachtwoord 2" };
// A general contact of Amsterdam, neither trusted nor privacy: the breach does not exist for it.
const kGeneral = { email: "algemeen@amsterdam.example.nl", password: "lang genoeg wachtwoord 5" };
const kTitle = "Brief met BSN naar verkeerd adres";
const kWhat = "Een brief met naam, adres en BSN van een inwoner ging naar een ander adres.";
const screenshots = join(artifactsDir, "breach");

let world;
let browser;
let incidentId;
let deadlineAt;

before(async () => {
  mkdirSync(screenshots, { recursive: true });
  world = new World();
  // The seed members, with a general contact added to Amsterdam.
  const members = JSON.parse(readFileSync(join(sourceDir, "tests/data/advisories/members.json"), "utf8"));
  const list = Array.isArray(members) ? members : members.members;
  const amsterdam = list.find((member) => member.code === "GM0363");
  amsterdam.contacts.push({ name: "Servicedesk", email: kGeneral.email, roles: ["general"], language: "nl" });
  const file = join(world.dir, "members.json");
  writeFileSync(file, JSON.stringify(members));
  world.baken(["member", "import", file]);
  world.addUser(kTrusted.email, "member", "GM0363", kTrusted.password);
  world.addUser(kAnalyst.email, "analyst", null, kAnalyst.password);
  world.addUser(kGeneral.email, "member", "GM0363", kGeneral.password);
  await world.serve();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  const reports = await stopAll();
  assert.deepEqual(reports, [], "a sanitizer reported a problem in a process the tests ran");
});

describe("data breach", () => {
  test("a member reports an incident and a data breach and sees the countdown", () =>
    withPage(
      browser,
      "breach-report",
      async (page) => {
        await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
        await signIn(page, world.url, kTrusted);
        await page.getByRole("navigation").getByRole("link", { name: "Incident melden" }).click();
        await page.getByLabel("Titel").fill(kTitle);
        await page.getByRole("button", { name: "Melden" }).click();
        await page.getByRole("heading", { level: 1, name: kTitle }).waitFor();
        incidentId = Number(/\/incidents\/(\d+)$/.exec(page.url())[1]);

        // Aware 24 h 48 min ago, in the browser's own time: 47 h 12 min of the 72 are left.
        const aware = await page.evaluate(() => {
          const at = new Date(Date.now() - (24 * 60 + 48) * 60_000);
          const pad = (n) => String(n).padStart(2, "0");
          return {
            date: `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`,
            time: `${pad(at.getHours())}:${pad(at.getMinutes())}`,
          };
        });
        const form = page.locator("form").filter({ has: page.getByRole("heading", { name: "Datalek vastleggen" }) });
        // Without the moment of awareness nothing is sent: the 72 hours need it.
        await form.getByRole("button", { name: "Datalek vastleggen" }).click();
        await page.getByText("Vul de datum en de tijd in waarop uw organisatie van het lek wist.").waitFor();
        await form.getByLabel("Datum").fill(aware.date);
        await form.getByLabel("Tijd").fill(aware.time);
        await form.getByLabel("Wat is er gebeurd").fill(kWhat);
        await form.getByLabel("vertrouwelijkheid (gegevens gelezen of gekopieerd)").check();
        await form.getByLabel("Soorten persoonsgegevens").fill("naam, adres, BSN");
        await form.getByLabel("Aantal records (schatting)").fill("1200");
        await form.getByLabel("Aantal betrokkenen (schatting)").fill("1");
        await form.getByLabel("Risico voor de betrokkenen").selectOption("high_risk");
        await form.getByRole("button", { name: "Datalek vastleggen" }).click();
        await page.getByText("Het datalek is opgeslagen.").waitFor();

        const breach = (await apiInPage(page, `/incidents/${incidentId}/participations/GM0363/breach`)).body;
        assert.equal(breach.state, "open");
        assert.deepEqual(breach.details.nature, ["confidentiality"]);
        assert.deepEqual(breach.details.data_categories, ["naam", "adres", "BSN"]);
        assert.equal(breach.details.records, 1200);
        deadlineAt = breach.deadline_at;
        // The deadline is 72 h after the moment entered (the fields hold whole minutes).
        const awareAt = Date.parse(breach.aware_at);
        assert.equal(Date.parse(deadlineAt) - awareAt, 72 * 3_600_000);
        assert.ok(Math.abs(Date.now() - (24 * 60 + 48) * 60_000 - awareAt) < 2 * 60_000, breach.aware_at);

        // The countdown in hours and minutes, with its state in words.
        const countdown = page.getByTestId("breach-countdown");
        const shown = await countdown.innerText();
        const match = /nog (\d+) uur (\d+) min tot de termijn van de AP/.exec(shown);
        assert.ok(match, shown);
        const left = Math.floor((Date.parse(deadlineAt) - (await page.evaluate(() => Date.now()))) / 60_000);
        assert.equal(Number(match[1]), 47, shown);
        assert.ok(Math.abs(Number(match[1]) * 60 + Number(match[2]) - left) <= 1, `${shown} vs ${left} min`);
        assert.match(shown, /loopt/);
        // No live region: a minute's tick is not announced.
        assert.equal(await countdown.locator("[aria-live]").count(), 0);
        assert.equal(await countdown.getAttribute("aria-live"), null);

        // The text for the AP's form, in the form's order, from the breach's facts.
        const text = await page.getByLabel("Tekst voor het meldformulier", { exact: true }).inputValue();
        assert.ok(text.startsWith("1. Contactgegevens en algemene informatie\nOrganisatie: Gemeente Amsterdam\n"), text);
        assert.match(text, /^Wat is er gebeurd: Een brief met naam, adres en BSN/m);
        assert.match(text, /^Aantal records \(schatting\): 1\.200$/m);
        assert.match(text, /^Risico voor de betrokkenen: hoog risico$/m);
        assert.ok(text.indexOf("2. Tijdlijn") < text.indexOf("4. Betrokken persoonsgegevens"));
        await page.getByRole("button", { name: "Tekst kopiëren" }).click();
        await page.getByText("De tekst is gekopieerd.").waitFor();
        assert.equal(await page.evaluate(() => navigator.clipboard.readText()), text);
        await checkPage(page, "breach-member", { folder: screenshots });

        // Deciding not to notify needs the reason: the server's refusal reads in Dutch.
        const decisions = page.locator("form").filter({ has: page.getByRole("heading", { name: "Feiten en besluiten" }) });
        await decisions.getByLabel("Melding bij de AP").selectOption("no_notify");
        await decisions.getByRole("button", { name: "Datalek opslaan" }).click();
        await page.getByRole("alert").getByText("ap_reason: bij deze beslissing hoort een reden").waitFor();
        assert.deepEqual(page.problems.splice(0), ["console: Failed to load resource: the server responded with a status of 400 (Bad Request)"]);
        await decisions.getByLabel("Waarom niet melden").fill("Versleutelde gegevens; geen risico voor de inwoner.");
        await decisions.getByRole("button", { name: "Datalek opslaan" }).click();
        await page.getByText("Het datalek is opgeslagen.").waitFor();
        await page.getByTestId("breach-countdown").getByText("besloten niet te melden bij de AP").waitFor();
        assert.equal((await apiInPage(page, `/incidents/${incidentId}/participations/GM0363/breach`)).body.state, "not_notified");
      },
      screenshots,
    ));

  test("past the deadline the countdown says so, and a late notification asks why it was late", () =>
    withPage(
      browser,
      "breach-late",
      async (page) => {
        await signIn(page, world.url, kTrusted);
        const created = await apiInPage(page, "/incidents", "POST", { title: "Kwijtgeraakte laptop" });
        assert.equal(created.status, 201, JSON.stringify(created.body));
        const id = created.body.id;
        // Aware 80 hours ago: the 72 hours passed 8 hours ago.
        const aware = new Date(Date.now() - 80 * 3_600_000).toISOString().replace(/\.\d{3}Z$/, "Z");
        const saved = await apiInPage(page, `/incidents/${id}/participations/GM0363/breach`, "PUT", { aware_at: aware });
        assert.equal(saved.status, 200, JSON.stringify(saved.body));
        assert.equal(saved.body.state, "overdue");
        await page.goto(`${world.url}/incidents/${id}`);
        const countdown = page.getByTestId("breach-countdown");
        await countdown.getByText(/^termijn verstreken, 8 uur \d+ min geleden$/).waitFor();
        await countdown.getByText("termijn verstreken", { exact: true }).waitFor(); // the badge
        await checkPage(page, "breach-overdue", { folder: screenshots });

        // Notified an hour ago, after the deadline: the form asks for the delay's reason.
        const notified = await page.evaluate(() => {
          const at = new Date(Date.now() - 3_600_000);
          const pad = (n) => String(n).padStart(2, "0");
          return {
            date: `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`,
            time: `${pad(at.getHours())}:${pad(at.getMinutes())}`,
          };
        });
        const form = page.locator("form").filter({ has: page.getByRole("heading", { name: "Feiten en besluiten" }) });
        assert.equal(await form.getByLabel("Reden voor de late melding").count(), 0);
        await form.getByLabel("Melding bij de AP").selectOption("notify");
        const when = form.getByRole("group", { name: "Gemeld bij de AP op" });
        await when.getByLabel("Datum").fill(notified.date);
        await when.getByLabel("Tijd").fill(notified.time);
        await form.getByLabel("Meldnummer van de AP").fill("M-2026-0042");
        await form.getByLabel("Reden voor de late melding").waitFor();
        // Sent without it, the server refuses in Dutch.
        await form.getByRole("button", { name: "Datalek opslaan" }).click();
        await page.getByRole("alert").getByText("de AP is na de 72 uur ingelicht; geef de reden van de vertraging", { exact: false }).waitFor();
        assert.deepEqual(page.problems.splice(0), ["console: Failed to load resource: the server responded with a status of 400 (Bad Request)"]);
        await form.getByLabel("Reden voor de late melding").fill("De laptop werd pas na het weekend gemist.");
        await form.getByRole("button", { name: "Datalek opslaan" }).click();
        await page.getByText("Het datalek is opgeslagen.").waitFor();
        await countdown.getByText(/^gemeld bij de AP op /).waitFor();
        const breach = (await apiInPage(page, `/incidents/${id}/participations/GM0363/breach`)).body;
        assert.equal(breach.state, "notified");
        assert.equal(breach.ap_reference, "M-2026-0042");
        assert.equal(breach.delay_reason, "De laptop werd pas na het weekend gemist.");
        const text = await page.getByLabel("Tekst voor het meldformulier", { exact: true }).inputValue();
        assert.match(text, /^Aanvulling op een eerdere melding: ja, meldnummer M-2026-0042$/m);
        assert.match(text, /^Reden voor de late melding: De laptop werd pas na het weekend gemist\.$/m);

        // In phases (Art. 33(4)): half an hour later the member told the AP how many people.
        const updates = page.getByRole("region", { name: "Aanvullingen op de melding" });
        await updates.getByText("Nog niets aangevuld.").waitFor();
        const later = await page.evaluate(() => {
          const at = new Date(Date.now() - 1_800_000);
          const pad = (n) => String(n).padStart(2, "0");
          return {
            date: `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`,
            time: `${pad(at.getHours())}:${pad(at.getMinutes())}`,
          };
        });
        const sent = updates.getByRole("group", { name: "Verzonden aan de AP op" });
        await sent.getByLabel("Datum").fill(later.date);
        await sent.getByLabel("Tijd").fill(later.time);
        await updates.getByLabel("Wat u de AP meldde").fill("Op de laptop stonden gegevens van 212 inwoners.");
        await updates.getByRole("button", { name: "Aanvulling vastleggen" }).click();
        await page.getByText("De aanvulling is vastgelegd.").waitFor();
        await updates.getByRole("table", { name: "Aanvullingen op de melding" }).getByText("Op de laptop stonden gegevens van 212 inwoners.").waitFor();
        await checkPage(page, "breach-updates", { folder: screenshots });
        const updated = (await apiInPage(page, `/incidents/${id}/participations/GM0363/breach`)).body;
        assert.equal(updated.state, "notified");
        assert.deepEqual(
          updated.ap_updates.map((update) => [update.kind, update.note]),
          [["supplement", "Op de laptop stonden gegevens van 212 inwoners."]],
        );
      },
      screenshots,
    ));

  test("a general contact of the same member sees neither the breach nor the register", () =>
    withPage(
      browser,
      "breach-general",
      async (page) => {
        assert.ok(incidentId, "the report test did not run");
        await signIn(page, world.url, kGeneral);
        await page.goto(`${world.url}/incidents/${incidentId}`);
        await page.getByRole("heading", { level: 1, name: kTitle }).waitFor();
        await page.getByRole("heading", { name: "Logboek" }).waitFor();
        assert.equal(await page.getByRole("heading", { name: "Het datalek" }).count(), 0);
        assert.equal(await page.getByTestId("breach-countdown").count(), 0);
        assert.equal(await page.getByText(kWhat).count(), 0);
        assert.equal((await apiInPage(page, `/incidents/${incidentId}/participations/GM0363/breach`)).status, 404);

        // The menu does not offer the register to a general contact; asked for, it says why.
        assert.equal(await page.getByRole("navigation").getByRole("link", { name: "Datalekregister" }).count(), 0);
        assert.deepEqual((await apiInPage(page, "/session")).body.contact_roles, ["general"]);
        await page.goto(`${world.url}/members/GM0363/breaches`);
        await page.getByText("Dit register lezen alleen de vertrouwde en privacycontactpersonen").waitFor();
        assert.equal(await page.locator("main table").count(), 0);
        assert.equal((await apiInPage(page, "/members/GM0363/breaches")).status, 404);
        page.problems.length = 0; // the 404s it was meant to get
      },
      screenshots,
    ));

  test("the register lists the breach and downloads as CSV", () =>
    withPage(
      browser,
      "breach-register",
      async (page) => {
        assert.ok(incidentId, "the report test did not run");
        await signIn(page, world.url, kTrusted);
        await page.getByRole("navigation").getByRole("link", { name: "Datalekregister" }).click();
        await page.getByRole("heading", { level: 1, name: "Datalekregister GM0363" }).waitFor();
        await page.getByText("2 datalekken", { exact: true }).waitFor();
        const row = page.locator("main table tbody tr").filter({ hasText: kTitle });
        assert.match(await row.innerText(), /niet gemeld[\s\S]*niet melden/);
        await checkPage(page, "breach-register", { folder: screenshots });

        const download = page.waitForEvent("download");
        await page.getByRole("link", { name: "Register downloaden (CSV)" }).click();
        const file = join(screenshots, "datalekregister.csv");
        await (await download).saveAs(file);
        const lines = readFileSync(file, "utf8").trim().split("\r\n");
        assert.equal(lines.length, 3, lines.join("\n"));
        assert.match(lines[0], /^incident,member,title,aware_at,deadline_at,state,ap_decision/);
        const line = lines.find((candidate) => candidate.startsWith(`${incidentId},GM0363,${kTitle},`));
        assert.ok(line, lines.join("\n"));
        assert.match(line, /,not_notified,no_notify,/);
        assert.ok(
          lines.some((candidate) => /,Kwijtgeraakte laptop,.*,notified,notify,.*supplement: Op de laptop stonden gegevens van 212 inwoners\."?$/.test(candidate)),
          lines.join("\n"),
        );
      },
      screenshots,
    ));

  test("staff see the participant's breach on the incident", () =>
    withPage(
      browser,
      "breach-staff",
      async (page) => {
        assert.ok(incidentId, "the report test did not run");
        await signIn(page, world.url, kAnalyst);
        await page.goto(`${world.url}/incidents/${incidentId}`);
        await page.getByRole("heading", { name: "Datalek per deelnemer" }).waitFor();
        await page.getByTestId("breach-countdown").getByText("niet gemeld").waitFor();
        assert.equal(await page.getByLabel("Waarom niet melden").inputValue(), "Versleutelde gegevens; geen risico voor de inwoner.");
        await checkPage(page, "breach-staff", { rowActions: true, folder: screenshots });
      },
      screenshots,
    ));
});
