// Runs the example Worker (examples/cloudflare-worker/src/worker.js) in real workerd (npm `workerd`)
// on 127.0.0.1, with the package's dist/ files as its modules — laid out as a bundle of the user's
// Worker would have them: "svidkit" and "svidkit/gate" resolved through package.json `exports`
// with wrangler's conditions (workerd, worker, browser, import, default), their sibling files by
// file name, and svidkit_bg.wasm as a Wasm module (never compiled from bytes).
//
// Two sockets: `gate` — the Worker answering with the identity it saw; `proxy` — the same Worker
// with its BACKEND service binding set to an echo Worker, to show what is forwarded. Both accept a
// `cf-blob` header that workerd turns into `request.cf` (how the tests play Cloudflare's edge).
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { JS_DIR } from "../lib/load-vectors.mjs";
import { freePort, packageModules, resolveExport, startProcess, waitForHttp } from "../lib/proc.mjs";

export const WRANGLER_CONDITIONS = ["workerd", "worker", "browser", "import", "default"];
export const EXAMPLE_DIR = resolve(JS_DIR, "..", "examples", "cloudflare-worker");
const DIST = join(JS_DIR, "dist");
const WORKERD = join(JS_DIR, "node_modules", ".bin", "workerd");

const ECHO_WORKER = `// The test backend: echoes what the gate forwarded.
export default {
  async fetch(request) {
    return Response.json({
      backend: true,
      method: request.method,
      path: new URL(request.url).pathname,
      headers: Object.fromEntries(request.headers),
    });
  },
};
`;

const capnpText = (s) => JSON.stringify(s); // capnp text literals use the same escapes as JSON

/**
 * Starts workerd serving the example Worker. `env` holds its text bindings (SPIFFE_BUNDLES,
 * GATE_AUDIENCE, GATE_SOURCES). Returns { gate, proxy, log(), stop() } (base URLs end in "/").
 */
export async function startGateWorkerd(env) {
  if (!existsSync(join(DIST, "svidkit_bg.wasm"))) {
    throw new Error("js/dist is not built; run `npm --prefix js run build`");
  }
  const entry = resolveExport(JS_DIR, ".", WRANGLER_CONDITIONS);
  const gateEntry = resolveExport(JS_DIR, "./gate", WRANGLER_CONDITIONS);
  if (entry !== "./dist/workerd.js") throw new Error(`"svidkit" resolves to ${entry} under wrangler's conditions, want ./dist/workerd.js`);
  if (gateEntry !== "./dist/gate.js") throw new Error(`"svidkit/gate" resolves to ${gateEntry}, want ./dist/gate.js`);

  const dir = mkdtempSync(join(tmpdir(), "svidkit-gate-"));
  copyFileSync(join(EXAMPLE_DIR, "src", "worker.js"), join(dir, "worker.js"));
  writeFileSync(join(dir, "echo.js"), ECHO_WORKER);
  const modules = [
    `(name = "worker.js", esModule = embed "worker.js")`,
    ...packageModules(dir, JS_DIR, { svidkit: entry, "svidkit/gate": gateEntry }),
    // gate.js imports "svidkit" by name; workerd resolves every specifier against the importing
    // module's name, so from "svidkit/gate" that is "svidkit/svidkit": this alias makes it the one
    // "svidkit" module (one instance, one .wasm) that the Worker's own imports get. A bundler
    // (wrangler) resolves the name through package.json and needs nothing of the kind.
    `(name = "svidkit/svidkit", esModule = ${capnpText('export * from "../svidkit";')})`,
  ];
  const bindings = Object.entries(env).map(([name, value]) => {
    writeFileSync(join(dir, `env-${name}.txt`), value);
    return `(name = "${name}", text = embed "env-${name}.txt")`;
  });

  const writeConfig = (gatePort, proxyPort) =>
    writeFileSync(
      join(dir, "config.capnp"),
      `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "gate", worker = .gateWorker),
    (name = "proxy", worker = .proxyWorker),
    (name = "backend", worker = .echoWorker),
  ],
  sockets = [
    (name = "gate", address = ${capnpText(`127.0.0.1:${gatePort}`)}, http = (cfBlobHeader = "cf-blob"), service = "gate"),
    (name = "proxy", address = ${capnpText(`127.0.0.1:${proxyPort}`)}, http = (cfBlobHeader = "cf-blob"), service = "proxy"),
  ],
);
const gateModules :List(Workerd.Worker.Module) = [
  ${modules.join(",\n  ")}
];
const gateWorker :Workerd.Worker = (
  modules = .gateModules,
  bindings = [
    ${bindings.join(",\n    ")}
  ],
  compatibilityDate = "2025-09-01",
);
const proxyWorker :Workerd.Worker = (
  modules = .gateModules,
  bindings = [
    ${[...bindings, `(name = "BACKEND", service = "backend")`].join(",\n    ")}
  ],
  compatibilityDate = "2025-09-01",
);
const echoWorker :Workerd.Worker = (
  modules = [ (name = "echo.js", esModule = embed "echo.js") ],
  compatibilityDate = "2025-09-01",
);
`,
    );

  // Another process may take a port between freePort() and workerd's bind: up to 3 tries.
  let lastError;
  for (let attempt = 0; attempt < 3; attempt++) {
    const gatePort = await freePort();
    const proxyPort = await freePort();
    writeConfig(gatePort, proxyPort);
    const server = startProcess(WORKERD, ["serve", "--verbose", join(dir, "config.capnp")], { cwd: dir });
    try {
      await waitForHttp(`http://127.0.0.1:${gatePort}/`, server);
      await waitForHttp(`http://127.0.0.1:${proxyPort}/`, server);
      return {
        gate: `http://127.0.0.1:${gatePort}/`,
        proxy: `http://127.0.0.1:${proxyPort}/`,
        pid: server.child.pid,
        log: server.log,
        async stop() {
          await server.stop();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    } catch (e) {
      lastError = e;
      await server.stop();
    }
  }
  rmSync(dir, { recursive: true, force: true });
  throw lastError;
}
