// `make bench`: svidkit against the incumbents, in one Node process and one run, on the same
// tokens, chain and keys (made fresh by bench/fixtures.mjs and examples/bench_fixtures.rs); then
// the JWT-SVIDs and the P-256 chain in Deno and in workerd, one process each (bench/runtimes.mjs).
// Prints a Markdown table of median µs/op, ops/s and in-run ratios, the native RustCrypto figures
// of `cargo bench` (benches/verify.rs, read from target/criterion) next to pure wasm, the .wasm's
// size, cold-start times measured in fresh Node processes, and the performance targets next to
// this run's figures. Nothing here asserts a time.
//
//   node bench/run.mjs <fixtures dir> [<criterion dir> [<criterion dir of the 32-bit curve25519 run>]]
import { execFileSync } from "node:child_process";
import { X509Certificate, constants as cryptoConstants, createPublicKey, verify as cryptoVerify, webcrypto } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { brotliCompressSync, constants as zlib, gzipSync } from "node:zlib";
import "reflect-metadata"; // @peculiar/x509 needs it, before it loads
import * as x509 from "@peculiar/x509";
import { createLocalJWKSet, importJWK, jwtVerify } from "jose";
import * as svidkit from "svidkit";
import { contest as measure, median } from "./contest.mjs";
import { inDeno, inWorkerd } from "./runtimes.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const dir = resolve(process.argv[2] || join(HERE, "..", "target", "bench"));
const criterionDir = resolve(process.argv[3] || join(HERE, "..", "target", "criterion"));
// mk/bench.mk's second criterion run: the Ed25519 chain with curve25519-dalek's 32-bit serial backend.
const criterionU32Dir = resolve(process.argv[4] || join(HERE, "..", "target", "bench-u32", "criterion"));
const jwt = JSON.parse(readFileSync(join(dir, "jwt.json"), "utf8"));
const chain = JSON.parse(readFileSync(join(dir, "chain.json"), "utf8"));
const QUICK = process.env.BENCH_QUICK === "1"; // a fast smoke run (fewer, shorter samples)

// --- measuring ----------------------------------------------------------------------------------

const SAMPLES = QUICK ? 5 : 21;
const SAMPLE_MS = QUICK ? 10 : 40;
const WARMUP_MS = QUICK ? 50 : 400;

/** Measures one operation's contenders side by side (bench/contest.mjs) and records their rows. */
async function contest(group, contenders) {
  const timing = { samples: SAMPLES, sampleMs: SAMPLE_MS, warmupMs: WARMUP_MS };
  for (const r of await measure(contenders, timing)) row(group, r.name, r.us, r.extra);
}

function expect(cond, what) {
  if (!cond) throw new Error(`bench: ${what}`);
}

// --- the contenders -----------------------------------------------------------------------------

// The JWT and X.509 fixtures are of one trust domain: one bundle holding both kinds of authority.
expect(jwt.trustDomain === chain.trustDomain, "fixtures of one trust domain");
const combined = JSON.parse(jwt.bundle);
combined.keys.push(...JSON.parse(chain.bundle).keys);
const bundles = svidkit.BundleSet.from({ [jwt.trustDomain]: JSON.stringify(combined) });
const wasmVerifier = svidkit.createVerifier({ bundles, crypto: "wasm" });
const webVerifier = svidkit.createVerifier({ bundles, crypto: "webcrypto" });
const cachedVerifier = svidkit.createVerifier({ bundles, cache: { maxEntries: 1000 } });
const now = Math.min(jwt.now, chain.now) + 1;
const currentDate = new Date(now * 1000);
const jwtOptions = { audience: jwt.audience, now };

const rows = []; // { group, name, us, baseline?: true, note? }
function row(group, name, us, extra = {}) {
  rows.push({ group, name, us, ...extra });
  process.stderr.write(`  ${group} · ${name}: ${us.toFixed(1)} µs\n`);
}

process.stderr.write(`bench: ${QUICK ? "quick run" : "full run"}, ${SAMPLES} samples of ~${SAMPLE_MS} ms each\n`);

