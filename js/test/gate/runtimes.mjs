// `svidkit/gate` under each `exports` condition of the package besides workerd (which e2e.mjs
// covers): Node (`node`), Deno (`deno`, no permissions) and headless Chromium (`browser`, through an
// import map, as a page without a bundler). Each runs probe.mjs: "svidkit" and "svidkit/gate"
// imported by name must share one module instance (a BundleSet from one is accepted by the other)
// and give the same decisions. Prints failures and "gate (runtimes): N passed, M failed".
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { JS_DIR } from "../lib/load-vectors.mjs";
import { resolveExport } from "../lib/proc.mjs";
import { makeFixtures } from "./fixtures.mjs";
import { assert, suite } from "./harness.mjs";
import { EXPECTED, probe } from "./probe.mjs";

const t = suite("gate (runtimes)");
const f = makeFixtures();
const input = { bundles: f.bundles, audience: f.audience, traffic: f.tokens.traffic, energyB64: f.b64.energy };
const HERE = join(JS_DIR, "test", "gate");

function check(got, entry, gateEntry) {
  assert.ok(got.resolved.svidkit.endsWith(entry.slice(1)), `svidkit resolved to ${got.resolved.svidkit}, want ${entry}`);
  assert.ok(got.resolved.gate.endsWith(gateEntry.slice(1)), `svidkit/gate resolved to ${got.resolved.gate}, want ${gateEntry}`);
  assert.deepEqual(got.decisions, EXPECTED);
}

await t.case("node: svidkit/gate with the node entry", async () => {
  const conditions = ["node", "import", "default"];
  check(await probe(input), resolveExport(JS_DIR, ".", conditions), resolveExport(JS_DIR, "./gate", conditions));
});

await t.case("deno: svidkit/gate with the deno entry, no permissions", async () => {
  const conditions = ["deno", "import", "default"];
  const dir = mkdtempSync(join(tmpdir(), "svidkit-gate-deno-"));
  try {
    mkdirSync(join(dir, "node_modules"));
    symlinkSync(JS_DIR, join(dir, "node_modules", "svidkit"), "dir");
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "gate-consumer", private: true, type: "module", dependencies: { svidkit: "*" } }));
    copyFileSync(join(HERE, "probe.mjs"), join(dir, "probe.mjs"));
    writeFileSync(
      join(dir, "main.mjs"),
      `import { probe } from "./probe.mjs";
const input = JSON.parse(await new Response(Deno.stdin.readable).text());
console.log(JSON.stringify(await probe(input)));
`,
    );
    const child = spawn(join(JS_DIR, "node_modules", ".bin", "deno"), ["run", "--no-prompt", "--no-lock", "main.mjs"], {
      cwd: dir,
      stdio: ["pipe", "pipe", "pipe"],
      env: { ...process.env, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" },
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.stdin.end(JSON.stringify(input));
    const code = await new Promise((resolve) => child.on("exit", (c) => resolve(c)));
    assert.equal(code, 0, `deno exited ${code}:\n${err}`);
    check(JSON.parse(out.trim().split("\n").pop()), resolveExport(JS_DIR, ".", conditions), resolveExport(JS_DIR, "./gate", conditions));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

await t.case("chromium: svidkit/gate with the browser entry through an import map", async () => {
  const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM} (set CHROMIUM)`);
  const { chromium } = await import("playwright-core");
  const conditions = ["browser", "import", "default"];
  const entry = resolveExport(JS_DIR, ".", conditions);
  const gateEntry = resolveExport(JS_DIR, "./gate", conditions);
  const imports = { svidkit: `/node_modules/svidkit/${entry.slice(2)}`, "svidkit/gate": `/node_modules/svidkit/${gateEntry.slice(2)}` };
  const page = `<!doctype html><meta charset="utf-8"><title>svidkit gate</title>
<script type="importmap">${JSON.stringify({ imports })}</script>
<script type="module">
  try {
    const { probe } = await import("/probe.mjs");
    window.__result = await probe(await (await fetch("/input.json")).json());
  } catch (e) { window.__error = String((e && e.stack) || e); }
</script>`;
  const TYPES = { ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm" };
  const server = createServer((req, res) => {
    const url = new URL(req.url, "http://127.0.0.1");
    const send = (status, type, body) => {
      res.writeHead(status, { "content-type": type, "cache-control": "no-store" });
      res.end(body);
    };
    if (url.pathname === "/") return send(200, "text/html", page);
    if (url.pathname === "/input.json") return send(200, "application/json", JSON.stringify(input));
    if (url.pathname === "/probe.mjs") return send(200, TYPES[".mjs"], readFileSync(join(HERE, "probe.mjs")));
    const rel = normalize(decodeURIComponent(url.pathname)).replace(/^\/node_modules\/svidkit\//, "");
    if (url.pathname.startsWith("/node_modules/svidkit/dist/") && rel.startsWith("dist/") && existsSync(join(JS_DIR, rel))) {
      return send(200, TYPES[extname(rel)] || "application/octet-stream", readFileSync(join(JS_DIR, rel)));
    }
    send(404, "text/plain", "not found");
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const userDataDir = mkdtempSync(join(tmpdir(), "svidkit-gate-chromium-"));
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
      timeout: 60000,
    });
    const tab = context.pages()[0] || (await context.newPage());
    // A secure context (127.0.0.1) has crypto.subtle, as a deployed page over https does.
    await tab.goto(`http://127.0.0.1:${server.address().port}/`);
    await tab.waitForFunction(() => window.__result || window.__error, null, { timeout: 60000 });
    const got = await tab.evaluate(() => ({ result: window.__result, error: window.__error }));
    if (got.error) throw new Error(`the page failed: ${got.error}`);
    check(got.result, entry, gateEntry);
  } finally {
    if (context) await context.close();
    server.close();
    rmSync(userDataDir, { recursive: true, force: true });
  }
});

t.done();
