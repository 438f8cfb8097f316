// Starts a real `hotro serve` on a free loopback port with a fresh data directory, adds staff
// with the real CLI, and opens Debian's chromium through playwright-core. No mocks.
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { chromium } from "playwright-core";

const here = new URL(".", import.meta.url).pathname;
export const BIN = process.env.HOTRO_BIN
  ?? join(process.env.CARGO_TARGET_DIR ?? resolve(here, "../../target"), "debug/hotro");
export const SHOTS = resolve(here, "../../artifacts/screenshots");
mkdirSync(SHOTS, { recursive: true });

/** The built-in policy's file, for a test that serves a variant of it. */
export const DEFAULT_POLICY = readFileSync(resolve(here, "../../crates/core/policy/default.toml"), "utf8");

/** Runs the hotro CLI against a data directory; returns stdout. */
export function cli(data, args, input) {
  return execFileSync(BIN, [...args, "--data", data], { input, encoding: "utf8" });
}

/**
 * A running server: { base, data, stop() }. `policy`, when given, is the text of a policy
 * file it serves under (the built-in policy otherwise); `data` reuses a directory (a second
 * start of the same installation); `keep` leaves the directory for the next start.
 */
export async function startHotro({ data: reuse, policy, keep = false } = {}) {
  const data = reuse ?? mkdtempSync(join(tmpdir(), "hotro-e2e-"));
  cli(data, ["migrate"]);
  const args = ["serve", "--data", data, "--listen", "127.0.0.1:0"];
  if (policy) {
    const file = join(data, "policy.toml");
    writeFileSync(file, policy);
    args.push("--policy", file);
  }
  const child = spawn(BIN, args, {
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, HOTRO_LOG: "warn" },
  });
  const lines = createInterface({ input: child.stdout });
  const base = await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error("hotro serve did not start")), 20000);
    lines.on("line", (line) => {
      const m = line.match(/^hotro: listening on (http:\/\/\S+)/);
      if (m) { clearTimeout(timer); ok(m[1]); }
    });
    child.on("exit", (code) => fail(new Error(`hotro serve exited (${code})`)));
  });
  return {
    base,
    data,
    addStaff(email, name, department, role = "agent", password = "mật-khẩu-thử-nghiệm") {
      cli(data, ["user", "add", "--email", email, "--name", name, "--department", department,
        "--role", role, "--password-stdin"], password + "\n");
      return { email, password };
    },
    async stop() {
      child.kill("SIGTERM");
      await new Promise((ok) => { if (child.exitCode !== null) ok(); else child.on("exit", ok); });
      if (!keep) rmSync(data, { recursive: true, force: true });
    },
  };
}

/** Debian's chromium, headless, with background networking off (the machine is offline). */
export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/** Signs a member of staff in through the login page. */
export async function signIn(page, base, { email, password }) {
  await page.goto(`${base}/agent/login`);
  await page.getByLabel(/E-mail/).fill(email);
  await page.getByLabel(/Mật khẩu|Password/).fill(password);
  await page.getByTestId("sign-in").click();
  await page.waitForURL(`${base}/agent`);
}

export async function shot(page, name) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/**
 * Collects what the page's Content-Security-Policy refused (issue 14): chromium reports each
 * blocked script, style or handler on the console. A flow ends asserting the list is empty,
 * since a blocked one leaves a page unstyled or a button dead without any other error.
 */
export function policyViolations(page) {
  const refused = [];
  page.on("console", (msg) => {
    if (/Content Security Policy/i.test(msg.text())) refused.push(msg.text());
  });
  return refused;
}
