// A researcher's report in the portal, end to end (issue 17, decision 0020): from the sign-in
// page a researcher without an account finds the form, reports a system of two members (the
// browser does the proof of work), gets the report's number and status link, and follows the
// report there: two organisations informed, none named; adds information through the same link.
// Markup in the description is refused with the reason in the reader's language. Debian's
// Chromium against a real `baken serve` on loopback; axe at 1440 and 360 px.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { World, artifactsDir, launchBrowser, sourceDir, stopAll } from "./harness.mjs";
import { checkPage, withPage } from "./pages.mjs";

const screenshots = join(artifactsDir, "disclosure");

let world;
let browser;

before(async () => {
  mkdirSync(screenshots, { recursive: true });
  world = new World();
  world.baken(["member", "import", join(sourceDir, "tests/data/disclosure/members.json")]);
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