for (const alg of ["ES256", "ES384", "RS256", "PS256"]) {
  const { token, jwk } = jwt.tokens[alg];
  const group = `JWT-SVID ${alg}`;
  const ok = (r) => expect(r.spiffeId === jwt.spiffeId, `${alg}: svidkit verified ${r.spiffeId}`);
  ok(svidkit.verifyJwtSvid(token, bundles, jwtOptions));
  ok(wasmVerifier.verifyJwtSvid(token, jwtOptions));
  ok(await webVerifier.verifyJwtSvidAsync(token, jwtOptions));
  const key = await importJWK(jwk, alg);
  const jwks = createLocalJWKSet({ keys: [jwk] });
  const joseOptions = { audience: jwt.audience, algorithms: [alg], currentDate };
  expect((await jwtVerify(token, key, joseOptions)).payload.sub === jwt.spiffeId, `${alg}: jose`);
  expect((await jwtVerify(token, jwks, joseOptions)).payload.sub === jwt.spiffeId, `${alg}: jose JWKS`);

  // The floor for anything that checks the signature with node:crypto: the one `verify` call on
  // the signing input, no decoding, no claims. Shown so svidkit's own share can be read off.
  const [h, p, sig] = token.split(".");
  const signingInput = Buffer.from(`${h}.${p}`);
  const signature = Buffer.from(sig, "base64url");
  const publicKey = createPublicKey({ key: jwk, format: "jwk" });
  const verifyKey = alg.startsWith("ES")
    ? { key: publicKey, dsaEncoding: "ieee-p1363" }
    : alg.startsWith("PS")
      ? { key: publicKey, padding: cryptoConstants.RSA_PKCS1_PSS_PADDING, saltLength: Number(alg.slice(2)) / 8 }
      : publicKey;
  const hash = `sha${alg.slice(2)}`;
  expect(cryptoVerify(hash, signingInput, verifyKey, signature), `${alg}: node:crypto verify`);

  await contest(group, [
    ["svidkit `verifyJwtSvid` (node:crypto, sync)", () => svidkit.verifyJwtSvid(token, bundles, jwtOptions)],
    ["svidkit `verifyJwtSvidAsync` (WebCrypto, as in workerd/browsers)", () => webVerifier.verifyJwtSvidAsync(token, jwtOptions), { async: true }],
    ["svidkit pure wasm (`crypto: \"wasm\"`)", () => wasmVerifier.verifyJwtSvid(token, jwtOptions), { wasm: `jwt/${alg}` }],
    ["jose `jwtVerify`, pre-imported key", () => jwtVerify(token, key, joseOptions), { async: true, baseline: true }],
    ["jose `jwtVerify`, `createLocalJWKSet`", () => jwtVerify(token, jwks, joseOptions), { async: true }],
    ["node:crypto `verify` of the signature alone (no JWT decoding or checks)", () => cryptoVerify(hash, signingInput, verifyKey, signature)],
  ]);
}

/** The contenders of an X.509 chain operation: svidkit's three paths, the hand check, @peculiar. */
function chainContenders({ der, options, bundles, web, wasm, criterionId, manual, peculiar }) {
  return [
    ["svidkit `verifyX509Svid` (node:crypto, sync)", () => svidkit.verifyX509Svid(der, bundles, options)],
    ["svidkit `verifyX509SvidAsync` (WebCrypto)", () => web.verifyX509SvidAsync(der, options), { async: true }],
    ["svidkit pure wasm (`crypto: \"wasm\"`)", () => wasm.verifyX509Svid(der, options), { wasm: criterionId }],
    ["Node `X509Certificate`, manual checks", manual, { baseline: true }],
    ["@peculiar/x509 `X509ChainBuilder`", peculiar, { async: true }],
  ];
}

