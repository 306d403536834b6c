// Load script for the workerd gate (`make bench-gate`): starts the example Worker in workerd on
// 127.0.0.1 (as the e2e tests do), sends a fixed number of requests (default 2000) with a fixed
// concurrency (default 16) — a rotating mix of valid and invalid credentials of every source —
// then stops by itself. Prints requests/s and p50/p90/p99/max latency, overall and per kind, and
// checks that every request got its expected status and code, and that the gate wrote exactly one
// audit line per request (none lost). Exits 1 otherwise.
// LOAD_REQUESTS (1–100000) and LOAD_CONCURRENCY (1–256) override the defaults.
import { performance } from "node:perf_hooks";
import { makeFixtures, sfBinary, sfChain, xfccElement } from "./fixtures.mjs";
import { startGateWorkerd } from "./workerd.mjs";

function bounded(name, fallback, max) {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1 || n > max) {
    console.error(`load: ${name} must be an integer from 1 to ${max}`);
    process.exit(2);
  }
  return n;
}
const TOTAL = bounded("LOAD_REQUESTS", 2000, 100000);
const CONCURRENCY = bounded("LOAD_CONCURRENCY", 16, 256);
const WARMUP = 50; // sent first, checked, not counted in the figures

const f = makeFixtures();
const TRAFFIC = "spiffe://city.gov/traffic-agent/north-1";
const ENERGY = "spiffe://city.gov/energy-agent/grid-7";
// [name, area, headers, expected status, expected code or SPIFFE ID]
const KINDS = [
  ["jwt ok", "traffic", { authorization: `Bearer ${f.tokens.traffic}` }, 200, TRAFFIC],
  ["jwt ok (energy)", "energy", { authorization: `Bearer ${f.tokens.energy}` }, 200, ENERGY],
  ["client-cert ok", "traffic", { "client-cert": sfBinary(f.b64.traffic), "client-cert-chain": sfChain([f.b64.inter]) }, 200, TRAFFIC],
  ["xfcc ok", "traffic", { "x-forwarded-client-cert": xfccElement({ certPem: f.pem.traffic, chainPem: f.pem.traffic + f.pem.inter }) }, 200, TRAFFIC],
  ["cf-client-cert ok", "energy", { "cf-client-cert-der-base64": f.b64.energy }, 200, ENERGY],
  ["jwt wrong route", "energy", { authorization: `Bearer ${f.tokens.traffic}` }, 403, "unauthorized"],
  ["jwt expired", "traffic", { authorization: `Bearer ${f.tokens.expired}` }, 401, "expired"],
  ["jwt tampered", "traffic", { authorization: `Bearer ${f.tokens.tampered}` }, 401, "bad-signature"],
  ["jwt wrong audience", "traffic", { authorization: `Bearer ${f.tokens.wrongAudience}` }, 401, "audience-mismatch"],
  ["no credential", "traffic", {}, 401, "no-credential"],
  ["malformed client-cert", "traffic", { "client-cert": f.b64.traffic }, 401, "malformed"],
  ["x509 unknown trust domain", "traffic", { "client-cert": sfBinary(f.b64.riverside) }, 401, "no-bundle"],
];

const percentile = (sorted, p) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]);
const ms = (x) => `${x.toFixed(2)} ms`;

let server;
try {
  server = await startGateWorkerd({
    SPIFFE_BUNDLES: JSON.stringify(f.bundles),
    GATE_AUDIENCE: f.audience,
    GATE_SOURCES: "bearer,client-cert,xfcc,cf-client-cert",
  });
} catch (e) {
  console.error(`load: workerd did not start: ${e.message}`);
  process.exit(1);
}

const wrong = [];
const latencies = KINDS.map(() => []);
async function one(i, record) {
  const k = i % KINDS.length;
  const [name, area, headers, status, expect] = KINDS[k];
  const path = `/${area}/load-${i}`;
  const started = performance.now();
  let got;
  try {
    const res = await fetch(new URL(path, server.gate), { headers });
    const body = await res.json();
    got = { status: res.status, value: res.status === 200 ? body.spiffeId : body.code };
  } catch (e) {
    got = { status: 0, value: `request failed: ${e.message}` };
  }
  const elapsed = performance.now() - started;
  if (got.status !== status || got.value !== expect) wrong.push(`#${i} ${name}: got ${got.status} ${got.value}, want ${status} ${expect}`);
  if (record) latencies[k].push(elapsed);
}

// A fixed pool of workers pulling request numbers from a shared counter: exactly `n` requests.
async function run(first, n, record) {
  let next = first;
  const end = first + n;
  let done = 0;
  const worker = async () => {
    while (next < end) {
      const i = next++;
      await one(i, record);
      done++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, n) }, worker));
  return done;
}

console.log(`load: workerd pid ${server.pid} at ${server.gate}; ${TOTAL} requests, concurrency ${CONCURRENCY}, ${KINDS.length} kinds (+${WARMUP} warm-up)`);
let completed = 0;
let seconds = 0;
try {
  await run(0, WARMUP, false);
  const started = performance.now();
  completed = await run(WARMUP, TOTAL, true);
  seconds = (performance.now() - started) / 1000;
} finally {
  // Count the audit lines before stopping (one per request, warm-up included).
  const deadline = Date.now() + 5000;
  const auditLines = () => server.log().split("\n").filter((l) => l.startsWith('{"gate":') && /\/load-\d+"/.test(l)).length;
  while (auditLines() < WARMUP + TOTAL && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  var audited = auditLines();
  await server.stop();
}

const all = latencies.flat().sort((a, b) => a - b);
console.log(`\n${"kind".padEnd(26)} ${"n".padStart(5)} ${"p50".padStart(10)} ${"p99".padStart(10)}`);
KINDS.forEach(([name], k) => {
  const s = latencies[k].sort((a, b) => a - b);
  console.log(`${name.padEnd(26)} ${String(s.length).padStart(5)} ${ms(percentile(s, 50)).padStart(10)} ${ms(percentile(s, 99)).padStart(10)}`);
});
console.log(
  `\nload: ${completed} requests in ${seconds.toFixed(2)} s = ${(completed / seconds).toFixed(0)} requests/s; ` +
    `latency p50 ${ms(percentile(all, 50))}, p90 ${ms(percentile(all, 90))}, p99 ${ms(percentile(all, 99))}, max ${ms(all[all.length - 1])}`,
);

const problems = [];
if (completed !== TOTAL || all.length !== TOTAL) problems.push(`${TOTAL - all.length} of ${TOTAL} requests never completed`);
if (wrong.length > 0) problems.push(`${wrong.length} wrong answers:\n  ${wrong.slice(0, 20).join("\n  ")}`);
if (audited !== WARMUP + TOTAL) problems.push(`${audited} audit lines for ${WARMUP + TOTAL} requests`);
if (problems.length > 0) {
  console.log(`load: FAILED\n${problems.join("\n")}`);
  process.exit(1);
}
console.log(`load: every request answered as expected (${WARMUP + TOTAL} with warm-up, ${audited} audit lines)`);
