// Runs every conformance vector through the package inside workerd (npm `workerd`): a test worker
// that imports "svidkit" is served on 127.0.0.1, each vector is POSTed to it, the worker answers
// with the verdict. The package's entry is picked the way wrangler picks it (conditions workerd,
// worker, browser, import, default) and its .wasm is a Wasm module of the worker, as on Cloudflare.
// Prints one line per failing vector and "workerd: N passed, M failed"; exits 1 on any failure.
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadVectors, JS_DIR } from "../lib/load-vectors.mjs";
import { summary } from "../lib/vectors.mjs";
import { freePort, packageModules, resolveExport, startProcess, waitForHttp } from "../lib/proc.mjs";

const WRANGLER_CONDITIONS = ["workerd", "worker", "browser", "import", "default"];
const DIST = join(JS_DIR, "dist");
const WORKERD = join(JS_DIR, "node_modules", ".bin", "workerd");

if (!existsSync(join(DIST, "svidkit_bg.wasm"))) {
  console.error("workerd: js/dist is not built; run `npm --prefix js run build`");
  process.exit(1);
}
const entry = resolveExport(JS_DIR, ".", WRANGLER_CONDITIONS);
if (entry !== "./dist/workerd.js") {
  console.error(`workerd: the package resolves to ${entry} under ${WRANGLER_CONDITIONS}, want ./dist/workerd.js`);
  process.exit(1);
}

const dir = mkdtempSync(join(tmpdir(), "svidkit-workerd-"));
const modules = [
  `(name = "worker.js", esModule = embed "worker.js")`,
  `(name = "vectors.mjs", esModule = embed "vectors.mjs")`,
  // The package entry under its bare name, its siblings by file name (as a bundler lays them out).
  ...packageModules(dir, JS_DIR, { svidkit: entry }),
];
copyFileSync(join(JS_DIR, "test", "workerd", "worker.js"), join(dir, "worker.js"));
copyFileSync(join(JS_DIR, "test", "lib", "vectors.mjs"), join(dir, "vectors.mjs"));

function writeConfig(port) {
  writeFileSync(
    join(dir, "config.capnp"),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .testWorker) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const testWorker :Workerd.Worker = (
  modules = [
    ${modules.join(",\n    ")}
  ],
  compatibilityDate = "2025-09-01",
);
`,
  );
}

// Starts workerd on a free port; another process may take the port in between, so up to 3 tries.
async function startWorkerd() {
  let lastError;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    writeConfig(port);
    const server = startProcess(WORKERD, ["serve", join(dir, "config.capnp")], { cwd: dir });
    try {
      await waitForHttp(`http://127.0.0.1:${port}/`, server);
      return { server, port };
    } catch (e) {
      lastError = e;
      await server.stop();
    }
  }
  throw lastError;
}

const vectors = loadVectors();
let server = null;
const results = [];
let failure = null;
try {
  const started = await startWorkerd();
  server = started.server;
  const base = `http://127.0.0.1:${started.port}/`;
  const hello = await (await fetch(base)).json();
  console.log(`workerd pid ${server.child.pid} on 127.0.0.1:${started.port}; svidkit exports: ${hello.exports.join(", ")}`);
  for (const vector of vectors) {
    const res = await fetch(base, { method: "POST", body: JSON.stringify(vector) });
    if (!res.ok) {
      results.push({ name: vector.name, pass: false, detail: `HTTP ${res.status}: ${await res.text()}` });
      continue;
    }
    results.push({ ...(await res.json()), name: vector.name });
  }
} catch (e) {
  failure = e;
} finally {
  if (server) await server.stop();
  rmSync(dir, { recursive: true, force: true });
}

if (failure) {
  console.error(`workerd: ${failure.message}`);
  console.log(`workerd: 0 passed, ${vectors.length} failed`);
  process.exit(1);
}
const s = summary(results);
for (const line of s.lines) console.log(line);
console.log(`workerd: ${s.last}`);
process.exit(s.failed === 0 && results.length === vectors.length ? 0 : 1);
