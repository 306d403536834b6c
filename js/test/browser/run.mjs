// Runs every conformance vector through the package in headless Chromium (Debian /usr/bin/chromium
// driven by playwright-core): a page served from 127.0.0.1 imports "svidkit" through an import map
// that points at the package's `browser` export, exactly as a browser app without a bundler would.
import { createServer } from "node:http";
import { mkdtempSync, readFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { chromium } from "playwright-core";
import { loadVectors, JS_DIR } from "../lib/load-vectors.mjs";
import { summary } from "../lib/vectors.mjs";
import { resolveExport } from "../lib/proc.mjs";

const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const TYPES = { ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm", ".json": "application/json", ".html": "text/html" };

if (!existsSync(join(JS_DIR, "dist", "svidkit_bg.wasm"))) {
  console.error("browser: js/dist is not built; run `npm --prefix js run build`");
  process.exit(1);
}
const entry = resolveExport(JS_DIR, ".", ["browser", "import", "default"]);
const vectors = loadVectors();
const page = `<!doctype html>
<meta charset="utf-8">
<title>svidkit conformance</title>
<script type="importmap">${JSON.stringify({ imports: { svidkit: `/node_modules/svidkit/${entry.replace(/^\.\//, "")}` } })}</script>
<script type="module">
  try { await import("/page.mjs"); } catch (e) { window.__svidkitError = String((e && e.stack) || e); }
</script>
`;

const requests = [];
const server = createServer((req, res) => {
  const url = new URL(req.url, "http://127.0.0.1");
  requests.push(url.pathname);
  const send = (status, type, body) => {
    res.writeHead(status, { "content-type": type, "cache-control": "no-store" });
    res.end(body);
  };
  if (url.pathname === "/") return send(200, TYPES[".html"], page);
  if (url.pathname === "/favicon.ico") return send(204, "image/x-icon", "");
  if (url.pathname === "/vectors.json") return send(200, TYPES[".json"], JSON.stringify(vectors));
  if (url.pathname === "/vectors.mjs") return send(200, TYPES[".mjs"], readFileSync(join(JS_DIR, "test", "lib", "vectors.mjs")));
  if (url.pathname === "/page.mjs") return send(200, TYPES[".mjs"], readFileSync(join(JS_DIR, "test", "browser", "page.mjs")));
  // The package as installed: only its dist/ is served.
  const rel = normalize(decodeURIComponent(url.pathname)).replace(/^\/node_modules\/svidkit\//, "");
  if (url.pathname.startsWith("/node_modules/svidkit/dist/") && rel.startsWith("dist/") && existsSync(join(JS_DIR, rel))) {
    return send(200, TYPES[extname(rel)] || "application/octet-stream", readFileSync(join(JS_DIR, rel)));
  }
  send(404, "text/plain", "not found");
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const base = `http://127.0.0.1:${server.address().port}/`;

const userDataDir = mkdtempSync(join(tmpdir(), "svidkit-chromium-"));
let context;
let results = [];
let failure = null;
const pageErrors = [];
try {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    timeout: 60000,
  });
  const tab = context.pages()[0] || (await context.newPage());
  tab.on("pageerror", (e) => pageErrors.push(`pageerror: ${e.message}`));
  tab.on("console", (m) => {
    if (m.type() === "error") pageErrors.push(`console: ${m.text()}`);
  });
  await tab.goto(base);
  await tab.waitForFunction(() => window.__svidkit || window.__svidkitError, null, { timeout: 60000 });
  const got = await tab.evaluate(() => ({ ok: window.__svidkit, error: window.__svidkitError }));
  if (got.error) throw new Error(`the page failed: ${got.error}`);
  const version = context.browser() ? context.browser().version() : "";
  console.log(`chromium ${version}: svidkit from ${got.ok.resolved}`);
  if (!got.ok.resolved.endsWith(entry.replace(/^\./, ""))) throw new Error(`svidkit resolved to ${got.ok.resolved}, want ${entry}`);
  if (!requests.includes("/node_modules/svidkit/dist/svidkit_bg.wasm")) throw new Error("the page never fetched svidkit_bg.wasm");
  results = got.ok.results.map((r, i) => ({ ...r, name: vectors[i].name }));
} catch (e) {
  failure = e;
} finally {
  if (context) await context.close();
  server.close();
  rmSync(userDataDir, { recursive: true, force: true });
}

if (failure) {
  console.error(`browser: ${failure.message}`);
  for (const line of pageErrors) console.error(line);
  console.log(`browser: 0 passed, ${vectors.length} failed`);
  process.exit(1);
}
const s = summary(results);
for (const line of s.lines) console.log(line);
for (const line of pageErrors) console.log(`FAIL page: ${line}`);
// A page error (uncaught exception, console error) counts as one more failure.
console.log(`browser: ${s.passed} passed, ${s.failed + pageErrors.length} failed`);
process.exit(s.failed === 0 && pageErrors.length === 0 && results.length === vectors.length ? 0 : 1);
