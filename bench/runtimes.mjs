// bench/run.mjs's runs in the other runtimes, one process each: Deno (npm `deno`, bench/in-deno.mjs)
// and workerd (npm `workerd`, bench/edge-worker.mjs), both running bench/edge.mjs on the same
// fixtures. Each returns {runtime, rows}; the runtimes come from js/node_modules, as in the tests.
import { execFileSync, spawn } from "node:child_process";
import { copyFileSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, packageModules, resolveExport, startProcess, waitForHttp } from "../js/test/lib/proc.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const JS_DIR = join(HERE, "..", "js");
const DENO = join(JS_DIR, "node_modules", ".bin", "deno");
const WORKERD = join(JS_DIR, "node_modules", ".bin", "workerd");
// A run takes well under a minute (BENCH_QUICK: seconds); past this, it is stuck, and `make bench`
// fails instead of waiting.
const STUCK_MS = 10 * 60 * 1000;
const firstLine = (cmd) => execFileSync(cmd, ["--version"], { encoding: "utf8" }).split("\n")[0].trim();

/** bench/edge.mjs in Deno, with no permissions (the fixtures come on stdin). */
export async function inDeno(input) {
  const child = spawn(DENO, ["run", "--no-prompt", "--no-lock", "in-deno.mjs"], {
    cwd: HERE,
    stdio: ["pipe", "pipe", "inherit"],
    env: { ...process.env, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" },
    timeout: STUCK_MS,
  });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  child.stdin.end(JSON.stringify(input));
  const code = await new Promise((resolve) => child.on("exit", (c, s) => resolve(c ?? (s ? 1 : 0))));
  if (code !== 0) throw new Error(`bench: Deno exited with ${code}:\n${out}`);
  const { entry, rows } = JSON.parse(out.trim().split("\n").pop());
  // The package must have resolved to its Deno entry, as for a user's `import "svidkit"`.
  const want = resolveExport(JS_DIR, ".", ["deno", "import", "default"]).replace(/^\.\//, "");
  if (!entry.endsWith(`/${want}`)) throw new Error(`bench: Deno resolved svidkit to ${entry}, want ${want}`);
  return { runtime: firstLine(DENO), rows };
}

/** Every file under `dir`, as paths relative to it. */
function filesUnder(dir) {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => statSync(join(dir, f)).isFile())
    .sort();
}

/**
 * bench/edge.mjs inside workerd: the package's entry and siblings as js/test/workerd/run.mjs lays
 * them out, jose's WebCrypto build as modules under "jose/", the fixtures in the POST.
 */
export async function inWorkerd(input) {
  const dir = mkdtempSync(join(tmpdir(), "svidkit-bench-workerd-"));
  const entry = resolveExport(JS_DIR, ".", ["workerd", "worker", "browser", "import", "default"]);
  const modules = [
    `(name = "worker.js", esModule = embed "edge-worker.mjs")`,
    `(name = "edge.mjs", esModule = embed "edge.mjs")`,
    `(name = "contest.mjs", esModule = embed "contest.mjs")`,
    ...packageModules(dir, JS_DIR, { svidkit: entry }),
  ];
  for (const f of ["edge-worker.mjs", "edge.mjs", "contest.mjs"]) copyFileSync(join(HERE, f), join(dir, f));
  const joseDir = join(HERE, "node_modules", "jose", "dist", "webapi");
  for (const f of filesUnder(joseDir).filter((f) => f.endsWith(".js"))) {
    const flat = `jose-${f.replaceAll("/", "__")}`;
    copyFileSync(join(joseDir, f), join(dir, flat));
    modules.push(`(name = "jose/${f}", esModule = embed "${flat}")`);
  }
  const port = await freePort();
  writeFileSync(
    join(dir, "config.capnp"),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .benchWorker) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const benchWorker :Workerd.Worker = (
  modules = [
    ${modules.join(",\n    ")}
  ],
  compatibilityDate = "2025-09-01",
);
`,
  );
  const server = startProcess(WORKERD, ["serve", join(dir, "config.capnp")], { cwd: dir });
  try {
    const url = `http://127.0.0.1:${port}/`;
    await waitForHttp(url, server);
    const res = await fetch(url, { method: "POST", body: JSON.stringify(input), signal: AbortSignal.timeout(STUCK_MS) });
    const body = await res.json();
    if (!res.ok) throw new Error(`bench: workerd answered ${res.status}: ${body.error}\n${server.log()}`);
    return { runtime: `workerd ${firstLine(WORKERD).replace(/^workerd\s*/, "")}`, rows: body.rows };
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
