// Assembles the served inspector: the page's own files, a copy of the npm package's browser build
// (js/dist) under svidkit/, and the Content-Security-Policy hash of the inline import map.
// The sample gallery (samples.json) is written by `cargo run --example samples` (see mk/inspector.mk).
//
//   node www/tools/build.mjs [--out www/dist] [--dist js/dist]
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const www = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const out = resolve(opt("out", join(www, "dist")));
const dist = resolve(opt("dist", join(www, "..", "js", "dist")));

const PAGE_FILES = ["index.html", "style.css", "app.js", "format.js", "view.js", "share.js", "favicon.svg"];

function fail(message) {
  console.error(`www build: ${message}`);
  process.exit(1);
}

if (!existsSync(join(dist, "browser.js"))) fail(`${dist}/browser.js is missing: build the npm package first (npm --prefix js run build)`);
const browser = readFileSync(join(dist, "browser.js"), "utf8");
if (!/\binspect\b/.test(browser)) {
  fail(`${dist}/browser.js does not export inspect: rebuild the npm package (npm --prefix js run build)`);
}

mkdirSync(out, { recursive: true });
// Start from a clean copy of the package, keeping samples.json (written before this step).
rmSync(join(out, "svidkit"), { recursive: true, force: true });
mkdirSync(join(out, "svidkit"));
// Only what the browser entry loads: follow its relative imports and `new URL(…)` assets.
const wanted = ["browser.js"];
for (let i = 0; i < wanted.length; i++) {
  const file = wanted[i];
  cpSync(join(dist, file), join(out, "svidkit", file));
  if (!file.endsWith(".js")) continue;
  const source = readFileSync(join(dist, file), "utf8");
  for (const m of source.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*|new URL\(\s*)["']\.\/([^"']+)["']/g)) {
    if (!wanted.includes(m[1]) && existsSync(join(dist, m[1]))) wanted.push(m[1]);
  }
}
for (const f of PAGE_FILES) {
  if (f !== "index.html") cpSync(join(www, f), join(out, f));
}

let html = readFileSync(join(www, "index.html"), "utf8");
// The import map is an inline script: the CSP admits exactly its text, by hash.
const map = /<script type="importmap">([\s\S]*?)<\/script>/.exec(html);
if (!map) fail("index.html has no import map");
const hash = createHash("sha256").update(map[1]).digest("base64");
if (!html.includes("sha256-IMPORTMAP_HASH")) fail("index.html's CSP lacks the sha256-IMPORTMAP_HASH placeholder");
html = html.replace("sha256-IMPORTMAP_HASH", `sha256-${hash}`);
writeFileSync(join(out, "index.html"), html);

if (!existsSync(join(out, "samples.json"))) console.warn("www build: samples.json is missing (cargo run --example samples -- <out>/samples.json)");
console.log(`www build: ${out}`);