{
  const group = "X.509-SVID, 3-certificate P-256 chain";
  const der = chain.chain.map((b) => new Uint8Array(Buffer.from(b, "base64")));
  const rootDer = Buffer.from(chain.root, "base64");
  const options = { now };
  const ok = (r) => expect(r.spiffeId === chain.spiffeId && r.chain.length === 3, `chain: svidkit verified ${r.spiffeId}`);
  ok(svidkit.verifyX509Svid(der, bundles, options));
  ok(wasmVerifier.verifyX509Svid(der, options));
  ok(await webVerifier.verifyX509SvidAsync(der, options));

  // Node's X509Certificate, by hand: parse the presented certificates, check each signature, issuer
  // link, validity and the leaf's URI SAN; the root is parsed once, like a bundle.
  const root = new X509Certificate(rootDer);
  const manual = () => {
    const leaf = new X509Certificate(der[0]);
    const int = new X509Certificate(der[1]);
    const t = currentDate.getTime();
    for (const [c, issuer] of [[leaf, int], [int, root]]) {
      if (!c.checkIssued(issuer) || !c.verify(issuer.publicKey)) throw new Error("manual: bad link");
      if (Date.parse(c.validFrom) > t || Date.parse(c.validTo) < t) throw new Error("manual: not valid now");
    }
    if (!int.ca || leaf.ca) throw new Error("manual: CA flags");
    const uri = /URI:(spiffe:\/\/[^,]+)/.exec(leaf.subjectAltName || "");
    if (!uri || uri[1] !== chain.spiffeId) throw new Error("manual: SPIFFE ID");
    return uri[1];
  };
  expect(manual() === chain.spiffeId, "manual check");

  // @peculiar/x509: parse the presented certificates, build the chain to the root (which checks
  // every signature, the root's own included) over WebCrypto.
  x509.cryptoProvider.set(webcrypto);
  const pRoot = new x509.X509Certificate(rootDer);
  const peculiar = async () => {
    const leaf = new x509.X509Certificate(der[0]);
    const int = new x509.X509Certificate(der[1]);
    const built = await new x509.X509ChainBuilder({ certificates: [int, pRoot] }).build(leaf);
    if (built.length !== 3) throw new Error(`peculiar: chain of ${built.length}`);
    for (const c of built) if (c.notBefore > currentDate || c.notAfter < currentDate) throw new Error("peculiar: not valid now");
    return built;
  };
  await peculiar();

  await contest(group, chainContenders({ der, options, bundles, web: webVerifier, wasm: wasmVerifier, criterionId: "x509/p256-chain-3", manual, peculiar }));
}

{
  // Ed25519: root (the only authority of its own bundle, so the P-256 rows keep theirs) → leaf.
  // A genuine signature goes to node:crypto / WebCrypto like ECDSA (src/crypto.rs
  // `host_may_verify` keeps only ambiguous ones in Rust); `crypto: "wasm"` checks it in Rust.
  const ed = chain.ed25519;
  const group = "X.509-SVID, 2-certificate Ed25519 chain";
  const der = ed.chain.map((b) => new Uint8Array(Buffer.from(b, "base64")));
  const rootDer = Buffer.from(ed.root, "base64");
  const edBundles = svidkit.BundleSet.from({ [chain.trustDomain]: ed.bundle });
  const edWasm = svidkit.createVerifier({ bundles: edBundles, crypto: "wasm" });
  const edWeb = svidkit.createVerifier({ bundles: edBundles, crypto: "webcrypto" });
  const options = { now };
  const ok = (r) => expect(r.spiffeId === ed.spiffeId && r.chain.length === 2, `Ed25519 chain: svidkit verified ${r.spiffeId}`);
  ok(svidkit.verifyX509Svid(der, edBundles, options));
  ok(edWasm.verifyX509Svid(der, options));
  ok(await edWeb.verifyX509SvidAsync(der, options));
  let refused = false;
  try {
    svidkit.verifyX509Svid(der, bundles, options); // the P-256 bundle: no Ed25519 authority
  } catch {
    refused = true;
  }
  expect(refused, "Ed25519 chain refused without its root");

  // Node's X509Certificate by hand, as for the P-256 chain (one link here).
  const root = new X509Certificate(rootDer);
  const manual = () => {
    const leaf = new X509Certificate(der[0]);
    const t = currentDate.getTime();
    if (!leaf.checkIssued(root) || !leaf.verify(root.publicKey)) throw new Error("manual: bad link");
    if (Date.parse(leaf.validFrom) > t || Date.parse(leaf.validTo) < t) throw new Error("manual: not valid now");
    if (!root.ca || leaf.ca) throw new Error("manual: CA flags");
    const uri = /URI:(spiffe:\/\/[^,]+)/.exec(leaf.subjectAltName || "");
    if (!uri || uri[1] !== ed.spiffeId) throw new Error("manual: SPIFFE ID");
    return uri[1];
  };
  expect(manual() === ed.spiffeId, "Ed25519 manual check");

  // @peculiar/x509 over WebCrypto (Ed25519 there), as for the P-256 chain.
  x509.cryptoProvider.set(webcrypto);
  const pRoot = new x509.X509Certificate(rootDer);
  const peculiar = async () => {
    const leaf = new x509.X509Certificate(der[0]);
    const built = await new x509.X509ChainBuilder({ certificates: [pRoot] }).build(leaf);
    if (built.length !== 2) throw new Error(`peculiar: chain of ${built.length}`);
    for (const c of built) if (c.notBefore > currentDate || c.notAfter < currentDate) throw new Error("peculiar: not valid now");
    return built;
  };
  await peculiar();

  await contest(group, chainContenders({ der, options, bundles: edBundles, web: edWeb, wasm: edWasm, criterionId: "x509/ed25519-chain-2", manual, peculiar }));
}

