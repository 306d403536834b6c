// The READMEs' JavaScript examples, run as written. Every ```js, ```ts, ```html and ```json block
// of README.md and js/README.md is matched to one entry below, which supplies what the example leaves
// to the reader (a token, a bundle, files, a Worker's env), runs it — in a fresh Node process from
// a scratch project with svidkit installed, in Deno for the Deno example, in headless Chromium
// (Debian's, driven by playwright-core) for the pages — and checks what it printed, answered or
// showed. A block no entry matches fails the
// test, so an example can't be added or changed without being run. Keys, certificates and tokens
// are made for the run (node:crypto), valid around the real clock: the examples pass no `now`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createServer } from "node:http";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join, normalize, resolve } from "node:path";
import { chromium } from "playwright-core";
import { b64, certificate, jwk, makeFixtures, p256, pem, signJwt } from "../gate/fixtures.mjs";
import { JS_DIR } from "../lib/load-vectors.mjs";

const REPO = resolve(JS_DIR, "..");
const DENO = join(JS_DIR, "node_modules", ".bin", "deno");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const READMES = ["README.md", "js/README.md"];

function jsBlocks(file) {
  const blocks = [];
  let open = null;
  readFileSync(join(REPO, file), "utf8")
    .split("\n")
    .forEach((line, i) => {
      if (open && line === "```") {
        blocks.push({ where: `${file}:${open.line}`, code: open.lines.join("\n") });
        open = null;
      } else if (open) {
        open.lines.push(line);
      } else if (["```js", "```ts", "```html", "```json"].includes(line)) {
        open = { line: i + 1, lines: [] };
      }
    });
  return blocks;
}

/** example.org: a root CA and a JWT key in one bundle, an X.509-SVID under the root, tokens. */
function exampleOrg(now) {
  const window = { notBefore: now - 3600, notAfter: now + 3600 };
  const root = { key: p256(), cn: "example.org root CA" };
  const rootDer = certificate({ cn: root.cn, subjectKey: root.key, ca: true, spiffeId: "spiffe://example.org", ...window });
  const leafId = "spiffe://example.org/ns/web/sa/frontend";
  const leafDer = certificate({ cn: "frontend", subjectKey: p256(), issuer: root, ca: false, spiffeId: leafId, ...window });
  const jwtKey = p256();
  const kid = `k-${randomBytes(4).toString("hex")}`;
  const bundleJson = JSON.stringify({
    keys: [
      { use: "x509-svid", x5c: [b64(rootDer)], ...jwk(root.key) },
      { use: "jwt-svid", ...jwk(jwtKey, { kid }) },
    ],
  });
  const jwt = (sub, aud) => signJwt(jwtKey, kid, { sub, aud: [aud], exp: now + 600, iat: now });
  const apiSub = "spiffe://example.org/ns/payments/sa/api";
  return {
    bundleJson,
    leafId,
    pem: pem(leafDer),
    apiSub,
    apiToken: jwt(apiSub, "spiffe://example.org/api"),
    agentSub: "spiffe://example.org/agents/planner",
    agentEdgeToken: jwt("spiffe://example.org/agents/planner", "spiffe://example.org/edge"),
    otherEdgeToken: jwt(apiSub, "spiffe://example.org/edge"),
  };
}

const bearer = (token) => ({ authorization: `Bearer ${token}` });

