// Differential fuzzing of the two gates: `svidkit/gate` (js/src/gate.js) and the wasi:http gate
// (examples/wasi-http-gate, Rust) read the same credential headers and request targets by the same
// rules, and must decide every request alike. Requests are generated from valid credentials of
// every source (fixtures.mjs: real keys, the real clock) by seeded mutations aimed at the parsers —
// delimiters of RFC 8941 lists and Envoy's XFCC (`,` `;` `=` `"` `\` `:`), spaces and tabs,
// percent escapes, bytes above 0x7F, truncation, repetition past the element and chain limits,
// header fields split or repeated, names in any case — and at path normalisation (dot segments,
// `%2e`, backslashes, queries). Both decide each one; allow, status, code, source, SPIFFE ID and
// route must be equal. Every request also goes through the JS gate without throwing.
//
// DIFF_CASES (default 2500) requests from DIFF_SEED (default: fixed, printed). The Rust side is
// `cargo run -p svidkit-gate --example decide`, built here if needed.
// Prints the first differences and "gate (differential): N passed, M failed"; exits 1 on any.
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { createGate } from "svidkit/gate";
import { JS_DIR } from "../lib/load-vectors.mjs";
import { makeFixtures, sfBinary, sfChain, xfccElement } from "./fixtures.mjs";

const REPO = resolve(JS_DIR, "..");
const CASES = Number(process.env.DIFF_CASES ?? 2500);
const SEED = Number(process.env.DIFF_SEED ?? 0x5eed5);
const SOURCES = ["bearer", "client-cert", "xfcc", "cf-client-cert"];
const ROUTES = [
  { path: "/traffic/*", allow: ["spiffe://city.gov/traffic-agent/*"] },
  { path: "/energy/*", allow: ["spiffe://city.gov/energy-agent/*"] },
  { path: "/status", methods: ["GET"], allow: ["spiffe://city.gov/*"] },
];

// xorshift32: the same requests for the same seed, on every machine.
let state = SEED >>> 0 || 1;
function rand() {
  state ^= state << 13;
  state >>>= 0;
  state ^= state >>> 17;
  state ^= state << 5;
  state >>>= 0;
  return state / 0x100000000;
}
const int = (n) => Math.floor(rand() * n);
const pick = (list) => list[int(list.length)];
const chance = (p) => rand() < p;

const now = Math.floor(Date.now() / 1000);
const f = makeFixtures({ now });
const config = { bundles: f.bundles, audience: f.audience, routes: ROUTES, sources: SOURCES };

// ---- what a request is made of -------------------------------------------------------------
const TOKENS = [f.tokens.traffic, f.tokens.energy, f.tokens.expired, f.tokens.wrongAudience, f.tokens.tampered, f.tokens.unknownDomain];
const LEAVES = [
  { leaf: "traffic", chain: ["inter"] },
  { leaf: "energy", chain: [] },
  { leaf: "expired", chain: [] },
  { leaf: "riverside", chain: [] },
  { leaf: "traffic", chain: [] },
];

function credentialFields(source) {
  const { leaf, chain } = pick(LEAVES);
  switch (source) {
    case "bearer":
      return [["Authorization", `${pick(["Bearer", "bearer", "BEARER", "Bearer", "Basic", "DPoP"])} ${pick(TOKENS)}`]];
    case "client-cert": {
      const fields = [["Client-Cert", sfBinary(f.b64[leaf])]];
      if (chain.length > 0 || chance(0.3)) fields.push(["Client-Cert-Chain", sfChain(chain.map((c) => f.b64[c]))]);
      return fields;
    }
    case "xfcc": {
      const element = xfccElement({
        certPem: chance(0.8) ? f.pem[leaf] : undefined,
        chainPem: chance(0.5) ? f.pem[leaf] + chain.map((c) => f.pem[c]).join("") : undefined,
        uri: chance(0.3) ? "spiffe://city.gov/traffic-agent/north-1" : undefined,
      });
      const earlier = chance(0.3) ? `${xfccElement({ certPem: f.pem.riverside })},` : "";
      return [["X-Forwarded-Client-Cert", earlier + element]];
    }
    default:
      return [["Cf-Client-Cert-Der-Base64", f.b64[leaf]]];
  }
}

// The characters the parsers split, quote and decode on, and some that only need to pass through.
const ALPHABET = [",", ";", "=", '"', "\\", ":", " ", "\t", "%", "%2", "%22", "%0A", "+", "/", "-", "_", ".", "A", "a", "0", "=", "==", ", ", "\u00e9", "\u00ff", "\u0080"];

function mutate(value) {
  let v = value;
  for (let n = int(4); n > 0; n--) {
    const at = int(v.length + 1);
    switch (int(9)) {
      case 0:
        v = v.slice(0, at) + pick(ALPHABET) + v.slice(at);
        break;
      case 1:
        v = v.slice(0, at) + v.slice(at + 1 + int(3));
        break;
      case 2:
        v = v.slice(0, at) + pick(ALPHABET) + v.slice(at + 1);
        break;
      case 3:
        v = v.slice(0, at);
        break;
      case 4: {
        // Repeat a piece: past the 64 XFCC elements or 16 chain members, or just doubled.
        const piece = v.slice(at, at + 1 + int(200));
        v = v.slice(0, at) + piece.repeat(1 + (chance(0.2) ? 70 : int(3))) + v.slice(at);
        break;
      }
      case 5:
        v = v.slice(0, at) + v.slice(at).toLowerCase();
        break;
      case 6:
        v = `"${v}"`;
        break;
      case 7:
        v = v.replace(/:/, pick(["", "::", ": ", " :"]));
        break;
      default:
        v = v.replace(/%([0-9A-F]{2})/, (m, h) => (chance(0.5) ? String.fromCharCode(parseInt(h, 16)) : m.toLowerCase()));
    }
  }
  // What an HTTP field value can be: no CR, LF or NUL, nothing above U+00FF, and no leading or
  // trailing spaces or tabs (a fetch Headers strips them; an HTTP parser drops them).
  return v.replace(/[\r\n\0]/g, "").replace(/[^\u0000-\u00ff]/g, "").replace(/^[ \t]+|[ \t]+$/g, "");
}