{
  const group = "Result cache hits (`createVerifier({ cache })`)";
  const token = jwt.tokens.ES256.token;
  const der = chain.chain.map((b) => new Uint8Array(Buffer.from(b, "base64")));
  cachedVerifier.verifyJwtSvid(token, jwtOptions);
  cachedVerifier.verifyX509Svid(der, { now });
  await contest(group, [
    ["JWT-SVID ES256, repeat", () => cachedVerifier.verifyJwtSvid(token, jwtOptions)],
    ["X.509-SVID chain, repeat", () => cachedVerifier.verifyX509Svid(der, { now })],
  ]);
  const s = cachedVerifier.cacheStats();
  expect(s.misses === 2 && s.hits > 0, `cache: ${JSON.stringify(s)}`);
}

// --- Deno and workerd ------------------------------------------------------------------------------

// The JWT-SVID and P-256 chain operations again in the other runtimes the package serves, each in
// one process of its own (bench/runtimes.mjs, bench/edge.mjs). workerd's performance.now() counts
// whole milliseconds: its samples are longer, so that a tick is ≤ 1 % of one.
const elsewhere = [];
{
  const input = { jwt, chain, timing: { samples: SAMPLES, sampleMs: SAMPLE_MS, warmupMs: WARMUP_MS } };
  process.stderr.write("  Deno (one process)\n");
  const deno = await inDeno(input);
  elsewhere.push({ ...deno, note: "the `deno` entry: node:crypto for the sync functions; P-256 and P-384 ECDSA by WebCrypto in the async ones" });
  process.stderr.write("  workerd (one process)\n");
  const workerd = await inWorkerd({ ...input, timing: { ...input.timing, sampleMs: QUICK ? 20 : 100 } });
  elsewhere.push({ ...workerd, note: "the `workerd` entry: pure wasm for the sync functions, WebCrypto (BoringSSL) for the async ones" });
  for (const { runtime, rows: theirs } of elsewhere) {
    for (const r of theirs) process.stderr.write(`  ${runtime.split(" ")[0]} · ${r.group} · ${r.name}: ${r.us.toFixed(1)} µs\n`);
  }
}

// --- native RustCrypto (cargo bench, criterion) -------------------------------------------------

function criterionMedianUs(id, base = criterionDir) {
  const file = join(base, ...id.split("/"), "new", "estimates.json");
  if (!existsSync(file)) return null;
  return JSON.parse(readFileSync(file, "utf8")).median.point_estimate / 1000;
}

// --- size and cold start --------------------------------------------------------------------------

const wasmPath = fileURLToPath(import.meta.resolve("svidkit/svidkit_bg.wasm"));
const wasm = readFileSync(wasmPath);
const sizes = {
  raw: wasm.length,
  gzip: gzipSync(wasm, { level: zlib.Z_BEST_COMPRESSION }).length,
  brotli: brotliCompressSync(wasm, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }).length,
};

/** Medians of each field over `runs` fresh processes per mode, the modes taking turns (as contest). */
function cold(modes, runs) {
  const results = Object.fromEntries(modes.map((mode) => [mode, []]));
  for (let i = 0; i < runs; i++) {
    for (const mode of modes) {
      const out = execFileSync(process.execPath, [join(HERE, "cold.mjs"), mode, dir], { cwd: HERE, encoding: "utf8" });
      results[mode].push(JSON.parse(out.trim().split("\n").pop()));
    }
  }
  return Object.fromEntries(
    modes.map((mode) => {
      const rs = results[mode];
      return [mode, Object.fromEntries(Object.keys(rs[0]).map((k) => [k, median(rs.map((r) => r[k]))]))];
    }),
  );
}
process.stderr.write("  cold starts (fresh processes)\n");
const RUNS = QUICK ? 3 : 9;
const {
  compile,
  "compile-sync": compileSync,
  first,
  "first-wasm": firstWasm,
} = cold(["compile", "compile-sync", "first", "first-wasm"], RUNS);

// --- the report ------------------------------------------------------------------------------------

const fmtUs = (us) => (us >= 100 ? us.toFixed(0) : us >= 10 ? us.toFixed(1) : us.toFixed(2));
const fmtOps = (us) => Math.round(1e6 / us).toLocaleString("en-US");
const kb = (n) => `${(n / 1000).toFixed(1)} kB`;

