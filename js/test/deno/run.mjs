// Runs every conformance vector through the package in Deno (npm `deno`), with no permissions:
// a scratch project whose node_modules/svidkit links to js/ (so Deno resolves the package through
// its package.json `exports`, `deno` condition), the vectors piped to harness.mjs on stdin.
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadVectors, JS_DIR } from "../lib/load-vectors.mjs";
import { resolveExport } from "../lib/proc.mjs";

const DENO = join(JS_DIR, "node_modules", ".bin", "deno");
if (!existsSync(join(JS_DIR, "dist", "svidkit_bg.wasm"))) {
  console.error("deno: js/dist is not built; run `npm --prefix js run build`");
  process.exit(1);
}
const entry = resolveExport(JS_DIR, ".", ["deno", "import", "default"]);

const dir = mkdtempSync(join(tmpdir(), "svidkit-deno-"));
mkdirSync(join(dir, "node_modules"));
symlinkSync(JS_DIR, join(dir, "node_modules", "svidkit"), "dir");
writeFileSync(
  join(dir, "package.json"),
  JSON.stringify({ name: "deno-consumer", private: true, type: "module", dependencies: { svidkit: "*" } }),
);
copyFileSync(join(JS_DIR, "test", "deno", "harness.mjs"), join(dir, "harness.mjs"));
copyFileSync(join(JS_DIR, "test", "lib", "vectors.mjs"), join(dir, "vectors.mjs"));

const vectors = loadVectors();
const child = spawn(DENO, ["run", "--no-prompt", "--no-lock", "harness.mjs"], {
  cwd: dir,
  stdio: ["pipe", "pipe", "inherit"],
  env: { ...process.env, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" },
});
let out = "";
child.stdout.on("data", (d) => {
  out += d;
  process.stdout.write(d);
});
child.stdin.end(JSON.stringify(vectors));
const code = await new Promise((resolve) => child.on("exit", (c, s) => resolve(c ?? (s ? 1 : 0))));
rmSync(dir, { recursive: true, force: true });

const want = `deno: ${vectors.length} passed, 0 failed`;
const resolvedOk = out.includes(`/${entry.replace(/^\.\//, "")}`);
if (!resolvedOk) console.log(`deno: the package did not resolve to ${entry}`);
if (!out.includes("deno: ")) console.log(`deno: 0 passed, ${vectors.length} failed`);
process.exit(code === 0 && resolvedOk && out.includes(want) ? 0 : 1);
