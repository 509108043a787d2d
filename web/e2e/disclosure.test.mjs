// A researcher's report in the portal, end to end (issue 17, decision 0020): from the sign-in
// page a researcher without an account finds the form, reports a system of two members (the
// browser does the proof of work), gets the report's number and status link, and follows the
// report there: two organisations informed, none named; adds information through the same link.
// A member's trusted contact finds the report under its own menu item, reads its own system only
// (the report concerns another member too), acknowledges it and marks it fixed, which the
// researcher's status page then counts. Markup in the description is refused with the reason in
// the reader's language. Debian's
// Chromium against a real `baken serve` on loopback; axe at 1440 and 360 px.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { World, artifactsDir, launchBrowser, sourceDir, stopAll } from "./harness.mjs";
import { checkPage, signIn, withPage } from "./pages.mjs";

const screenshots = join(artifactsDir, "disclosure");

const kMember = { email: "trusted@aa.example.nl", password: "lang genoeg wachtwoord 1" };

let world;
let browser;
let statusLink; // the first test's report, which the member then answers

before(async () => {
  mkdirSync(screenshots, { recursive: true });
  world = new World();
  world.baken(["member", "import", join(sourceDir, "tests/data/disclosure/members.json")]);
  world.addUser(kMember.email, "member", "GM0001", kMember.password);
  // A small proof of work, so that the test does not wait on it; the rule is the same.
  const config = join(world.dir, "baken.json");
  writeFileSync(config, JSON.stringify({ disclosure: { proof_of_work_bits: 12 } }));
  await world.serve({ config });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  const reports = await stopAll();
  assert.deepEqual(reports, [], "a sanitizer reported a problem in a process the tests ran");
});

async function fillReport(page, description) {
  await page.getByLabel("Titel", { exact: true }).fill("Beheerinterface zonder wachtwoord");
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
});
