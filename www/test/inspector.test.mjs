// Browser tests of the SVID inspector: playwright-core driving Debian's headless Chromium against
// the built page (www/dist) served on 127.0.0.1. Prints one line per test and a final
// "N passed, M failed"; exits non-zero on any failure. Saves screenshots of a valid and an invalid
// sample (desktop light/dark, phone width).
//
//   node www/test/inspector.test.mjs [--dir www/dist] [--screenshots DIR | --no-screenshots]
// Screenshots default to <dir>/screenshots; `make inspector-screenshots` writes www/screenshots.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { deflateRawSync } from "node:zlib";
import { chromium } from "playwright-core";
import { serve } from "../tools/serve.mjs";

const www = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const dirArg = args.indexOf("--dir");
const dir = resolve(dirArg >= 0 ? args[dirArg + 1] : join(www, "dist"));
const shotsArg = args.indexOf("--screenshots");
const shots = args.includes("--no-screenshots") ? null : resolve(shotsArg >= 0 ? args[shotsArg + 1] : join(dir, "screenshots"));
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";

const samples = JSON.parse(readFileSync(join(dir, "samples.json"), "utf8"));
const sample = (id) => samples.samples.find((s) => s.id === id);

// ---------------------------------------------------------------------------------------------
// A tiny runner: every test gets a fresh page; failures are printed, never thrown past main.

const tests = [];
const test = (name, fn) => tests.push({ name, fn });

class Failure extends Error {}
function assert(cond, message) {
  if (!cond) throw new Failure(message);
}
function equal(actual, expected, what) {
  if (actual !== expected) throw new Failure(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

const { server, url: base } = await serve(dir, 0);
const origin = new URL(base).origin;
const profile = mkdtempSync(join(tmpdir(), "svidkit-inspector-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM,
  headless: true,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
  viewport: { width: 1280, height: 1000 },
  colorScheme: "light",
});
await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin });

// Every request of every page, for the "nothing leaves the browser" tests.
const requests = [];
context.on("request", (r) => requests.push({ url: r.url(), at: Date.now() }));

let consoleErrors = [];

