// `npm pack` → install the tarball into an empty scratch project → use it from Node, as a user
// would. Also checks the tarball holds only what consumers need.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { JS_DIR, VECTORS_DIR } from "../lib/load-vectors.mjs";

const npm = (args, cwd) =>
  execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, npm_config_update_notifier: "false" } });

const EXPECTED_FILES = [
  "LICENSE",
  "README.md",
  "dist/api.js",
  "dist/browser.js",
  "dist/bundler.js",
  "dist/deno.js",
  "dist/error.js",
  "dist/gate.d.ts",
  "dist/gate.js",
  "dist/host-crypto.js",
  "dist/index.d.ts",
  "dist/node.js",
  "dist/svidkit_bg.js",
  "dist/svidkit_bg.wasm",
  "dist/svidkit_bundler.js",
  "dist/svidkit_web.js",
  "dist/web.d.ts",
  "dist/web.js",
  "dist/workerd.js",
  "package.json",
];

test("npm pack → install into an empty project → use from Node", () => {
  const dir = mkdtempSync(join(tmpdir(), "svidkit-pack-"));
  try {
    const [packed] = JSON.parse(npm(["pack", "--json", "--pack-destination", dir], JS_DIR));
    const files = packed.files.map((f) => f.path).sort();
    assert.deepEqual(files, EXPECTED_FILES, "tarball contents");
    console.log(`${packed.filename}: ${packed.size} bytes packed, ${packed.unpackedSize} bytes unpacked, ${files.length} files`);

    const project = join(dir, "project");
    execFileSync("mkdir", [project]);
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "scratch", private: true, type: "module" }));
    npm(["install", "--no-audit", "--no-fund", "--offline", join(dir, packed.filename)], project);

    copyFileSync(join(JS_DIR, "test", "lib", "vectors.mjs"), join(project, "vectors.mjs"));
    copyFileSync(join(JS_DIR, "test", "lib", "load-vectors.mjs"), join(project, "load-vectors.mjs"));
    writeFileSync(
      join(project, "use.mjs"),
      `import * as svidkit from "svidkit";
import { parseSpiffeId, SvidError } from "svidkit";
import * as web from "svidkit/web";
import { loadVectors } from "./load-vectors.mjs";
import { runVectors, summary } from "./vectors.mjs";
const resolved = import.meta.resolve("svidkit");
if (!resolved.includes("/node_modules/svidkit/dist/node.js")) throw new Error("resolved " + resolved);
if (typeof web.initSync !== "function") throw new Error("svidkit/web has no initSync");
// svidkit/gate resolves inside the installed package and shares its "svidkit" instance.
const gateUrl = import.meta.resolve("svidkit/gate");
if (!gateUrl.includes("/node_modules/svidkit/dist/gate.js")) throw new Error("svidkit/gate resolved " + gateUrl);
const { createGate } = await import("svidkit/gate");
const gate = createGate({ bundles: new svidkit.BundleSet(), audience: "a", routes: [] });
const decision = await gate(new Request("http://x/a"));
if (decision.status !== 401 || decision.code !== "no-credential") throw new Error("gate: " + JSON.stringify(decision));
if (parseSpiffeId("spiffe://example.org/a").path !== "/a") throw new Error("parseSpiffeId");
try { parseSpiffeId(7); throw new Error("no throw"); } catch (e) { if (!(e instanceof SvidError) || e.code !== "malformed") throw e; }
const s = summary(runVectors(svidkit, loadVectors(process.argv[2])));
for (const line of s.lines) console.log(line);
console.log("tarball: " + s.last);
process.exit(s.failed === 0 ? 0 : 1);
`,
    );
    const out = execFileSync(process.execPath, ["use.mjs", VECTORS_DIR], { cwd: project, encoding: "utf8" });
    console.log(out.trim());
    assert.match(out, /tarball: \d+ passed, 0 failed/);

    // CommonJS: Node ≥ 20.19 loads the ES module entry from require() (the README says so).
    const [major, minor] = process.versions.node.split(".").map(Number);
    if (major > 20 || (major === 20 && minor >= 19)) {
      copyFileSync(join(VECTORS_DIR, "jwt-svid", "ok-es256.json"), join(project, "ok-es256.json"));
      writeFileSync(
        join(project, "use.cjs"),
        `const svidkit = require("svidkit");
const v = require("./ok-es256.json");
if (!require.resolve("svidkit").endsWith("/node_modules/svidkit/dist/node.js")) throw new Error("resolved " + require.resolve("svidkit"));
const bundles = svidkit.BundleSet.from(v.input.bundles);
const svid = svidkit.verifyJwtSvid(v.input.token, bundles, { audience: v.input.audience, now: v.now });
if (svid.spiffeId !== v.expect.spiffe_id || svid.expiresAt !== v.expect.expires_at) throw new Error("verified " + JSON.stringify(svid));
try {
  svidkit.verifyJwtSvid(v.input.token, bundles, { audience: "someone-else", now: v.now });
  throw new Error("no throw");
} catch (e) {
  if (!(e instanceof svidkit.SvidError) || e.code !== "audience-mismatch") throw e;
}
console.log("require: ok " + svid.spiffeId);
`,
      );
      const cjs = execFileSync(process.execPath, ["use.cjs"], { cwd: project, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
      console.log(cjs.trim());
      assert.match(cjs, /^require: ok spiffe:\/\//m);
    } else {
      console.log(`require("svidkit") not checked: Node ${process.versions.node} loads ES modules from require() only from 20.19`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
