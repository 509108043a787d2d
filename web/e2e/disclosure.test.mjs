// A researcher's report in the portal, end to end (issue 17, decision 0020): from the sign-in
// page a researcher without an account finds the form, reports a system of two members (the
// browser does the proof of work), gets the report's number and status link, and follows the
// report there: two organisations informed, none named; adds information through the same link.
// A member's trusted contact finds the report under its own menu item, reads its own system only
// (the report concerns another member too), acknowledges it and marks it fixed, which the
// researcher's status page then counts. Markup in the description is refused with the reason in
// the reader's language. An analyst finds the reports in the queue (the one no member owns by its
// filter), reads one whole (the researcher's text, where each item went, the members' answers,
// the thread with the researcher, the evidence and the e-mail as downloads), confirms a candidate
// from the inventories, tells a member of a report no one owns and withdraws it, merges a
// duplicate into the earlier report (a second merge into the closed duplicate is refused with the
// reason), opens an incident from the earlier report and follows the link to it, and reads the
// statistics. Debian's Chromium against a real `baken serve` on loopback; axe at 1440 and 360 px.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { World, artifactsDir, launchBrowser, sourceDir, stopAll } from "./harness.mjs";
import { apiInPage, checkPage, signIn, withPage } from "./pages.mjs";

const screenshots = join(artifactsDir, "disclosure");

const kMember = { email: "trusted@aa.example.nl", password: "lang genoeg wachtwoord 1" };
const kAnalyst = { email: "analist@cert.example.nl", password: "lang genoeg wachtwoord 2" };
const kFirstTitle = "Beheerinterface zonder wachtwoord";
const kDuplicateTitle = "Beheerportaal van Bee open";
const kProofOfConcept = "curl -k https://portal.bee.example.nl/admin";
// A report by e-mail about an address no member owns.
const kMail =
  "From: R. Onderzoeker <r.onderzoeker@example.net>\r\n" +
  "To: cert@cert.example\r\n" +
  "Subject: Open database op 203.0.113.9\r\n" +
  "Message-ID: <e2e-unrouted@example.net>\r\n" +
  "Date: Mon, 07 Dec 2026 09:00:00 +0000\r\n" +
  "MIME-Version: 1.0\r\n" +
  "Content-Type: text/plain; charset=utf-8\r\n" +
  "\r\n" +
  "De database op 203.0.113.9 antwoordt zonder wachtwoord.\r\n";

let world;
let browser;
let config;
let statusLink; // the first test's report, which the member then answers
// The reports in the analysts' queue: the first test's (A), a duplicate a partner sent (B), one
// by e-mail about an address no member owns (C).
const queue = {};