async function open(hash = "", { width = 1280, height = 1000, scheme = "light" } = {}) {
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  await page.setViewportSize({ width, height });
  await page.emulateMedia({ colorScheme: scheme });
  page.on("console", (m) => {
    if (m.type() === "error") consoleErrors.push(`${page.url()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => consoleErrors.push(`${page.url()}: ${e.message}`));
  await page.goto(base + hash);
  await page.waitForSelector("body[data-ready=true]");
  return page;
}

const text = (page, sel) => page.locator(sel).first().textContent({ timeout: 2000 }).then((t) => t?.trim() ?? null);

/** Waits until the verdict shows `expect` ({trusted} or {trusted: false, code}); reports what it shows otherwise. */
async function expectVerdict(page, expect, what = "verdict") {
  try {
    await page.waitForFunction(
      (e) => {
        const title = document.getElementById("verdict-title")?.textContent;
        const code = document.getElementById("verdict-code")?.textContent;
        return e.trusted ? title === "Trusted" : title === "Not trusted" && code === e.code;
      },
      expect,
      { timeout: 5000 },
    );
  } catch {
    const shown = await page.evaluate(() => document.getElementById("verdict")?.innerText.replace(/\s+/g, " ").slice(0, 300));
    throw new Failure(`${what}: expected ${expect.trusted ? "Trusted" : `Not trusted / ${expect.code}`}, the page shows: ${shown}`);
  }
}

async function checkStatuses(page) {
  return page.$$eval("#checklist li", (lis) => Object.fromEntries(lis.map((li) => [li.dataset.check, li.dataset.status])));
}

/** A paste event with `text` on the paste area, as the clipboard would deliver it. */
async function pasteText(page, value) {
  await page.evaluate((v) => {
    const dt = new DataTransfer();
    dt.setData("text/plain", v);
    const ta = document.getElementById("paste");
    ta.focus();
    ta.dispatchEvent(new ClipboardEvent("paste", { clipboardData: dt, bubbles: true, cancelable: true }));
  }, value);
}

/** Drops files ({name, text} or {name, base64}) onto the paste area. */
async function dropFiles(page, files) {
  await page.evaluate((fs) => {
    const dt = new DataTransfer();
    for (const f of fs) {
      const body = f.base64 !== undefined ? Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0)) : f.text;
      dt.items.add(new File([body], f.name));
    }
    const target = document.getElementById("paste");
    for (const type of ["dragenter", "dragover", "drop"]) {
      target.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
    }
  }, files);
}

/** Sets the verify-as-of control to `seconds`, as a user typing into it would. */
async function setAsOf(page, seconds) {
  const value = await page.evaluate(async (s) => (await import("./format.js")).toLocalInput(s), seconds);
  await page.fill("#as-of", value);
}

function pemBlocks(pem) {
  return pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\n?/g);
}
function pemBody(block) {
  return block.replace(/-----(BEGIN|END) CERTIFICATE-----/g, "").replace(/\s+/g, "");
}

// ---------------------------------------------------------------------------------------------

test("the page loads from its own origin, says nothing leaves the browser, and sets a CSP", async () => {
  const page = await open();
  const privacy = await text(page, "#privacy");
  assert(/nothing leaves your browser/i.test(privacy) && /no network requests/i.test(privacy), `privacy statement: ${privacy}`);
  const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', "content");
  assert(csp.includes("default-src 'none'") && csp.includes("connect-src 'self'"), `CSP: ${csp}`);
  equal(await page.locator("#gallery .sample").count(), samples.samples.length, "sample buttons");
  await page.close();
});

for (const s of samples.samples) {
  test(`sample ${s.id} → ${s.expect.trusted ? "trusted" : s.expect.code}`, async () => {
    const page = await open();
    await page.click(`#sample-${s.id}`);
    await expectVerdict(page, s.expect, s.id);
    const statuses = await checkStatuses(page);
    const failed = Object.entries(statuses).filter(([, st]) => st === "fail");
    equal(failed.length, s.expect.trusted ? 0 : 1, `${s.id}: failed checks (${JSON.stringify(statuses)})`);
    equal(await page.getAttribute(`#sample-${s.id}`, "aria-pressed"), "true", "selected sample is pressed");
    await page.close();
  });
}

test("paste a bundle and a PEM chain → SPIFFE ID and the full checklist", async () => {
  const page = await open();
  await pasteText(page, samples.bundles["city.gov"]);
  await page.waitForSelector('#bundle-list li[data-td="city.gov"]');
  const summary = await text(page, '#bundle-list li[data-td="city.gov"] .bundle-summary');
  assert(/1 X\.509 authority/.test(summary) && /1 JWT key/.test(summary) && /sequence 42/.test(summary), `bundle summary: ${summary}`);
  const chain = sample("traffic-x509").input;
  await pasteText(page, chain);
  equal(await page.inputValue("#paste"), chain, "the chain lands in the paste area");
  await expectVerdict(page, { trusted: true }, "pasted chain");
  equal(await text(page, "#spiffe-id"), "spiffe://city.gov/traffic/signal/5th-and-main", "SPIFFE ID");
  equal(await text(page, "#spiffe-td"), "city.gov", "trust domain");
  equal(await text(page, "#spiffe-path"), "/traffic/signal/5th-and-main", "path");
  const statuses = await checkStatuses(page);
  for (const id of ["decode", "leaf-uri-san", "leaf-spiffe-id", "leaf-id-path", "bundle", "leaf-not-ca", "leaf-key-usage", "leaf-key", "leaf-validity", "path-issuer", "path-signatures", "path-validity", "path-signing-certificates"]) {
    equal(statuses[id], "pass", `check ${id}`);
  }
  equal(statuses.policy, "skipped", "policy check without a policy");
  const refs = await page.$$eval("#checklist .ref", (els) => els.map((e) => e.textContent));
  assert(refs.some((r) => r.includes("X509-SVID §4.3")) && refs.some((r) => r.includes("RFC 5280")), `standard references: ${refs.join(" | ")}`);
  // The chain is drawn leaf → intermediate → the bundle authority.
  const roles = await page.$$eval(".chain .node .role-badge", (els) => els.map((e) => e.textContent));
  equal(roles.join(" → "), "Leaf → Intermediate → Authority", "chain");
  await page.close();
});

test("a bundle whose trust domain can't be inferred asks for it; a typed bundle can be moved to the bundles", async () => {
  const page = await open();
  // Only the JWT key of city.gov: no X.509 authority names the trust domain.
  const doc = JSON.parse(samples.bundles["city.gov"]);
  doc.keys = doc.keys.filter((k) => k.use === "jwt-svid");
  await pasteText(page, JSON.stringify(doc));
  await page.waitForSelector("#bundle-list li");
  const focused = await page.evaluate(() => document.activeElement?.id ?? "");
  assert(focused.startsWith("bundle-td-"), `focus should move to the new bundle's trust-domain field, is on ${focused}`);
  await page.keyboard.type("city.gov");
  await page.keyboard.press("Enter");
  await page.waitForSelector('#bundle-list li[data-td="city.gov"] .bundle-summary');
  await page.fill("#audience", "spiffe://city.gov/emergency/dispatch");
  await page.fill("#paste", sample("energy-jwt").input);
  await expectVerdict(page, { trusted: true }, "JWT against the JWT-only bundle");
  // Typing (not pasting) a bundle: the page offers to move it.
  await page.fill("#paste", samples.bundles["transit.example"]);
  await page.click("#move-to-bundles");
  await page.waitForSelector('#bundle-list li[data-td="transit.example"]');
  equal(await page.inputValue("#paste"), "", "the paste area is emptied");
  await page.close();
});

test("paste from the real clipboard (Ctrl+V) and detect what was pasted", async () => {
  const page = await open();
  const token = sample("energy-jwt").input;
  await page.evaluate((t) => navigator.clipboard.writeText(t), token);
  await page.focus("#paste");
  await page.keyboard.press("Control+V");
  await page.waitForFunction(() => /JWT-SVID/.test(document.getElementById("detected").textContent));
  equal(await page.inputValue("#paste"), token, "pasted token");
  // No bundle loaded yet: the core says there is no bundle for city.gov … once an audience is named.
  await page.fill("#audience", "spiffe://city.gov/emergency/dispatch");
  await expectVerdict(page, { trusted: false, code: "no-bundle" }, "token without bundles");
  await page.click("#load-sample-bundles");
  await expectVerdict(page, { trusted: true }, "token with the city bundle");
  await page.close();
});

test("a JWT-SVID without an expected audience asks for one, and the verdict follows the audience field", async () => {
  const page = await open();
  await page.click("#sample-audience-mismatch");
  await expectVerdict(page, { trusted: false, code: "audience-mismatch" });
  await page.fill("#audience", "");
  await page.waitForFunction(() => document.getElementById("verdict-title")?.textContent === "Enter an expected audience");
  await page.fill("#audience", "spiffe://city.gov/energy/billing");
  await expectVerdict(page, { trusted: true }, "with the token's own audience");
  await page.close();
});

test("the policy allow list updates the verdict live", async () => {
  const page = await open();
  await page.click("#sample-traffic-x509");
  await expectVerdict(page, { trusted: true });
  await page.fill("#allow", "spiffe://city.gov/emergency/*");
  await expectVerdict(page, { trusted: false, code: "unauthorized" }, "emergency-only policy");
  await page.fill("#allow", "spiffe://city.gov/emergency/*\nspiffe://city.gov/traffic/*");
  await expectVerdict(page, { trusted: true }, "policy that admits traffic");
  await page.close();
});

test("moving the time control past expiry gives expired, and Now restores the verdict", async () => {
  const page = await open();
  await page.click("#sample-traffic-x509");
  await expectVerdict(page, { trusted: true });
  // The leaf's notAfter, as the decoded view shows it.
  const notAfter = await page.$eval("#cert-0 .tl-labels span:last-child time", (t) => Date.parse(t.getAttribute("datetime")) / 1000);
  await setAsOf(page, notAfter + 60);
  await expectVerdict(page, { trusted: false, code: "expired" }, "a minute after the leaf's notAfter");
  equal((await checkStatuses(page))["leaf-validity"], "fail", "leaf-validity check");
  assert(/ended .* ago/.test(await text(page, "#cert-0 .tl-state")), "the leaf's timeline shows it ended");
  await setAsOf(page, notAfter);
  await expectVerdict(page, { trusted: true }, "exactly at notAfter (inclusive)");
  // The lifetime slider: End moves it past the leaf's notAfter.
  await page.focus("#scrub");
  await page.keyboard.press("End");
  await expectVerdict(page, { trusted: false, code: "expired" }, "slider at its end");
  await page.click("#now");
  await expectVerdict(page, { trusted: true }, "back to now");
  // A token: a second after exp is expired (exp is exclusive).
  await page.click("#sample-energy-jwt");
  await expectVerdict(page, { trusted: true });
  const exp = await page.$eval('#jwt-claims tr[data-claim="exp"] td code', (c) => Number(c.textContent));
  await setAsOf(page, exp);
  await expectVerdict(page, { trusted: false, code: "expired" }, "token at exp");
  await page.close();
});

test("drop files: a bundle, a PEM chain, then a binary DER leaf", async () => {
  const page = await open();
  await dropFiles(page, [
    { name: "city.gov.json", text: samples.bundles["city.gov"] },
    { name: "signal.pem", text: sample("traffic-x509").input },
  ]);
  await page.waitForSelector('#bundle-list li[data-td="city.gov"]');
  await expectVerdict(page, { trusted: true }, "dropped chain with dropped bundle");
  equal(await text(page, "#spiffe-id"), "spiffe://city.gov/traffic/signal/5th-and-main", "SPIFFE ID");
  // The leaf alone, as a .der file: it reaches no authority without its intermediate.
  const leafDer = pemBody(pemBlocks(sample("traffic-x509").input)[0]);
  await dropFiles(page, [{ name: "leaf.der", base64: leafDer }]);
  await page.waitForFunction(() => /base64 DER/.test(document.getElementById("detected").textContent));
  await expectVerdict(page, { trusted: false, code: "untrusted" }, "leaf without its intermediate");
  await page.close();
});

test("open files with the file picker: PEM CA certificates become a bundle, a JWT is inspected", async () => {
  const page = await open();
  await page.setInputFiles("#file", [
    { name: "transit-root.pem", mimeType: "application/x-pem-file", buffer: Buffer.from(samples.authorities["transit.example"]) },
    { name: "bus.jwt", mimeType: "text/plain", buffer: Buffer.from(sample("transit-jwt").input) },
  ]);
  await page.waitForSelector('#bundle-list li[data-td="transit.example"]');
  const source = await text(page, '#bundle-list li[data-td="transit.example"] .bundle-source');
  assert(/PEM CA certificates/.test(source), `bundle source: ${source}`);
  await page.fill("#audience", "spiffe://city.gov/traffic/signal-priority");
  // PEM authorities carry no JWT keys, so the token has no JWT authority to check against.
  await expectVerdict(page, { trusted: false, code: "no-bundle" }, "JWT against X.509-only authorities");
  await page.close();
});

test("several trust domains at once (federation), and removing one", async () => {
  const page = await open();
  await page.click("#sample-transit-jwt");
  await expectVerdict(page, { trusted: true });
  equal(await page.locator("#bundle-list > li").count(), 2, "bundles loaded");
  await page.click('#bundle-list li[data-td="transit.example"] button.remove');
  await expectVerdict(page, { trusted: false, code: "no-bundle" }, "without the partner's bundle");
  equal(await page.locator("#bundle-list > li").count(), 1, "bundles left");
  await page.close();
});

test("decoded views: certificate fields, JWT claims with relative times, bundle contents", async () => {
  const page = await open();
  await page.click("#sample-traffic-x509");
  await expectVerdict(page, { trusted: true });
  const leaf = await page.$eval("#cert-0", (el) => el.innerText);
  for (const field of ["Subject", "Issuer", "Serial", "URI SANs", "DNS SANs", "Key", "EC P-256", "Signature algorithm", "Basic constraints", "Key usage", "digitalSignature", "Extended key usage", "Subject key ID", "Authority key ID", "SHA-256 fingerprint"]) {
    assert(leaf.includes(field), `leaf card lacks ${field}`);
  }
  await page.click("#sample-energy-jwt");
  await expectVerdict(page, { trusted: true });
  const exp = await text(page, '#jwt-claims tr[data-claim="exp"] td');
  assert(/UTC/.test(exp) && /\(in 2[34] h/.test(exp), `exp claim: ${exp}`);
  const header = await text(page, "#jwt-header");
  assert(header.includes("ES256") && header.includes("city-gov-jwt-1"), `header: ${header}`);
  await page.click('#bundle-list li[data-td="city.gov"] summary');
  const bundle = await page.$eval('#bundle-list li[data-td="city.gov"] .bundle-details', (el) => el.innerText);
  assert(bundle.includes("city-gov-jwt-1") && /300 s/.test(bundle) && bundle.includes("42") && bundle.includes("city.gov Root CA"), `bundle details: ${bundle.slice(0, 300)}`);
  await page.close();
});

test("a share link restores the same state", async () => {
  const page = await open();
  await page.click("#sample-audience-mismatch");
  await expectVerdict(page, { trusted: false, code: "audience-mismatch" });
  const fixed = samples.generatedAt + 3600;
  await setAsOf(page, fixed);
  await page.fill("#allow", "spiffe://city.gov/traffic/*");
  await page.fill("#skew", "30");
  await page.fill("#audience", "spiffe://city.gov/energy/billing spiffe://city.gov/other");
  await expectVerdict(page, { trusted: true });
  await page.click("#share");
  await page.waitForFunction(() => document.getElementById("share-url").value.includes("#s="));
  const link = await page.inputValue("#share-url");
  const before = await page.evaluate(() => ({
    verdict: document.getElementById("verdict").innerText,
    checks: document.getElementById("checklist").innerText,
    asOf: document.getElementById("as-of").value,
    audience: document.getElementById("audience").value,
    allow: document.getElementById("allow").value,
    skew: document.getElementById("skew").value,
    bundles: [...document.querySelectorAll("#bundle-list > li")].map((li) => li.dataset.td),
  }));
  await page.close();

  const fresh = await open(new URL(link).hash);
  await expectVerdict(fresh, { trusted: true }, "restored");
  const after = await fresh.evaluate(() => ({
    verdict: document.getElementById("verdict").innerText,
    checks: document.getElementById("checklist").innerText,
    asOf: document.getElementById("as-of").value,
    audience: document.getElementById("audience").value,
    allow: document.getElementById("allow").value,
    skew: document.getElementById("skew").value,
    bundles: [...document.querySelectorAll("#bundle-list > li")].map((li) => li.dataset.td),
  }));
  for (const k of Object.keys(before)) equal(JSON.stringify(after[k]), JSON.stringify(before[k]), `restored ${k}`);
  equal(await fresh.getAttribute("#sample-audience-mismatch", "aria-pressed"), "true", "restored sample selection");
  await fresh.close();
});

test("a damaged or inflating share link is reported, and the page stays usable", async () => {
  // 256 MiB of zeros deflate to a link of about 350 kB; the page stops inflating at 8 MiB.
  const bomb = `#s=${deflateRawSync(Buffer.alloc(256 * 1024 * 1024)).toString("base64url")}`;
  for (const [hash, why] of [
    [bomb, /This share link is damaged: it inflates to more than 8 MiB/],
    ["#s=AAAA", /This share link is damaged/],
  ]) {
    const page = await open(hash);
    await page.waitForFunction(() => document.getElementById("input-message").innerText.includes("damaged"));
    const shown = await text(page, "#input-message");
    assert(why.test(shown), `message: ${shown}`);
    await page.click("#sample-audience-mismatch");
    await expectVerdict(page, { trusted: false, code: "audience-mismatch" }, "after a damaged link");
    await page.close();
  }
});

test("keyboard: tab to a sample and press Enter; every control has a label", async () => {
  const page = await open();
  let found = false;
  for (let i = 0; i < 12 && !found; i++) {
    await page.keyboard.press("Tab");
    found = await page.evaluate(() => document.activeElement?.classList.contains("sample"));
  }
  assert(found, "a sample button is reachable with Tab");
  const id = await page.evaluate(() => document.activeElement.dataset.sample);
  await page.keyboard.press("Enter");
  await expectVerdict(page, sample(id).expect, `sample ${id} chosen with the keyboard`);
  const unlabelled = await page.evaluate(() =>
    [...document.querySelectorAll("input, textarea, select, button")]
      .filter((el) => el.type !== "file" && !el.hidden)
      .filter((el) => !(el.labels?.length || el.getAttribute("aria-label") || el.getAttribute("aria-labelledby") || el.textContent.trim()))
      .map((el) => el.id || el.outerHTML.slice(0, 80)),
  );
  equal(unlabelled.join(", "), "", "controls without a label");
  await page.close();
});

test("phone width: no horizontal scrolling, verdict shown; screenshots", async () => {
  const page = await open("", { width: 390, height: 844 });
  await page.click("#sample-expired-x509");
  await expectVerdict(page, { trusted: false, code: "expired" });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  equal(overflow, 0, "horizontal overflow in pixels at 390 px");
  if (shots) {
    await page.evaluate(() => document.getElementById("result").scrollIntoView());
    await page.screenshot({ path: join(shots, "inspector-phone-invalid.png") });
    await page.emulateMedia({ colorScheme: "dark" });
    await page.click("#sample-energy-jwt");
    await expectVerdict(page, { trusted: true });
    await page.evaluate(() => document.getElementById("result").scrollIntoView());
    await page.screenshot({ path: join(shots, "inspector-phone-valid-dark.png") });
  }
  await page.close();
});

test("screenshots: the valid sample (light) and an invalid one (dark)", async () => {
  if (!shots) return;
  const page = await open("", { width: 1280, height: 1300 });
  await page.click("#sample-traffic-x509");
  await expectVerdict(page, { trusted: true });
  await page.evaluate(() => document.activeElement?.blur());
  await page.screenshot({ path: join(shots, "inspector-valid.png") });
  await page.emulateMedia({ colorScheme: "dark" });
  await page.click("#sample-tampered-jwt");
  await expectVerdict(page, { trusted: false, code: "bad-signature" });
  await page.evaluate(() => document.activeElement?.blur());
  await page.evaluate(() => window.scrollTo(0, document.getElementById("input-section").getBoundingClientRect().top + window.scrollY - 12));
  await page.screenshot({ path: join(shots, "inspector-invalid-dark.png") });
  await page.close();
});

test("no request leaves for another origin, and none at all once the page is loaded", async () => {
  const foreign = requests.filter((r) => !r.url.startsWith(origin + "/") && !r.url.startsWith("data:"));
  equal(foreign.map((r) => r.url).join(", "), "", "requests to other origins");
  // A full session on one page: after load, samples, paste, drop, time changes and sharing send nothing.
  const page = await open();
  const start = requests.length;
  await page.click("#sample-traffic-x509");
  await pasteText(page, samples.bundles["transit.example"]);
  await dropFiles(page, [{ name: "bus.jwt", text: sample("transit-jwt").input }]);
  await page.fill("#audience", "spiffe://city.gov/traffic/signal-priority");
  await expectVerdict(page, { trusted: true });
  await setAsOf(page, samples.generatedAt + 10 * 24 * 3600);
  await expectVerdict(page, { trusted: false, code: "expired" });
  await page.click("#share");
  await page.waitForFunction(() => document.getElementById("share-url").value.includes("#s="));
  await page.waitForTimeout(300);
  const after = requests.slice(start).map((r) => r.url);
  equal(after.join(", "), "", "requests after the page loaded");
  await page.close();
});

test("no console errors in any test", async () => {
  equal(consoleErrors.join("\n"), "", "console errors");
});

// ---------------------------------------------------------------------------------------------

if (shots) mkdirSync(shots, { recursive: true });
let passed = 0;
let failed = 0;
for (const t of tests) {
  const started = Date.now();
  try {
    await t.fn();
    passed++;
    console.log(`ok   ${t.name} (${Date.now() - started} ms)`);
  } catch (err) {
    failed++;
    console.log(`FAIL ${t.name}\n     ${err instanceof Failure ? err.message : err.stack ?? err}`);
  }
}
await context.close();
server.close();
rmSync(profile, { recursive: true, force: true });
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
