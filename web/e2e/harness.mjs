// What the portal's end-to-end tests run against: a real `baken serve` on a free port on
// 127.0.0.1 with its own SQLite database, a real SMTP server (tests/support/smtp_server.py),
// and Debian's Chromium driven by playwright-core. Everything started here is stopped by
// stopAll(), which the tests call in `after` (also when a test failed); each child also has
// its own time limit, so nothing outlives a crashed test run for long.
import { spawn, execFileSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const webDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const sourceDir = resolve(webDir, "..");
// The program under test: BAKEN (make test passes the sanitizer build), else the release build.
export const bakenBinary = process.env.BAKEN ?? join(sourceDir, "build", "release", "baken");
export const artifactsDir = process.env.E2E_ARTIFACTS ?? join(sourceDir, "build", "e2e-artifacts");
const kStartSeconds = 60;

const children = [];
const cleanups = [];

// What each child wrote to stderr; a sanitizer report there fails the run (see stopAll).
function track(child, name) {
  const entry = { child, name, stderr: "" };
  children.push(entry);
  child.stderr?.on("data", (chunk) => {
    entry.stderr += chunk;
  });
  return child;
}

// Starts `command`, waits until a line of its stdout matches `ready`, returns the match.
function startUntil(name, command, args, ready, options = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = track(spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], ...options }), name);
    let out = "";
    let err = "";
    const timer = setTimeout(() => {
      reject(new Error(`${name} did not start within ${kStartSeconds} s\n${out}\n${err}`));
    }, kStartSeconds * 1000);
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const match = out.match(ready);
      if (match) {
        clearTimeout(timer);
        resolvePromise({ child, match });
      }
    });
    child.stderr.on("data", (chunk) => {
      err += chunk;
      if (process.env.E2E_VERBOSE) process.stderr.write(`[${name}] ${chunk}`);
    });
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited early (${code ?? signal})\n${out}\n${err}`));
    });
  });
}

export class World {
  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), "baken-e2e-"));
    this.db = join(this.dir, "baken.db");
    cleanups.push(() => rmSync(this.dir, { recursive: true, force: true }));
  }

  // Runs the baken command line on this world's database; returns stdout.
  baken(args, input) {
    return execFileSync(bakenBinary, ["--db", this.db, ...args], {
      input,
      encoding: "utf8",
      timeout: 120_000,
      stdio: ["pipe", "pipe", "pipe"],
    });
  }

  addUser(email, role, member, password) {
    const args = ["user", "add", "--email", email, "--role", role, "--password-stdin"];
    if (member) args.push("--member", member);
    this.baken(args, `${password}\n`);
  }

  async startSmtp() {
    const mailDir = join(this.dir, "mail");
    mkdirSync(mailDir);
    const { match } = await startUntil(
      "smtp",
      "/usr/bin/python3", // Debian's, which has python3-aiosmtpd
      [join(sourceDir, "tests/support/smtp_server.py"), "--dir", mailDir, "--timeout", "900"],
      /PORT (\d+)/,
    );
    this.smtpUrl = `smtp://127.0.0.1:${match[1]}`;
  }

  // `config`: a configuration file (--config), which the scheduled jobs read too.
  async serve({ jobs = false, config = null } = {}) {
    const { match } = await startUntil(
      "baken serve",
      "timeout",
      [
        "900",
        bakenBinary,
        "--db",
        this.db,
        ...(config ? ["--config", config] : []),
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--web-root",
        join(webDir, "dist"),
        // The scheduled jobs only where a test looks at them: a retention run would remove
        // the old findings the other tests read.
        ...(jobs ? [] : ["--no-jobs"]),
      ],
      /listens on (http:\/\/127\.0\.0\.1:\d+)/,
    );
    this.url = match[1];
  }
}

export async function launchBrowser() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    timeout: kStartSeconds * 1000,
    // Root in CI needs --no-sandbox; the rest keeps Chromium off a network it cannot reach.
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
    ],
  });
  cleanups.push(() => browser.close());
  return browser;
}

export async function stopAll() {
  for (const { child } of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
  }
  await Promise.all(
    children.map(
      ({ child }) =>
        new Promise((done) => {
          if (child.exitCode !== null || child.signalCode !== null) return done();
          const force = setTimeout(() => child.kill("SIGKILL"), 5000);
          child.on("exit", () => {
            clearTimeout(force);
            done();
          });
        }),
    ),
  );
  for (const cleanup of cleanups.reverse()) await cleanup();
  // AddressSanitizer, UndefinedBehaviorSanitizer and LeakSanitizer all say "Sanitizer".
  return children
    .filter(({ stderr }) => /Sanitizer/.test(stderr))
    .map(({ name, stderr }) => `${name}:\n${stderr}`);
}

// An authenticator app's code (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits) for a base32
// secret at `millis`: written here from the RFC, independently of the server's liboath.
export function totpCode(base32Secret, millis) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const char of base32Secret.replace(/=+$/, "")) {
    bits += alphabet.indexOf(char).toString(2).padStart(5, "0");
  }
  const key = Buffer.from(bits.match(/.{8}/g).map((byte) => parseInt(byte, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(millis / 1000 / 30)));
  const mac = createHmac("sha1", key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const number = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(number).padStart(6, "0");
}