const PATHS = ["/traffic/lights", "/energy/grid", "/status", "/", "/traffic", "/traffic/", "/energy/../traffic/x", "/traffic/%2e%2e/energy/x",
  "/traffic/.%2E/status", "\\traffic\\lights", "/traffic/./lights", "//traffic/lights", "/%74raffic/x", "/traffic/x?q=1", "/status?", "/STATUS",
  "/status/", "/energy/%2F..", "/traffic/a b", "/traffic/%", "/./status", "/energy/..", "/energy/...", "/traffic/%2e"];

function target() {
  let p = pick(PATHS);
  if (chance(0.2)) {
    const at = 1 + int(p.length);
    p = p.slice(0, at) + pick(["/", ".", "..", "%2e", "%2E", "\\", "?", "%", "./", "../"]) + p.slice(at);
  }
  return p;
}

function request() {
  const fields = [];
  for (const source of SOURCES) if (chance(0.35)) fields.push(...credentialFields(source));
  if (fields.length === 0) fields.push(...credentialFields(pick(SOURCES)));
  const out = [];
  for (const [name, value] of fields) {
    const v = chance(0.6) ? mutate(value) : value;
    const n = pick([name, name.toLowerCase(), name.toUpperCase()]);
    if (chance(0.1) && v.length > 2) {
      // One field sent as two: both gates see them joined with ", ".
      const cut = 1 + int(v.length - 2);
      const a = v.slice(0, cut).replace(/[ \t]+$/, "");
      const b = v.slice(cut).replace(/^[ \t]+/, "");
      out.push([n, a], [n, b]);
    } else {
      out.push([n, v]);
    }
    if (chance(0.05)) out.push([n, mutate(value)]);
  }
  if (chance(0.1)) out.push(["Authorization", pick(["", "Bearer", "Bearer ", "Bearer  x"]).trimEnd()]);
  return { now, method: pick(["GET", "GET", "GET", "get", "POST", "patch", "Get"]), target: target(), headers: out };
}

// ---- both gates --------------------------------------------------------------------------------
const requests = Array.from({ length: CASES }, request);
const gate = createGate({ ...config, now });
const js = [];
let threw = 0;
for (const r of requests) {
  const headers = new Headers();
  for (const [name, value] of r.headers) headers.append(name, value);
  try {
    const d = await gate(new Request(`http://gate.test${r.target}`, { method: r.method, headers }));
    js.push({ allow: d.allow, status: d.status, code: d.code ?? null, source: d.source ?? null, spiffeId: d.spiffeId ?? null, route: d.route ?? null });
  } catch (e) {
    threw++;
    js.push({ threw: String(e && e.message) });
  }
}

const build = spawnSync("cargo", ["build", "-q", "-p", "svidkit-gate", "--example", "decide"], { cwd: REPO, stdio: "inherit" });
if (build.status !== 0) {
  console.error("gate (differential): cargo build -p svidkit-gate --example decide failed");
  process.exit(1);
}
const run = spawnSync(resolve(REPO, "target", "debug", "examples", "decide"), {
  input: JSON.stringify({ config, requests }),
  encoding: "utf8",
  maxBuffer: 256 * 1024 * 1024,
});
if (run.status !== 0) {
  console.error(`gate (differential): the Rust gate failed:\n${run.stderr}`);
  process.exit(1);
}
const rust = JSON.parse(run.stdout);

const FIELDS = ["allow", "status", "code", "source", "spiffeId", "route", "threw"];
const canonical = (d) => JSON.stringify(FIELDS.filter((k) => k in d).map((k) => [k, d[k]]));
let passed = 0;
const failures = [];
for (let i = 0; i < requests.length; i++) {
  const a = canonical(js[i]);
  const b = canonical(rust[i]);
  if (a === b) passed++;
  else failures.push({ i, request: requests[i], js: js[i], rust: rust[i] });
}
const tally = {};
for (const d of js) tally[d.code ?? (d.allow ? "allow" : "?")] = (tally[d.code ?? (d.allow ? "allow" : "?")] ?? 0) + 1;
console.log(`gate (differential): seed ${SEED}, ${CASES} requests; JS decisions by code: ${JSON.stringify(tally)}`);
for (const x of failures.slice(0, 5)) {
  console.log(`FAIL request ${x.i}: ${JSON.stringify(x.request).slice(0, 1500)}\n  js:   ${JSON.stringify(x.js)}\n  rust: ${JSON.stringify(x.rust)}`);
}
if (threw > 0) console.log(`FAIL the JS gate threw on ${threw} requests`);
console.log(`gate (differential): ${passed} passed, ${failures.length} failed`);
process.exit(failures.length === 0 && threw === 0 ? 0 : 1);
