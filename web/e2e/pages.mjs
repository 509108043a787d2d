// What a browser test does with a page, shared by the test files: open one that fails on any
// script error, sign in, keep a screenshot when a step fails, and check a page for WCAG 2.1 AA
// (axe-core) and sideways scrolling at 1440 and 360 px, saving a screenshot of each width.
import assert from "node:assert/strict";
import { join } from "node:path";
import { AxeBuilder } from "@axe-core/playwright";
import { artifactsDir } from "./harness.mjs";

export const kWidths = [
  { name: "1440", width: 1440, height: 900 },
  { name: "360", width: 360, height: 740 },
];

// A page that records every script error and console error but 401/404 (which the portal
// handles as states); checkPage fails on them, a test that expects one takes it out. With
// `organisation`, the browser answers GET /api/v1/organisation itself, as a configured server
// would, so that screenshots show the header and footer a member sees.
export async function openPage(browser, { organisation = null } = {}) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: "nl-NL" });
  const page = await context.newPage();
  page.problems = [];
  page.on("pageerror", (error) => page.problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error" && !/status of 40[14]/.test(message.text())) {
      page.problems.push(`console: ${message.text()}`);
    }
  });
  if (organisation) {
    await page.route("**/api/v1/organisation", (route) =>
      route.fulfill({ status: 200, contentType: "application/json", body: JSON.stringify(organisation) }),
    );
  }
  page.setDefaultTimeout(15_000);
  return page;
}

export async function signIn(page, url, who) {
  await page.goto(`${url}/`);
  await page.getByLabel("E-mailadres").fill(who.email);
  await page.getByLabel("Wachtwoord").fill(who.password);
  await page.getByRole("button", { name: "Inloggen" }).click();
  await page.getByRole("button", { name: "Uitloggen" }).waitFor();
}

// Runs `body` with a fresh page (opened with `options`, see openPage); on failure saves a
// screenshot of where it stopped in `folder`.
export async function withPage(browser, name, body, folder = artifactsDir, options = {}) {
  const page = await openPage(browser, options);
  try {
    await body(page);
  } catch (error) {
    const file = name.replace(/[^a-z0-9]+/gi, "-").slice(0, 60);
    await page.screenshot({ path: join(folder, `FAILED-${file}.png`), fullPage: true }).catch(() => {});
    throw error;
  } finally {
    await page.context().close();
  }
}

// axe-core (WCAG 2.1 A and AA plus best practice), no sideways scrolling and, at 360 px, every
// button in a table row on screen, at each width, with a full-page screenshot of each.
// `rowActions`: the page's tables must have buttons in their rows (rows stack rather than
// scroll); buttons in rows are checked on every page anyway. `folder`: where the screenshots go
// (a test file's own, which another file's clean-up spares). `widths`: a subset of kWidths.
export async function checkPage(page, name, { rowActions = false, folder = artifactsDir, widths = kWidths } = {}) {
  for (const size of widths) {
    await page.setViewportSize({ width: size.width, height: size.height });
    await settled(page);
    const where = `${name} at ${size.name} px`;
    const result = await new AxeBuilder({ page })
      .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"])
      .analyze();
    const violations = result.violations.map(
      (v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
    );
    assert.deepEqual(violations, [], `${where} has accessibility violations`);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    assert.ok(overflow <= 0, `${where} is ${overflow} px wider than the window`);
    if (size.width === 360) await checkRowActions(page, where, rowActions);
    await page.screenshot({ path: join(folder, `${name}-${size.name}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1440, height: 900 });
  assert.deepEqual(page.problems, [], `${name}: errors in the page`);
}

// The page has drawn its main part and heading, nothing is loading any more, and its fonts are in.
export async function settled(page) {
  await page.getByRole("main").waitFor();
  await page.getByRole("heading", { level: 1 }).first().waitFor();
  // Only what loads the page: an upload in progress is busy on purpose, and a list's own wait
  // for its next page is the list test's to make.
  await page.waitForFunction(() => !document.querySelector(".baken-loading"));
  await page.evaluate(() => document.fonts.ready);
}

async function checkRowActions(page, where, required) {
  const width = await page.evaluate(() => window.innerWidth);
  const buttons = await page.locator("main table tbody button").evaluateAll((elements) =>
    elements.map((element) => {
      const box = element.getBoundingClientRect();
      return { name: element.getAttribute("aria-label") ?? element.textContent, left: box.left, right: box.right };
    }),
  );
  if (required) assert.ok(buttons.length > 0, `${where}: no buttons in table rows`);
  for (const button of buttons) {
    assert.ok(
      button.left >= 0 && button.right <= width && button.right > button.left,
      `${where}: "${button.name}" is not on screen (${button.left}–${button.right} px)`,
    );
  }
  const scrolling = await page
    .locator(".baken-table__box")
    .evaluateAll((boxes) => boxes.filter((box) => box.scrollWidth > box.clientWidth + 1).length);
  assert.equal(scrolling, 0, `${where}: a table scrolls sideways inside its box`);
}

// The API as the signed-in browser user (cookie and CSRF token), for what a test checks or
// prepares behind the portal.
export async function apiInPage(page, path, method = "GET", body = undefined) {
  return page.evaluate(
    async ({ path, method, body }) => {
      const headers = { Accept: "application/json" };
      if (method !== "GET") {
        headers["X-CSRF-Token"] = (await (await fetch("/api/v1/session")).json()).csrf_token;
        headers["Content-Type"] = "application/json";
      }
      const response = await fetch(`/api/v1${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, body: await response.json().catch(() => null) };
    },
    { path, method, body },
  );
}
