// Helpers for the runtime harnesses: free loopback ports, child processes that are always stopped
// (by their own process-group id, so a launcher's children go too), and package `exports` resolution.
import { spawn } from "node:child_process";
import { copyFileSync, readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { basename, join } from "node:path";

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const running = new Set();

function killGroup(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    try {
      child.kill("SIGTERM");
    } catch {}
  }
}

process.on("exit", () => {
  for (const child of running) killGroup(child);
});
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => process.exit(130));
}

/**
 * Starts a long-running child in its own process group; output is collected in `log()`.
 * `stop()` sends SIGTERM to that group (then SIGKILL after 3 s) and resolves when it exited.
 */
export function startProcess(cmd, args, options = {}) {
  const child = spawn(cmd, args, { ...options, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  running.add(child);
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  child.on("error", (e) => (output += `spawn error: ${e.message}\n`));
  return {
    child,
    exited,
    log: () => output,
    async stop() {
      killGroup(child);
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {}
      }, 3000);
      await exited;
      clearTimeout(timer);
      running.delete(child);
    },
  };
}

/** Resolves when `url` answers any HTTP status; rejects after `timeoutMs` or if `proc` exits. */
export async function waitForHttp(url, proc, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  proc.exited.then(() => (exited = true));
  while (Date.now() < deadline) {
    if (exited) throw new Error(`server exited before answering:\n${proc.log()}`);
    try {
      await fetch(url, { signal: AbortSignal.timeout(2000) });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`no answer from ${url} within ${timeoutMs} ms:\n${proc.log()}`);
}

/**
 * Node's `exports` resolution for one subpath of a package: the first key of the conditions
 * object (in the package's key order) that is in `conditions`, recursively. Returns the target
 * path relative to the package ("./dist/workerd.js") or throws.
 */
export function resolveExport(pkgDir, subpath, conditions) {
  const pkg = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
  const pick = (target) => {
    if (typeof target === "string") return target;
    if (target && typeof target === "object") {
      for (const [key, value] of Object.entries(target)) {
        if (conditions.includes(key)) {
          const r = pick(value);
          if (r !== null) return r;
        }
      }
    }
    return null;
  };
  const target = pick(pkg.exports && pkg.exports[subpath]);
  if (target === null) throw new Error(`${pkg.name}: no export ${subpath} for conditions ${conditions.join(", ")}`);
  return target;
}

/**
 * Lays the built package (`jsDir`/dist) out in `dir` as a Worker's modules, the way a bundler
 * would: each entry of `named` ({ "svidkit": "./dist/workerd.js", ... }) under its bare name, the
 * other .js files of dist/ under their file names, the .wasm as a Wasm module. Returns the
 * config's module lines (the Worker's own main module goes first, before them).
 */
export function packageModules(dir, jsDir, named) {
  const dist = join(jsDir, "dist");
  const entries = new Set(Object.values(named).map((e) => basename(e)));
  const modules = Object.entries(named).map(([name, e]) => `(name = "${name}", esModule = embed "pkg-${basename(e)}")`);
  for (const file of readdirSync(dist).sort()) {
    if (!file.endsWith(".js") && !file.endsWith(".wasm")) continue;
    copyFileSync(join(dist, file), join(dir, `pkg-${file}`));
    if (file.endsWith(".wasm")) modules.push(`(name = "${file}", wasm = embed "pkg-${file}")`);
    else if (!entries.has(file)) modules.push(`(name = "${file}", esModule = embed "pkg-${file}")`);
  }
  return modules;
}