// Each entry: `match` picks its blocks; `prelude` defines the example's free names (`__fx` holds
// the fixtures); a program's `epilogue` prints a RESULT line, a Worker module gets `requests`.
const ENTRIES = [
  {
    name: "the overview",
    match: (c) => c.includes("verifyX509Svid(pemChain"),
    prelude: "const bundleJson = __fx.org.bundleJson, token = __fx.org.apiToken, pemChain = __fx.org.pem;",
    epilogue: 'console.log("RESULT " + JSON.stringify({ jwt: jwt.spiffeId, x509: x509.spiffeId }));',
    check: ({ result }, fx) => assert.deepEqual(result, { jwt: fx.org.apiSub, x509: fx.org.leafId }),
  },
  {
    name: "Node",
    match: (c) => c.includes('readFileSync("bundle.spiffe.json"'),
    prelude: "const token = __fx.org.apiToken;",
    files: (fx) => ({ "bundle.spiffe.json": fx.org.bundleJson, "svid.pem": fx.org.pem }),
    check: ({ stdout, stderr }, fx) => {
      assert.equal(stderr, "", "nothing rejected");
      const lines = stdout.trim().split("\n");
      assert.ok(lines[0].startsWith(`${fx.org.apiSub} until `), lines[0]);
      assert.ok(lines[1].startsWith(`${fx.org.leafId} [`), lines[1]);
    },
  },
  {
    name: "a Worker verifying bearer JWT-SVIDs",
    match: (c) => c.includes("env.SPIFFE_BUNDLE }"),
    env: (fx) => ({ SPIFFE_BUNDLE: fx.org.bundleJson }),
    requests: (fx) => [
      { url: "https://edge.example/" },
      { url: "https://edge.example/", headers: bearer(fx.org.agentEdgeToken) },
      { url: "https://edge.example/", headers: bearer(fx.org.otherEdgeToken) },
      { url: "https://edge.example/", headers: bearer(fx.org.apiToken) },
    ],
    check: ({ result }, fx) =>
      assert.deepEqual(result, [
        { status: 401, body: "no token" },
        { status: 200, body: `hello ${fx.org.agentSub}` },
        { status: 403, body: "forbidden: unauthorized" },
        { status: 403, body: "forbidden: audience-mismatch" },
      ]),
  },
  {
    name: "createVerifier with a cache",
    match: (c) => c.includes("createVerifier({ bundles, cache"),
    prelude:
      'import { createVerifier, BundleSet } from "svidkit";\n' +
      'const bundles = BundleSet.from({ "example.org": __fx.org.bundleJson }), token = __fx.org.apiToken;',
    epilogue:
      'console.log("RESULT " + JSON.stringify([svid.spiffeId, verifier.verifyJwtSvid(token, { audience: "spiffe://example.org/api" }).spiffeId]));',
    check: ({ result }, fx) => assert.deepEqual(result, [fx.org.apiSub, fx.org.apiSub]),
  },
  {
    name: "svidkit/gate with a bundle constant",
    match: (c) => c.includes("CITY_BUNDLE_JSON"),
    prelude: "const CITY_BUNDLE_JSON = JSON.stringify(__fx.cityEdge.bundle);",
    requests: (fx) => [
      { url: "https://city.example/energy/meters", headers: bearer(fx.cityEdge.tokens.energy) },
      { url: "https://city.example/energy/meters", headers: bearer(fx.cityEdge.tokens.traffic) },
      { url: "https://city.example/energy/meters" },
    ],
    check: ({ result }) => {
      assert.deepEqual(result[0], { status: 200, body: "hello spiffe://city.gov/energy-agent/grid-7" });
      assert.equal(result[1].status, 403);
      assert.equal(result[2].status, 401);
    },
  },
  {
    name: "svidkit/gate configured from the Worker's env",
    match: (c) => c.includes("env.SPIFFE_BUNDLES"),
    env: (fx) => ({ SPIFFE_BUNDLES: JSON.stringify(fx.cityGateway.bundles) }),
    requests: (fx) => [
      { url: "https://city.example/traffic/lights", headers: bearer(fx.cityGateway.tokens.traffic) },
      { url: "https://city.example/energy/grid", headers: bearer(fx.cityGateway.tokens.traffic) },
      { url: "https://city.example/status", headers: bearer(fx.cityGateway.tokens.energy) },
      { url: "https://city.example/status", method: "POST", headers: bearer(fx.cityGateway.tokens.energy) },
    ],
    check: ({ result }) => {
      assert.deepEqual(result[0], { status: 200, body: "hello spiffe://city.gov/traffic-agent/north-1" });
      assert.equal(result[1].status, 403, "traffic agent on an energy route");
      assert.deepEqual(result[2], { status: 200, body: "hello spiffe://city.gov/energy-agent/grid-7" });
      assert.equal(result[3].status, 403, "POST to a GET-only route");
    },
  },
  {
    name: "Deno.serve",
    match: (c) => c.includes("Deno.serve("),
    runtime: "deno",
    // Deno.serve is replaced by one that keeps the handler, which the epilogue then calls; the bundle
    // URL is a data: URL, which Deno fetches without --allow-net, so the example runs with no
    // permissions at all.
    prelude:
      "(Deno as any).serve = (handler: (req: Request) => Response) => { (globalThis as any).__handler = handler; };\n" +
      'const BUNDLE_URL = `data:application/json;base64,${btoa(__fx.org.bundleJson)}`;',
    requests: (fx) => [
      { url: "http://localhost:8000/" },
      { url: "http://localhost:8000/", headers: bearer(fx.org.apiToken) },
      { url: "http://localhost:8000/", headers: bearer(fx.org.agentEdgeToken) },
    ],
    check: ({ result }, fx) =>
      assert.deepEqual(result, [
        { status: 401, body: "no token" },
        { status: 200, body: `hello ${fx.org.apiSub}` },
        { status: 403, body: "audience-mismatch" },
      ]),
  },
  {
    name: "the API's import line",
    match: (c) => c.includes("ERROR_CODES } from \"svidkit\"") && !c.includes("\n"),
    epilogue:
      'console.log("RESULT " + JSON.stringify([BundleSet, parseSpiffeId, verifyX509Svid, verifyJwtSvid, SvidError].map((f) => typeof f).concat(ERROR_CODES.length)));',
    check: ({ result }) => assert.deepEqual(result, ["function", "function", "function", "function", "function", 13]),
  },
  {
    name: "verifyX509Svid's result, field by field",
    match: (c) => c.startsWith("{ spiffeId,") && c.includes("chain: [{"),
    shape: (svidkit, fx) => svidkit.verifyX509Svid(fx.org.pem, svidkit.BundleSet.from({ "example.org": fx.org.bundleJson })),
  },
  {
    name: "verifyJwtSvid's result, field by field",
    match: (c) => c.startsWith("{ spiffeId,") && c.includes("audience: string[]"),
    shape: (svidkit, fx) =>
      svidkit.verifyJwtSvid(fx.org.apiToken, svidkit.BundleSet.from({ "example.org": fx.org.bundleJson }), {
        audience: "spiffe://example.org/api",
      }),
  },
  {
    name: "a page without a bundler",
    match: (c) => c.includes("pemFromTheUser"),
    runtime: "chromium",
    // Run twice: an SVID of the bundle's trust domain, and one of a trust domain it has no bundle for.
    pages: (fx) => [
      { prelude: `<script>window.pemFromTheUser = ${JSON.stringify(fx.org.pem)};</script>`, files: { "/bundle.spiffe.json": fx.org.bundleJson } },
      { prelude: `<script>window.pemFromTheUser = ${JSON.stringify(fx.cityEdge.pem.energy)};</script>`, files: { "/bundle.spiffe.json": fx.org.bundleJson } },
    ],
    shown: () => document.body?.textContent || undefined,
    check: ({ result }, fx) => {
      assert.equal(result[0], `valid: ${fx.org.leafId}`);
      assert.match(result[1], /^invalid: no-bundle \(.*city\.gov/);
    },
  },
  {
    name: "the inspector's import of the package",
    match: (c) => c.includes('"svidkit":"./svidkit/browser.js"'),
    runtime: "chromium",
    // The example's comment says what `report.verdict` is for an expired chain; the page is given one.
    pages: (fx) => [
      {
        prelude: `<script>window.bundleJson = ${JSON.stringify(JSON.stringify(fx.cityEdge.bundle))}; window.pemChain = ${JSON.stringify(fx.cityEdge.pem.expired)};</script>`,
        epilogue: "window.__report = report;",
      },
    ],
    shown: () => window.__report && { verdict: window.__report.verdict, checks: window.__report.checks.length },
    check: ({ result }) => {
      const { verdict, checks } = result[0];
      assert.equal(verdict.trusted, false);
      assert.equal(verdict.code, "expired");
      assert.match(verdict.message, /expired/);
      assert.ok(checks > 5, `${checks} checks`);
    },
  },
  {
    name: "the gate's audit record",
    match: (c) => c.startsWith('{"time":'),
    json: async (documented, fx) => assertSameFields(await auditRecord(fx), documented, "audit record"),
  },
  {
    name: "the component gate's audit line (svidkit/gate's record, wrapped)",
    match: (c) => c.startsWith('{"gate":{"time":'),
    json: async (documented, fx) => assertSameFields(await auditRecord(fx), documented.gate, "audit line"),
  },
  {
    name: "the gate's configuration as JSON",
    match: (c) => c.includes('"realm": "svidkit"'),
    // The document plus bundles is a working configuration: it admits and refuses as its routes say.
    json: async (documented, fx) => {
      const { createGate } = await import("svidkit/gate");
      const gate = createGate({ ...documented, bundles: fx.cityGateway.bundles });
      const ask = (path, token) => gate(new Request(`https://city.example${path}`, { headers: bearer(token) }));
      assert.equal((await ask("/traffic/lights", fx.cityGateway.tokens.traffic)).status, 200);
      assert.equal((await ask("/energy/grid", fx.cityGateway.tokens.traffic)).status, 403);
      assert.equal((await ask("/status", fx.cityGateway.tokens.energy)).status, 200);
    },
  },
  {
    name: "the component gate's configuration",
    match: (c) => c.includes('"upstream": "http://127.0.0.1:8081"'),
    skip: "its bundle keys are elided (…); the component gate's own tests (make test-gate-component) run it with such a document",
  },
  {
    name: "svidkit/web's loading options",
    match: (c) => c.includes('from "svidkit/web"') && c.includes("module_or_path"),
    skip: "three alternative ways to load the module, not one program; svidkit/web's initSync is run by test/node/errors.test.mjs",
  },
  {
    name: "the component through jco",
    match: (c) => c.includes("jco transpile"),
    skip: "tests/component/example.test.mjs runs it (tests/component/example.mjs, which wit.test.mjs holds equal to this block)",
  },
];

const PRELUDE =
  'import { readFileSync as __readFixtures } from "node:fs";\n' +
  'const __fx = JSON.parse(__readFixtures(new URL("./fixtures.json", import.meta.url), "utf8"));\n';

/**
 * Serves each of the entry's pages — its prelude, the block (an epilogue goes inside the block's
 * module script), the package's dist/ at /node_modules/svidkit/dist/ and /svidkit/, and its files —
 * on 127.0.0.1, opens it in headless Chromium and waits for `shown()` to return something.
 */
async function runChromium(block, entry, fx) {
  const TYPES = { ".js": "text/javascript", ".wasm": "application/wasm", ".json": "application/json" };
  const result = [];
  for (const page of entry.pages(fx)) {
    const code = page.epilogue ? block.code.replace(/<\/script>\s*$/, `${page.epilogue}\n</script>`) : block.code;
    const html = `<!doctype html>\n<meta charset="utf-8">\n<title>README example</title>\n${page.prelude}\n${code}\n`;
    const server = createServer((req, res) => {
      const path = new URL(req.url, "http://127.0.0.1").pathname;
      const send = (status, type, body) => {
        res.writeHead(status, { "content-type": type, "cache-control": "no-store" });
        res.end(body);
      };
      if (path === "/") return send(200, "text/html", html);
      if (page.files?.[path] !== undefined) return send(200, TYPES[extname(path)] ?? "text/plain", page.files[path]);
      const rel = normalize(path.replace(/^\/node_modules\/svidkit\/dist\/|^\/svidkit\//, "dist/"));
      if (rel.startsWith("dist/") && rel !== normalize(path)) {
        try {
          return send(200, TYPES[extname(rel)] ?? "application/octet-stream", readFileSync(join(JS_DIR, rel)));
        } catch {
          // not in dist/: 404 below
        }
      }
      send(404, "text/plain", "not found");
    });
    await new Promise((done) => server.listen(0, "127.0.0.1", done));
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-gpu"], timeout: 60_000 });
    try {
      const tab = await browser.newPage();
      const errors = [];
      tab.on("pageerror", (e) => errors.push(e.message));
      await tab.goto(`http://127.0.0.1:${server.address().port}/`);
      const shown = await tab.waitForFunction(entry.shown, undefined, { timeout: 30_000 }).catch((e) => {
        throw new Error(`${block.where}: the page showed nothing (${errors.join("; ") || e.message})`);
      });
      result.push(await shown.jsonValue());
      assert.deepEqual(errors, [], `${block.where}: page errors`);
    } finally {
      await browser.close();
      server.close();
    }
  }
  return { result };
}

/** The record svidkit/gate's audit receives for one refused request. */
async function auditRecord(fx) {
  const { createGate } = await import("svidkit/gate");
  const records = [];
  const gate = createGate({
    bundles: fx.cityGateway.bundles,
    audience: fx.cityGateway.audience,
    routes: [{ path: "/energy/*", allow: ["spiffe://city.gov/energy-agent/*"] }],
    audit: (r) => records.push(r),
  });
  await gate(new Request("https://city.example/energy/x", { headers: bearer(fx.cityGateway.tokens.traffic) }));
  assert.equal(records.length, 1);
  return records[0];
}

/** The documented record has the real one's members, each of the same JSON type. */
function assertSameFields(real, documented, what) {
  assert.deepEqual(Object.keys(documented).sort(), Object.keys(real).sort(), `${what}: members`);
  for (const k of Object.keys(real)) {
    assert.equal(typeof documented[k], typeof real[k], `${what}: ${k} is a ${typeof real[k]}`);
  }
  assert.equal(documented.verdict, real.verdict, `${what}: the example shows a refusal, as made here`);
}

/** A finished example process: it must have exited 0; `result` is its RESULT line's JSON. */
function outcome(block, r) {
  assert.equal(r.status, 0, `${block.where} exited with ${r.status}:\n${r.stderr}`);
  const line = r.stdout.split("\n").find((l) => l.startsWith("RESULT "));
  return { stdout: r.stdout, stderr: r.stderr, result: line === undefined ? undefined : JSON.parse(line.slice(7)) };
}

/** Runs the Deno example: the fixtures inline (no --allow-read), the requests through its handler. */
function runDeno(block, entry, dir, fx) {
  const name = `example-${block.where.replace(/[^A-Za-z0-9]+/g, "-")}.ts`;
  writeFileSync(
    join(dir, name),
    `const __fx = ${JSON.stringify({ org: fx.org })};
${entry.prelude}
${block.code}
const __result = [];
for (const r of ${JSON.stringify(entry.requests(fx))}) {
  const response = await (globalThis as any).__handler(new Request(r.url, { headers: r.headers ?? {} }));
  __result.push({ status: response.status, body: await response.text() });
}
console.log("RESULT " + JSON.stringify(__result));
`,
  );
  const r = spawnSync(DENO, ["run", "--no-prompt", "--no-lock", name], {
    cwd: dir,
    encoding: "utf8",
    timeout: 120_000,
    env: { ...process.env, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" },
  });
  return outcome(block, r);
}

/** Runs one block in `dir` as its entry says; returns { stdout, stderr, result }. */
function run(block, entry, dir, fx) {
  if (entry.runtime === "deno") return runDeno(block, entry, dir, fx);
  const name = `example-${block.where.replace(/[^A-Za-z0-9]+/g, "-")}.mjs`;
  writeFileSync(join(dir, name), `${PRELUDE}${entry.prelude ?? ""}\n${block.code}\n${entry.epilogue ?? ""}\n`);
  let main = name;
  if (entry.requests) {
    main = `drive-${name}`;
    const requests = JSON.stringify(entry.requests(fx));
    const env = JSON.stringify(entry.env ? entry.env(fx) : {});
    writeFileSync(
      join(dir, main),
      `import worker from "./${name}";
const ctx = { waitUntil() {}, passThroughOnException() {} };
const result = [];
for (const r of ${requests}) {
  const response = await worker.fetch(new Request(r.url, { method: r.method ?? "GET", headers: r.headers ?? {} }), ${env}, ctx);
  result.push({ status: response.status, body: await response.text() });
}
console.log("RESULT " + JSON.stringify(result));
`,
    );
  }
  for (const [file, text] of Object.entries(entry.files ? entry.files(fx) : {})) writeFileSync(join(dir, file), text);
  const r = spawnSync(process.execPath, [main], { cwd: dir, encoding: "utf8", timeout: 60_000 });
  return outcome(block, r);
}

/**
 * The member names a result-shape block lists, `{ a, b?, c: [{ d, e? }] }` → { required, optional,
 * nested: { c: <the same for the element> } }.
 */
function shapeOf(text) {
  const body = text.trim().replace(/^\{|\}$/g, "");
  const members = [];
  let depth = 0;
  let current = "";
  for (const ch of body) {
    if (ch === "," && depth === 0) {
      members.push(current.trim());
      current = "";
      continue;
    }
    if ("[{".includes(ch)) depth++;
    if ("]}".includes(ch)) depth--;
    current += ch;
  }
  if (current.trim()) members.push(current.trim());
  const shape = { required: [], optional: [], nested: {} };
  for (const m of members) {
    const [name, type] = m.split(/:(.*)/s).map((x) => x?.trim());
    const key = name.replace(/\?$/, "");
    (name.endsWith("?") ? shape.optional : shape.required).push(key);
    const inner = type?.match(/^\[(\{.*\})\]$/s);
    if (inner) shape.nested[key] = shapeOf(inner[1]);
  }
  return shape;
}

/** Holds a result to the shape: every required member present, nothing unlisted. */
function assertShape(value, shape, where) {
  for (const k of shape.required) assert.ok(k in value, `${where}: ${k} is listed but missing from ${JSON.stringify(value)}`);
  for (const k of Object.keys(value)) {
    assert.ok(shape.required.includes(k) || shape.optional.includes(k), `${where}: ${k} is returned but not listed`);
  }
  for (const [k, inner] of Object.entries(shape.nested)) for (const v of value[k]) assertShape(v, inner, `${where} ${k}[]`);
}

const blocks = READMES.flatMap(jsBlocks);

test("the READMEs have JavaScript examples, and each is one entry's", () => {
  assert.ok(blocks.length >= 8, `${blocks.length} blocks`);
  for (const block of blocks) {
    const entries = ENTRIES.filter((e) => e.match(block.code));
    assert.equal(entries.length, 1, `${block.where} matches ${entries.map((e) => e.name).join(", ") || "no entry"}:\n${block.code}`);
  }
  for (const entry of ENTRIES) assert.ok(blocks.some((b) => entry.match(b.code)), `no block matches entry "${entry.name}"`);
});

test("every example runs and does what it says", async () => {
  const now = Math.floor(Date.now() / 1000);
  const fx = {
    org: exampleOrg(now),
    cityEdge: makeFixtures({ now, audience: "spiffe://city.gov/edge" }),
    cityGateway: makeFixtures({ now }),
  };
  const dir = mkdtempSync(join(tmpdir(), "svidkit-readme-"));
  try {
    // Deno uses node_modules/ when package.json names the dependency, as after `npm install svidkit`.
    writeFileSync(
      join(dir, "package.json"),
      JSON.stringify({ name: "readme-examples", private: true, type: "module", dependencies: { svidkit: "*" } }),
    );
    mkdirSync(join(dir, "node_modules"));
    symlinkSync(JS_DIR, join(dir, "node_modules", "svidkit"), "dir");
    writeFileSync(join(dir, "fixtures.json"), JSON.stringify(fx));
    let ran = 0;
    const svidkit = await import("svidkit");
    for (const block of blocks) {
      const entry = ENTRIES.find((e) => e.match(block.code));
      if (entry === undefined || entry.skip) continue;
      if (entry.shape) assertShape(entry.shape(svidkit, fx), shapeOf(block.code), block.where);
      else if (entry.json) await entry.json(JSON.parse(block.code), fx);
      else if (entry.runtime === "chromium") entry.check(await runChromium(block, entry, fx), fx);
      else entry.check(run(block, entry, dir, fx), fx);
      console.log(`ok ${block.where}: ${entry.name}`);
      ran++;
    }
    assert.ok(ran >= 18, `${ran} examples ran`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