const lines = [];
/** The Markdown table of `rows` ({group, name, us, baseline?}), operations in first-seen order. */
function table(rows) {
  lines.push(`| operation | implementation | median µs/op | ops/s | vs baseline |`);
  lines.push(`|---|---|---:|---:|---:|`);
  for (const group of [...new Set(rows.map((r) => r.group))]) {
    const gr = rows.filter((r) => r.group === group);
    const base = gr.find((r) => r.baseline);
    for (const r of gr) {
      const ratio = base ? (r.baseline ? "baseline" : `${(base.us / r.us).toFixed(2)}×`) : "";
      lines.push(`| ${group} | ${r.name} | ${fmtUs(r.us)} | ${fmtOps(r.us)} | ${ratio} |`);
    }
  }
}
table(rows);
lines.push("");
lines.push(`"vs baseline" is the ops/s ratio to the row marked baseline in the same operation (> 1× = faster).`);
lines.push("");
for (const { runtime, rows: theirs, note } of elsewhere) {
  lines.push(`In ${runtime}, one process (${note}):`);
  lines.push("");
  table(theirs);
  lines.push("");
}
lines.push(`| pure wasm vs native RustCrypto | wasm µs/op (Node) | native µs/op (\`cargo bench\`) | wasm / native |`);
lines.push(`|---|---:|---:|---:|`);
for (const r of rows.filter((r) => r.wasm)) {
  const native = criterionMedianUs(r.wasm);
  lines.push(
    native === null
      ? `| ${r.group} | ${fmtUs(r.us)} | (run \`cargo bench --bench verify\`) | |`
      : `| ${r.group} | ${fmtUs(r.us)} | ${fmtUs(native)} | ${(r.us / native).toFixed(2)}× |`,
  );
}
// curve25519-dalek runs its serial 32-bit backend on wasm32 and picks AVX2 natively: the same
// chain natively on the 32-bit backend splits pure wasm's gap into the backend's share and wasm's.
const edWasm = rows.find((r) => r.wasm === "x509/ed25519-chain-2");
const edNative = criterionMedianUs("x509/ed25519-chain-2");
const edU32 = criterionMedianUs("x509/ed25519-chain-2", criterionU32Dir);
if (edWasm && edU32 !== null) {
  lines.push(`| ${edWasm.group}, native on curve25519-dalek's serial 32-bit backend (the one wasm32 runs) | ${fmtUs(edWasm.us)} | ${fmtUs(edU32)} | ${(edWasm.us / edU32).toFixed(2)}× |`);
  if (edNative !== null) {
    lines.push("");
    lines.push(
      `Natively, the Ed25519 chain on the 32-bit serial backend takes ${(edU32 / edNative).toFixed(2)}× as long as on the ` +
        `backend curve25519-dalek picks at run time (AVX2 here): no scalar wasm build of it can come closer to native than that.`,
    );
  }
}
lines.push("");
lines.push(`| size and cold start | |`);
lines.push(`|---|---:|`);
lines.push(`| \`svidkit_bg.wasm\` raw | ${kb(sizes.raw)} (${sizes.raw.toLocaleString("en-US")} B) |`);
lines.push(`| gzip -9 | ${kb(sizes.gzip)} (${sizes.gzip.toLocaleString("en-US")} B) |`);
lines.push(`| brotli -q 11 | ${kb(sizes.brotli)} (${sizes.brotli.toLocaleString("en-US")} B) |`);
lines.push(`| \`WebAssembly.compile\` + instantiate (median of ${RUNS} fresh processes) | ${compile.totalMs.toFixed(2)} ms (${compile.compileMs.toFixed(2)} + ${compile.instantiateMs.toFixed(2)}) |`);
lines.push(`| \`new WebAssembly.Module\` + instantiate, as the \`node\` entry loads it (median of ${RUNS}) | ${compileSync.totalMs.toFixed(2)} ms (${compileSync.compileMs.toFixed(2)} + ${compileSync.instantiateMs.toFixed(2)}) |`);
lines.push(`| \`import "svidkit"\` in a fresh Node process (read + compile + instantiate + JS) | ${first.importMs.toFixed(2)} ms |`);
lines.push(`| then \`BundleSet.from\` | ${first.bundleMs.toFixed(2)} ms |`);
lines.push(`| then the first ES256 \`verifyJwtSvid\` (node:crypto) | ${first.firstVerifyMs.toFixed(2)} ms |`);
lines.push(`| then the first ES256 verify in pure wasm (\`crypto: "wasm"\`) | ${firstWasm.firstVerifyMs.toFixed(2)} ms |`);
lines.push("");