before(async () => {
  mkdirSync(screenshots, { recursive: true });
  world = new World();
  world.baken(["member", "import", join(sourceDir, "tests/data/disclosure/members.json")]);
  world.addUser(kMember.email, "member", "GM0001", kMember.password);
  world.addUser(kAnalyst.email, "analyst", null, kAnalyst.password);
  // RIPE's abuse contact for the address no member owns, suggested by the notify run; the
  // host's security.txt is not asked for (the test stays off the network).
  const ripe = (name, text) => {
    writeFileSync(join(world.dir, name), text);
    return join(world.dir, name);
  };
  world.baken([
    "ripe",
    "load",
    ripe("ripe.db.inetnum", "inetnum:        203.0.113.0 - 203.0.113.255\nabuse-c:        PRV1-RIPE\nsource:         RIPE\n"),
    ripe("ripe.db.organisation", "organisation:   ORG-PRV1-RIPE\nabuse-c:        PRV1-RIPE\nsource:         RIPE\n"),
    ripe("ripe.db.role", "role:           Provider Abuse\nabuse-mailbox:  abuse@provider.example\nnic-hdl:        PRV1-RIPE\nsource:         RIPE\n"),
  ]);
  // A small proof of work, so that the test does not wait on it; the rule is the same.
  config = join(world.dir, "baken.json");
  writeFileSync(config, JSON.stringify({ disclosure: { proof_of_work_bits: 12, security_txt: false } }));
  await world.startSmtp();
  await world.serve({ config });
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

async function fillReport(page, description) {
  await page.getByLabel("Titel", { exact: true }).fill(kFirstTitle);
  await page.getByLabel("Beschrijving", { exact: true }).fill(description);
  await page.getByLabel("IP-adressen", { exact: true }).fill("192.0.2.10");
  await page.getByLabel("Hostnamen", { exact: true }).fill("portal.bee.example.nl");
}

describe("researchers' reports", () => {
  test("a researcher reports a system without an account and follows the report", () =>
    withPage(
      browser,
      "disclosure-report",
      async (page) => {
        await page.goto(`${world.url}/`);
        await page.getByRole("link", { name: "Meld het zonder account" }).click();
        await page.getByRole("heading", { level: 1, name: "Kwetsbaarheid melden" }).waitFor();
        await checkPage(page, "disclosure-form", { folder: screenshots });
        await fillReport(page, "De beheerinterface antwoordt zonder wachtwoord.");
        await page.getByLabel("E-mailadres", { exact: true }).fill("r.searcher@example.net");
        await page.getByRole("button", { name: "Melding versturen" }).click();
        await page.getByRole("heading", { level: 1, name: "Melding ontvangen" }).waitFor();
        const received = await page.getByText("Wij hebben uw melding ontvangen onder nummer", { exact: false }).textContent();
        const reference = received.match(/CVD-\d{4}-\d{5}/)?.[0];
        assert.ok(reference, received);
        const link = await page.getByTestId("report-status-link").getAttribute("href");
        assert.match(link, /\/report-status#[A-Za-z0-9_-]{40,}$/);
        statusLink = link;

        // The status page, opened from the link as from an e-mail.
        await page.goto(`${world.url}/`);
        await page.goto(link);
        await page.getByRole("heading", { level: 1, name: `Status van melding ${reference}` }).waitFor();
        await page.getByText("Toestand: ontvangen, nog niet beoordeeld.", { exact: false }).waitFor();
        await page.getByText("Op de hoogte gebracht: 2").waitFor();
        await page.getByText("Hebben het probleem opgelost: 0").waitFor();
        const text = await page.getByRole("main").textContent();
        for (const name of ["Gemeente Aa", "Gemeente Bee", "GM0001", "GM0002"]) {
          assert.equal(text.includes(name), false, `the status page names ${name}`);
        }
        await checkPage(page, "disclosure-status", { folder: screenshots });

        // Adding information through the same link.
        await page.getByLabel("Informatie toevoegen", { exact: true }).fill("Ook poort 8443 staat open.");
        await page.getByRole("button", { name: "Toevoegen", exact: true }).click();
        await page.getByText("Uw bericht is toegevoegd.").waitFor();
        await page.getByTestId("report-messages").getByText("Ook poort 8443 staat open.").waitFor();
      },
      screenshots,
    ));

  test("a member reads its own part of the report, acknowledges it and marks it fixed", () =>
    withPage(
      browser,
      "disclosure-member",
      async (page) => {
        assert.ok(statusLink, "the first test made no report");
        await signIn(page, world.url, kMember);
        await page.getByRole("navigation").getByRole("link", { name: "Kwetsbaarheidsmeldingen" }).click();
        await page.getByRole("heading", { level: 1, name: "Kwetsbaarheidsmeldingen" }).waitFor();
        await checkPage(page, "disclosure-member-list", { folder: screenshots });
        await page.getByRole("link", { name: /^CVD-\d{4}-\d{5}$/ }).first().click();
        await page.getByRole("heading", { level: 1, name: /^Kwetsbaarheidsmelding CVD-/ }).waitFor();
        await page.getByTestId("notification-state").getByText("gezien", { exact: false }).waitFor();
        // Its own system, not the other member's host, and not the researcher's text, which
        // names both: an analyst summarises it first.
        await page.getByTestId("notification-items").getByText("192.0.2.10").waitFor();
        const main = await page.getByRole("main").textContent();
        assert.equal(main.includes("portal.bee.example.nl"), false, "another member's host is shown");
        assert.equal(main.includes("antwoordt zonder wachtwoord"), false, "the researcher's text is shown");
        await page.getByText("Een analist van het CERT maakt een samenvatting voor u", { exact: false }).waitFor();
        await checkPage(page, "disclosure-member-report", { folder: screenshots });
        await page.getByRole("button", { name: "Ontvangst bevestigen" }).click();
        await page.getByText("Uw reactie is vastgelegd: ontvangst bevestigd.").waitFor();
        await page.getByLabel("Toelichting", { exact: true }).fill("Beheerinterface afgesloten.");
        await page.getByRole("button", { name: "Opgelost", exact: true }).click();
        await page.getByText("Uw reactie is vastgelegd: opgelost.").waitFor();
        await page.getByTestId("notification-state").getByText("opgelost", { exact: false }).waitFor();

        // The researcher sees it, still without names.
        await page.goto(`${world.url}/`);
        await page.goto(statusLink);
        await page.getByText("Hebben de ontvangst bevestigd: 1").waitFor();
        await page.getByText("Hebben het probleem opgelost: 1").waitFor();
        assert.equal((await page.getByRole("main").textContent()).includes("Gemeente Aa"), false);
      },
      screenshots,
    ));

  test("markup in the description is refused with the reason", () =>
    withPage(
      browser,
      "disclosure-refused",
      async (page) => {
        await page.goto(`${world.url}/report-vulnerability`);
        await fillReport(page, "Bewijs: <img src=x onerror=alert(1)>");
        await page.getByRole("button", { name: "Melding versturen" }).click();
        await page
          .getByRole("alert")
          .getByText("bevat opmaak die in een browser kan worden uitgevoerd", { exact: false })
          .waitFor();
        assert.equal(await page.getByRole("heading", { level: 1, name: "Melding ontvangen" }).count(), 0);
      },
      screenshots,
    ));

  test("an analyst finds the reports in the queue, the one no member owns by its filter", () =>
    withPage(
      browser,
      "disclosure-queue",
      async (page) => {
        assert.ok(statusLink, "the first test made no report");
        await signIn(page, world.url, kAnalyst);
        // A duplicate of the first report from a partner, with evidence and a product that the
        // inventories match (a candidate for Aa, which the host does not reach)...
        const entered = await apiInPage(page, "/vulnerability-reports?channel=partner", "POST", {
          title: kDuplicateTitle,
          description: "Het beheerportaal van portal.bee.example.nl vraagt geen wachtwoord.",
          severity: "high",
          hosts: ["portal.bee.example.nl"],
          products: [{ vendor: "Citrix", product: "NetScaler ADC" }],
          attachments: [{ name: "poc.txt", media_type: "text/plain", content_base64: Buffer.from(kProofOfConcept).toString("base64") }],
          reporter_name: "Partner-CERT",
          share_details: true,
          credit: true,
          credit_as: "Partner-CERT Noord",
        });
        assert.equal(entered.status, 201, JSON.stringify(entered.body));
        queue.B = entered.body;
        // ...and a report by e-mail about an address no member owns.
        queue.C = JSON.parse(world.baken(["--json", "intake", "mail"], kMail));
        assert.equal(queue.C.format, "plain");
        // The notify run looks up where it may go.
        const notified = JSON.parse(world.baken(["--json", "--config", config, "notify", "--smtp", world.smtpUrl, "--retry-seconds", "0"]));
        assert.ok(notified.reports.suggested >= 1, JSON.stringify(notified));
        const all = await apiInPage(page, "/vulnerability-reports");
        queue.A = all.body.reports.find((report) => report.title === kFirstTitle);
        assert.ok(queue.A, JSON.stringify(all.body));

        await page.getByRole("navigation").getByRole("link", { name: "Kwetsbaarheidsmeldingen", exact: true }).click();
        await page.getByRole("heading", { level: 1, name: "Kwetsbaarheidsmeldingen" }).waitFor();
        await page.getByRole("heading", { level: 2, name: "3 meldingen" }).waitFor();
        const rows = page.getByRole("main").getByRole("row");
        const row = (reference) => rows.filter({ has: page.getByRole("link", { name: reference, exact: true }) });
        // Newest first; the first report reached two members, one of which fixed it; the
        // duplicate has a candidate to confirm.
        const references = await page.getByRole("main").getByRole("link", { name: /^CVD-\d{4}-\d{5}$/ }).allTextContents();
        assert.deepEqual(references, [queue.C.reference, queue.B.reference, queue.A.reference]);
        const first = await cellsOf(row(queue.A.reference));
        assert.deepEqual([first[1], first[3], ...first.slice(5)], [kFirstTitle, "ontvangen", "2", "1", "1", "0"]);
        const duplicate = await cellsOf(row(queue.B.reference));
        assert.deepEqual([duplicate[2], duplicate[3], ...duplicate.slice(5)], ["Hoog", "ontvangen", "1", "0", "0", "1"]);
        await checkPage(page, "disclosure-queue", { folder: screenshots });

        // Only the e-mailed report reaches no member.
        await page.getByLabel("Bereikt nog geen lid").selectOption("true");
        await page.getByRole("button", { name: "Filteren" }).click();
        await page.getByRole("heading", { level: 2, name: "1 melding gevonden" }).waitFor();
        assert.deepEqual(
          await page.getByRole("main").getByRole("link", { name: /^CVD-\d{4}-\d{5}$/ }).allTextContents(),
          [queue.C.reference],
        );
        assert.match(page.url(), /unrouted=true/);
      },
      screenshots,
    ));

  test("an analyst reads a report whole and writes to its researcher", () =>
    withPage(
      browser,
      "disclosure-staff-report",
      async (page) => {
        assert.ok(queue.A && queue.B, "the queue test made no reports");
        await signIn(page, world.url, kAnalyst);
        await page.goto(`${world.url}/disclosure/reports`);
        await page.getByRole("link", { name: queue.A.reference, exact: true }).click();
        await page.getByRole("heading", { level: 1, name: `${queue.A.reference} ${kFirstTitle}` }).waitFor();
        const main = page.getByRole("main");
        // The researcher's own text, shown as text, and what the researcher agreed to.
        assert.equal(await page.getByTestId("report-description").textContent(), "De beheerinterface antwoordt zonder wachtwoord.");
        await main.getByText("r.searcher@example.net").waitFor();
        // Each item and the member it reached, with the claim that matched.
        const items = main.getByRole("table", { name: "Wat de melding noemt" });
        const ip = await cellsOf(items.getByRole("row").filter({ hasText: "192.0.2.10" }));
        assert.deepEqual(ip.slice(0, 3), ["IP-adres", "192.0.2.10", "Gemeente Aa (GM0001)"]);
        assert.match(ip[3], /^IP-reeks .*192\.0\.2\.0\/24/);
        const host = await cellsOf(items.getByRole("row").filter({ hasText: "portal.bee.example.nl" }));
        assert.deepEqual(host.slice(0, 3), ["Hostnaam", "portal.bee.example.nl", "Gemeente Bee (GM0002)"]);
        assert.match(host[3], /^domein .*bee\.example\.nl/);
        // The members' answers: Aa fixed it (no more withdrawing), Bee has not answered yet.
        const members = main.getByRole("table", { name: "Leden en hun antwoord" });
        const aa = members.getByRole("row").filter({ hasText: "GM0001" });
        const aaCells = await cellsOf(aa);
        assert.deepEqual([aaCells[1], aaCells[2], aaCells[6]], ["opgelost", "IP-reeks", "Beheerinterface afgesloten."]);
        assert.equal(await aa.getByRole("button").count(), 0);
        const bee = members.getByRole("row").filter({ hasText: "GM0002" });
        const beeCells = await cellsOf(bee);
        assert.deepEqual([beeCells[1], beeCells[2]], ["gemeld", "domein"]);
        await bee.getByRole("button", { name: "Intrekken: Gemeente Bee" }).waitFor();
        // The thread with the researcher has the researcher's addition; the analyst answers.
        await page.getByTestId("thread-reporter").getByText("Ook poort 8443 staat open.").waitFor();
        await page.getByTestId("thread-reporter").getByText("De melder,", { exact: false }).waitFor();
        await checkPage(page, "disclosure-staff-report", { folder: screenshots, rowActions: true });
        await page.getByLabel("Bericht", { exact: true }).fill("Dank u, wij hebben de gemeenten ingelicht.");
        await page.getByRole("button", { name: "Versturen" }).click();
        await page.getByText("Het bericht aan de melder is verstuurd.").waitFor();
        await page.getByTestId("thread-reporter").getByText("Dank u, wij hebben de gemeenten ingelicht.").waitFor();
        // The researcher reads it on the status page.
        await page.goto(`${world.url}/`);
        await page.goto(statusLink);
        await page.getByTestId("report-messages").getByText("Dank u, wij hebben de gemeenten ingelicht.").waitFor();

        // The duplicate: its candidate from the inventories is confirmed, its evidence downloaded.
        await page.goto(`${world.url}/disclosure/reports/${queue.B.id}`);
        await page.getByRole("heading", { level: 1, name: `${queue.B.reference} ${kDuplicateTitle}` }).waitFor();
        await main.getByText("Ja, als Partner-CERT Noord").waitFor();
        const candidate = main.getByRole("table", { name: "Leden en hun antwoord" }).getByRole("row").filter({ hasText: "GM0001" });
        assert.deepEqual((await cellsOf(candidate)).slice(1, 3), ["voorgesteld", "ICT-inventaris (kandidaat)"]);
        await checkPage(page, "disclosure-staff-duplicate", { folder: screenshots, rowActions: true });
        await candidate.getByRole("button", { name: "Bevestigen en inlichten: Gemeente Aa" }).click();
        await page.getByText("Gemeente Aa is ingelicht.").waitFor();
        // The page asks for the report again after the change.
        await candidate.getByRole("cell", { name: "gemeld", exact: true }).waitFor();
        const [download] = await Promise.all([page.waitForEvent("download"), main.getByRole("link", { name: "poc.txt" }).click()]);
        assert.equal(download.suggestedFilename(), "poc.txt");
        assert.equal(readFileSync(await download.path(), "utf8"), kProofOfConcept);
      },
      screenshots,
    ));

  test("an analyst tells a member of a report no member owns, and withdraws it again", () =>
    withPage(
      browser,
      "disclosure-unrouted",
      async (page) => {
        assert.ok(queue.C, "the queue test made no report");
        await signIn(page, world.url, kAnalyst);
        await page.goto(`${world.url}/disclosure/reports/${queue.C.report}`);
        await page.getByRole("heading", { level: 1, name: `${queue.C.reference} Open database op 203.0.113.9` }).waitFor();
        const main = page.getByRole("main");
        assert.deepEqual(
          await cellsOf(main.getByRole("table", { name: "Wat de melding noemt" }).getByRole("row").filter({ hasText: "203.0.113.9" })),
          ["IP-adres", "203.0.113.9", "nog geen lid", "—"],
        );
        // Where it may go: RIPE's abuse contact for the range.
        const suggestion = main.getByRole("table", { name: "Waar de melding heen kan" }).getByRole("row").filter({ hasText: "203.0.113.9" });
        const found = await cellsOf(suggestion);
        assert.deepEqual(found.slice(0, 4), ["203.0.113.9", "RIPE-database (abuse-c)", "inetnum 203.0.113.0 - 203.0.113.255", "abuse@provider.example"]);
        await main.getByText("De melding bereikt nog geen lid.").waitFor();
        // The e-mail it came in: who sent it, how, and the message itself as a download.
        const mail = main.getByRole("table", { name: "Binnengekomen e-mails" }).getByRole("row").filter({ hasText: "r.onderzoeker@example.net" });
        assert.deepEqual((await cellsOf(mail)).slice(1, 4), ["Gewone tekst", "Nee", "niet ondertekend"]);
        const [download] = await Promise.all([page.waitForEvent("download"), mail.getByRole("link", { name: /^E-mail downloaden/ }).click()]);
        assert.match(readFileSync(await download.path(), "utf8"), /^From: R\. Onderzoeker <r\.onderzoeker@example\.net>/);
        await checkPage(page, "disclosure-staff-unrouted", { folder: screenshots });

        // Sent on to a member by hand, then withdrawn after a question that says what it does.
        await page.getByRole("button", { name: "Inlichten", exact: true }).click();
        await page.getByText("Kies het lid dat u wilt inlichten.").waitFor();
        await page.getByLabel("Lid", { exact: true }).selectOption("SV0003");
        await page.getByRole("button", { name: "Inlichten", exact: true }).click();
        await page.getByText("Samenwerking Cee is ingelicht.").waitFor();
        const cee = main.getByRole("table", { name: "Leden en hun antwoord" }).getByRole("row").filter({ hasText: "SV0003" });
        await cee.waitFor();
        assert.deepEqual((await cellsOf(cee)).slice(1, 3), ["gemeld", "door een analist"]);
        await cee.getByRole("button", { name: "Intrekken: Samenwerking Cee" }).click();
        const dialog = page.getByRole("alertdialog", { name: "De notificatie aan Samenwerking Cee intrekken?" });
        await dialog.getByText("hoeft niet meer te antwoorden", { exact: false }).waitFor();
        await dialog.getByRole("button", { name: "Intrekken" }).click();
        await page.getByText("De notificatie aan Samenwerking Cee is ingetrokken.").waitFor();
        await cee.getByRole("cell", { name: "ingetrokken", exact: true }).waitFor();
        await cee.getByRole("button", { name: "Opnieuw inlichten: Samenwerking Cee" }).waitFor();
      },
      screenshots,
    ));

  test("a duplicate is merged into the earlier report, which then becomes an incident", () =>
    withPage(
      browser,
      "disclosure-merge",
      async (page) => {
        assert.ok(queue.A && queue.B && queue.C, "the queue test made no reports");
        await signIn(page, world.url, kAnalyst);
        await page.goto(`${world.url}/disclosure/reports/${queue.B.id}`);
        await page.getByRole("heading", { level: 1, name: `${queue.B.reference} ${kDuplicateTitle}` }).waitFor();
        const main = page.getByRole("main");
        // Something that is no report's number is refused at the field.
        await page.getByLabel("Eerdere melding", { exact: true }).fill("INC-2026-00001");
        await page.getByRole("button", { name: "Samenvoegen" }).click();
        await page.getByText("Vul een meldingsnummer in, zoals CVD-2026-00017 of 17.").waitFor();
        // Merged by the earlier report's reference, after a question.
        await page.getByLabel("Eerdere melding", { exact: true }).fill(queue.A.reference);
        await page.getByRole("button", { name: "Samenvoegen" }).click();
        const dialog = page.getByRole("alertdialog", { name: `${queue.B.reference} samenvoegen met ${queue.A.reference}?` });
        await dialog.getByText("kan niet worden teruggedraaid", { exact: false }).waitFor();
        await dialog.getByRole("button", { name: "Samenvoegen" }).click();
        await page.getByText(`Samengevoegd met ${queue.A.reference}.`).waitFor();
        await main.getByText("Een samengevoegde melding blijft gesloten", { exact: false }).waitFor();
        await main.getByText("De melding is nu: gesloten.").waitFor();
        // What it asked of the members is withdrawn here; they follow the earlier report.
        for (const code of ["GM0001", "GM0002"]) {
          const row = main.getByRole("table", { name: "Leden en hun antwoord" }).getByRole("row").filter({ hasText: code });
          assert.equal((await cellsOf(row))[1], "ingetrokken", code);
        }

        // A report cannot join a closed one: the server's reason, in Dutch.
        await page.goto(`${world.url}/disclosure/reports/${queue.C.report}`);
        await page.getByRole("heading", { level: 1, name: new RegExp(`^${queue.C.reference}`) }).waitFor();
        await page.getByLabel("Eerdere melding", { exact: true }).fill(String(queue.B.id));
        await page.getByRole("button", { name: "Samenvoegen" }).click();
        await page.getByRole("alertdialog").getByRole("button", { name: "Samenvoegen" }).click();
        await page.getByRole("alert").getByText(`melding ${queue.B.id} kan deze melding niet opnemen`, { exact: false }).waitFor();
        assert.deepEqual(page.problems.splice(0), ["console: Failed to load resource: the server responded with a status of 400 (Bad Request)"]);

        // The earlier report names the duplicate and what it added (the product).
        await page.goto(`${world.url}/disclosure/reports/${queue.B.id}`);
        await page.getByText("Deze melding is samengevoegd met een eerdere en gesloten", { exact: false }).first().waitFor();
        await main.getByRole("link", { name: `${queue.A.reference} ${kFirstTitle}` }).first().click();
        await page.getByRole("heading", { level: 1, name: `${queue.A.reference} ${kFirstTitle}` }).waitFor();
        await main.getByRole("link", { name: `${queue.B.reference} ${kDuplicateTitle}` }).waitFor();
        await main.getByRole("table", { name: "Wat de melding noemt" }).getByRole("row").filter({ hasText: "Citrix NetScaler ADC" }).waitFor();

        // The earlier report becomes an incident, once; the report links to it.
        await page.getByLabel("Titel van het incident", { exact: true }).fill("Beheerinterfaces zonder wachtwoord bij gemeenten");
        await page.getByRole("button", { name: "Incident openen" }).click();
        const opened = await page.getByText(/^Incident #\d+ is geopend\.$/).textContent();
        const incident = Number(/#(\d+)/.exec(opened)[1]);
        await main.getByText("Van deze melding is een incident gemaakt:").waitFor();
        assert.equal(await page.getByRole("button", { name: "Incident openen" }).count(), 0);
        await checkPage(page, "disclosure-staff-merged", { folder: screenshots, rowActions: true });
        await main.getByRole("link", { name: `Incident #${incident}` }).first().click();
        await page.getByRole("heading", { level: 1, name: `#${incident} Beheerinterfaces zonder wachtwoord bij gemeenten` }).waitFor();
        // The members the report reached take part.
        const participations = page.getByRole("table", { name: "Deelnemers" });
        await participations.getByText("Gemeente Aa (GM0001)").waitFor();
        await participations.getByText("Gemeente Bee (GM0002)").waitFor();
      },
      screenshots,
    ));

  test("the statistics count the reports by month, channel and answer", () =>
    withPage(
      browser,
      "disclosure-stats",
      async (page) => {
        await signIn(page, world.url, kAnalyst);
        await page.getByRole("navigation").getByRole("link", { name: "Statistiek kwetsbaarheidsmeldingen" }).click();
        await page.getByRole("heading", { level: 1, name: "Statistiek kwetsbaarheidsmeldingen" }).waitFor();
        await page.getByRole("heading", { level: 2, name: "3 meldingen in totaal" }).waitFor();
        const main = page.getByRole("main");
        const month = new Intl.DateTimeFormat("nl-NL", { month: "long", year: "numeric", timeZone: "UTC" }).format(new Date());
        const byMonth = main.getByRole("table", { name: "Per maand" }).getByRole("row").filter({ hasText: month });
        // The first report is still received, the duplicate closed, the e-mailed one received.
        assert.deepEqual(await cellsOf(byMonth), [month, "2", "0", "0", "0", "1", "3"]);
        const channels = main.getByRole("table", { name: "Per kanaal" });
        for (const channel of ["Webformulier", "Partner", "E-mail"]) {
          assert.deepEqual(await cellsOf(channels.getByRole("row").filter({ hasText: channel })), [channel, "1"]);
        }
        // Live notifications only: Aa fixed the first report, Bee has not answered.
        await main.getByText("2 notificaties aan leden, naar hun status nu.").waitFor();
        const answers = main.getByRole("table", { name: "Antwoorden van de leden" });
        assert.deepEqual(await cellsOf(answers.getByRole("row").filter({ hasText: "opgelost" })), ["opgelost", "1"]);
        assert.deepEqual(await cellsOf(answers.getByRole("row").filter({ hasText: "gemeld" })), ["gemeld", "1"]);
        assert.deepEqual(await cellsOf(answers.getByRole("row").filter({ hasText: "geen reactie" })), ["geen reactie", "0"]);
        await main.getByText(/^mediaan [\d,.]+ uur \(over 1 notificatie\)$/).first().waitFor();
        await checkPage(page, "disclosure-stats", { folder: screenshots });

        // A period without reports.
        await page.getByLabel("Vanaf", { exact: true }).fill("2020-01-01");
        await page.getByLabel("Tot en met", { exact: true }).fill("2020-12-31");
        await page.getByRole("button", { name: "Tonen" }).click();
        await page.getByText("Geen meldingen in deze periode.").waitFor();
        assert.match(page.url(), /from=2020-01-01&to=2020-12-31/);
      },
      screenshots,
    ));
});