// The targets of the performance issue for this machine kind, next to this run's figures: for the
// reader, never a pass/fail of the bench (a ratio at its edge moves across it from run to run).
const us = (group, name) => rows.find((r) => r.group === group && r.name.startsWith(name))?.us;
const JWT = (alg) => `JWT-SVID ${alg}`;
const P256_CHAIN = "X.509-SVID, 3-certificate P-256 chain";
const ED_CHAIN = "X.509-SVID, 2-certificate Ed25519 chain";
const HITS = "Result cache hits (`createVerifier({ cache })`)";
const ratio = (a, b) => (a === undefined || b === undefined || b === null ? undefined : a / b);
const targets = [
  ["JWT-SVID ES256 in Node vs jose (ops/s)", ratio(us(JWT("ES256"), "jose `jwtVerify`, pre"), us(JWT("ES256"), "svidkit `verifyJwtSvid`")), "≥ 1.5×", (v) => v >= 1.5, "×"],
  ["JWT-SVID RS256 in Node vs jose (ops/s)", ratio(us(JWT("RS256"), "jose `jwtVerify`, pre"), us(JWT("RS256"), "svidkit `verifyJwtSvid`")), "≥ 1.5×", (v) => v >= 1.5, "×"],
  ["P-256 chain vs Node `X509Certificate` (ops/s)", ratio(us(P256_CHAIN, "Node `X509Certificate`"), us(P256_CHAIN, "svidkit `verifyX509Svid`")), "≥ 1×", (v) => v >= 1, "×"],
  ["P-256 chain vs @peculiar/x509 (ops/s)", ratio(us(P256_CHAIN, "@peculiar"), us(P256_CHAIN, "svidkit `verifyX509Svid`")), "≥ 10×", (v) => v >= 10, "×"],
  ["pure wasm / native, JWT-SVID ES256 (P-256)", ratio(us(JWT("ES256"), "svidkit pure wasm"), criterionMedianUs("jwt/ES256")), "≤ 2.5×", (v) => v <= 2.5, "×"],
  ["pure wasm / native, P-256 chain", ratio(us(P256_CHAIN, "svidkit pure wasm"), criterionMedianUs("x509/p256-chain-3")), "≤ 2.5×", (v) => v <= 2.5, "×"],
  ["pure wasm / native, Ed25519 chain", ratio(us(ED_CHAIN, "svidkit pure wasm"), criterionMedianUs("x509/ed25519-chain-2")), "≤ 2.5×", (v) => v <= 2.5, "×"],
  ["cache hit, token (µs)", us(HITS, "JWT-SVID ES256, repeat"), "≤ 2 µs", (v) => v <= 2, " µs"],
  ["cache hit, chain (µs)", us(HITS, "X.509-SVID chain, repeat"), "≤ 2 µs", (v) => v <= 2, " µs"],
  ["`svidkit_bg.wasm` gzip -9 (kB)", sizes.gzip / 1000, "≤ 150 kB", (v) => v <= 150, " kB"],
  ["`WebAssembly.compile` + instantiate (ms)", compile.totalMs, "≤ 3 ms", (v) => v <= 3, " ms"],
  ["first ES256 verify in a fresh process (ms)", first.firstVerifyMs, "≤ 10 ms", (v) => v <= 10, " ms"],
];
lines.push(`| target (this machine kind) | this run | target | |`);
lines.push(`|---|---:|---:|---|`);
for (const [what, value, target, met, unit] of targets) {
  const shown = value === undefined || Number.isNaN(value) ? "(not measured)" : `${value.toFixed(2)}${unit}`;
  const verdict = value === undefined || Number.isNaN(value) ? "" : met(value) ? "met" : "not met";
  lines.push(`| ${what} | ${shown} | ${target} | ${verdict} |`);
}
lines.push("");
lines.push(`Targets are read off one run: a figure near its target can fall on either side from run to run.`);
lines.push("");
const cpu = cpus()[0];
lines.push(
  `Machine: ${cpus().length} CPUs (\`nproc\`), ${cpu ? cpu.model.trim() : "unknown CPU"}; Node ${process.version}; ` +
    `load average at the end ${loadavg().map((l) => l.toFixed(2)).join(" ")}.`,
);
console.log(lines.join("\n"));
