// `svidkit/gate` in Node, without HTTP: createGate / withGate / refusalResponse on Request objects,
// with fixtures made fresh by fixtures.mjs. Covers the configuration checks, every credential
// source and its parsing edge cases, the decisions and their responses, the audit records, and
// that no request — however malformed — makes the gate throw.
// Prints failures and "gate (node): N passed, M failed"; exits 1 on any failure.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { BundleSet } from "svidkit";
import { createGate, withGate, refusalResponse, GateConfigError, SOURCES, DEFAULT_SOURCES, GATE_CODES } from "svidkit/gate";
import * as web from "svidkit/web";
import { JS_DIR } from "../lib/load-vectors.mjs";
import { makeFixtures, sfBinary, sfChain, xfccElement, urlEncodePem } from "./fixtures.mjs";
import { assert, suite } from "./harness.mjs";

const t = suite("gate (node)");
const f = makeFixtures();
const ALL = ["bearer", "client-cert", "xfcc", "cf-client-cert"];
const ROUTES = [
  { path: "/traffic/*", allow: ["spiffe://city.gov/traffic-agent/*"] },
  { path: "/energy/*", allow: ["spiffe://city.gov/energy-agent/*"] },
  { path: "/status", methods: ["get"], allow: ["spiffe://city.gov/*"] },
];
const config = (extra = {}) => ({ bundles: f.bundles, audience: f.audience, routes: ROUTES, sources: ALL, ...extra });
const req = (path, headers = {}, init = {}) => new Request(`http://gate.test${path}`, { headers, ...init });
const bearer = (token) => ({ authorization: `Bearer ${token}` });

const gate = createGate(config());

async function expectDecision(g, request, want) {
  const d = await g(request);
  for (const [k, v] of Object.entries(want)) assert.deepEqual(d[k], v, `decision.${k} (decision: ${JSON.stringify({ ...d, identity: undefined })})`);
  return d;
}
const allow = (spiffeId, source) => ({ allow: true, status: 200, spiffeId, source });
const deny = (status, code, extra = {}) => ({ allow: false, status, code, ...extra });

// ---- configuration ----------------------------------------------------------------------------
await t.case("exports", () => {
  assert.deepEqual([...SOURCES], ALL);
  assert.deepEqual([...DEFAULT_SOURCES], ["bearer"]);
  assert.deepEqual([...GATE_CODES], ["no-credential", "internal-error"]);
});

await t.case("config errors are GateConfigError naming the member", () => {
  const bad = [
    [{ ...config(), audience: undefined }, /audience: required/],
    [{ ...config(), polcy: 1 }, /config\.polcy: unknown option/],
    [{ ...config(), routes: undefined }, /routes: required/],
    [{ ...config(), routes: [{ path: "/a", allow: ["spiffe://City.gov/*"] }] }, /routes\[0\]\.allow\[0\]/],
    [{ ...config(), routes: [{ path: "/a/*/b", allow: [] }] }, /routes\[0\]\.path/],
    [{ ...config(), routes: [{ path: "a", allow: [] }] }, /routes\[0\]\.path/],
    [{ ...config(), routes: [{ path: "/a" }] }, /routes\[0\]\.allow: required/],
    [{ ...config(), routes: [{ path: "/a", allow: [], method: ["GET"] }] }, /routes\[0\]\.method: unknown member/],
    [{ ...config(), routes: [{ path: "/a", allow: [], methods: ["G ET"] }] }, /methods\[0\]/],
    [{ ...config(), sources: ["bearer", "mtls"] }, /sources\[1\]: unknown source/],
    [{ ...config(), sources: ["bearer", "bearer"] }, /listed twice/],
    [{ ...config(), sources: [] }, /sources: must not be empty/],
    [{ ...config(), bundles: {} }, /bundles: holds no trust domain/],
    [{ ...config(), bundles: { "city.gov": "{" } }, /bundles: malformed/],
    [{ ...config(), bundles: "x" }, /bundles: expected a BundleSet/],
    [{ ...config(), deny: ["*"] }, /deny\[0\]/],
    [{ ...config(), denySerials: ["abc"] }, /denySerials\[0\]/],
    [{ ...config(), audit: "console" }, /audit: expected a function/],
    [{ ...config(), now: -1 }, /now: expected/],
    [{ ...config(), skew: 1.5 }, /skew/],
    [{ ...config(), realm: 'a"b' }, /realm/],
    [{ ...config(), audience: [] }, /audience: must not be empty/],
  ];
  for (const [c, re] of bad) {
    assert.throws(() => createGate(c), (e) => e instanceof GateConfigError && re.test(e.message), `expected ${re}`);
  }
  // Certificate-only gates need no audience.
  createGate({ ...config(), audience: undefined, sources: ["client-cert"] });
  // A BundleSet, a Map and documents as text are all accepted.
  createGate(config({ bundles: BundleSet.from(f.bundles) }));
  createGate(config({ bundles: new Map([["city.gov", JSON.stringify(f.bundle)]]) }));
});

await t.case("a BundleSet from another copy of the package (svidkit/web) is refused with an explanation", () => {
  web.initSync({ module: readFileSync(join(JS_DIR, "dist", "svidkit_bg.wasm")) });
  const other = web.BundleSet.from(f.bundles);
  assert.throws(() => createGate(config({ bundles: other })), (e) => e instanceof GateConfigError && /another copy of svidkit/.test(e.message));
});

// ---- Bearer -----------------------------------------------------------------------------------
await t.case("bearer: a valid JWT-SVID on its route is allowed, with the identity", async () => {
  const d = await expectDecision(gate, req("/traffic/lights", bearer(f.tokens.traffic)), { ...allow("spiffe://city.gov/traffic-agent/north-1", "bearer"), route: "/traffic/*" });
  assert.equal(d.identity.kind, "jwt-svid");
  assert.equal(d.identity.source, "bearer");
  assert.equal(d.identity.jti, "t-1");
  assert.deepEqual(d.identity.audience, [f.audience]);
  assert.equal(d.code, undefined);
});

await t.case("bearer: the scheme is case-insensitive; exactly one space is removed, nothing trimmed", async () => {
  await expectDecision(gate, req("/traffic/a", { authorization: `bearer ${f.tokens.traffic}` }), allow("spiffe://city.gov/traffic-agent/north-1", "bearer"));
  await expectDecision(gate, req("/traffic/a", { authorization: `Bearer  ${f.tokens.traffic}` }), deny(401, "malformed", { source: "bearer" }));
  await expectDecision(gate, req("/traffic/a", { authorization: `Bearer ${f.tokens.traffic}.` }), deny(401, "malformed", { source: "bearer" }));
  await expectDecision(gate, req("/traffic/a", { authorization: "Bearer" }), deny(401, "malformed", { source: "bearer" }));
  await expectDecision(gate, req("/traffic/a", { authorization: "Bearerx" }), deny(401, "no-credential"));
  // Two Authorization lines are joined with ", ": never a valid token.
  const h = new Headers();
  h.append("authorization", `Bearer ${f.tokens.traffic}`);
  h.append("authorization", `Bearer ${f.tokens.energy}`);
  await expectDecision(gate, new Request("http://gate.test/traffic/a", { headers: h }), deny(401, "malformed", { source: "bearer" }));
});

await t.case("bearer: tampered, expired, wrong audience, unknown trust domain → 401 with the code and an invalid_token challenge", async () => {
  for (const [token, code] of [
    [f.tokens.tampered, "bad-signature"],
    [f.tokens.expired, "expired"],
    [f.tokens.wrongAudience, "audience-mismatch"],
    [f.tokens.unknownDomain, "no-bundle"],
    ["not.a.jwt", "malformed"],
  ]) {
    const d = await expectDecision(gate, req("/traffic/a", bearer(token)), deny(401, code, { source: "bearer" }));
    assert.match(d.challenge, new RegExp(`^Bearer realm="svidkit", error="invalid_token", error_description="${code}: [^"]*"$`));
    assert.equal(d.spiffeId, undefined);
  }
});

await t.case("routes: a valid SVID on a route it may not use → 403 naming it; no route → 403; methods; prefix semantics", async () => {
  let d = await expectDecision(gate, req("/energy/meter", bearer(f.tokens.traffic)), deny(403, "unauthorized", { spiffeId: "spiffe://city.gov/traffic-agent/north-1", route: "/energy/*" }));
  assert.match(d.challenge, /^Bearer realm="svidkit", error="insufficient_scope"/);
  d = await expectDecision(gate, req("/parks/a", bearer(f.tokens.traffic)), deny(403, "unauthorized", { spiffeId: "spiffe://city.gov/traffic-agent/north-1", route: null }));
  assert.match(d.reason, /no route rule matches GET \/parks\/a/);
  await expectDecision(gate, req("/status", bearer(f.tokens.energy)), { ...allow("spiffe://city.gov/energy-agent/grid-7", "bearer"), route: "/status" });
  await expectDecision(gate, req("/status", bearer(f.tokens.energy), { method: "POST" }), deny(403, "unauthorized", { route: null }));
  await expectDecision(gate, req("/status/x", bearer(f.tokens.energy)), deny(403, "unauthorized", { route: null }));
  // "/energy/*" covers "/energy/…", not "/energy" itself.
  await expectDecision(gate, req("/energy", bearer(f.tokens.energy)), deny(403, "unauthorized", { route: null }));
  await expectDecision(gate, req("/energy/", bearer(f.tokens.energy)), allow("spiffe://city.gov/energy-agent/grid-7", "bearer"));
  // The path is matched as the URL parser normalised it (dot segments removed), as the handler sees it.
  await expectDecision(gate, req("/traffic/../energy/x", bearer(f.tokens.traffic)), deny(403, "unauthorized", { route: "/energy/*" }));
  // No route at all: everything verified is refused.
  const none = createGate(config({ routes: [] }));
  await expectDecision(none, req("/traffic/a", bearer(f.tokens.traffic)), deny(403, "unauthorized"));
  // First match wins.
  const first = createGate(config({ routes: [{ path: "*", allow: ["spiffe://city.gov/energy-agent/*"] }, ...ROUTES] }));
  await expectDecision(first, req("/traffic/a", bearer(f.tokens.traffic)), deny(403, "unauthorized", { route: "*" }));
});

await t.case("deny lists: revoked → 403 with the SPIFFE ID", async () => {
  const g = createGate(config({ deny: ["spiffe://city.gov/traffic-agent/north-1"], denyJti: [], denySerials: [] }));
  await expectDecision(g, req("/traffic/a", bearer(f.tokens.traffic)), deny(403, "revoked", { spiffeId: "spiffe://city.gov/traffic-agent/north-1" }));
  const j = createGate(config({ denyJti: ["t-1"] }));
  await expectDecision(j, req("/traffic/a", bearer(f.tokens.traffic)), deny(403, "revoked"));
  const serial = (await gate(req("/energy/a", { "client-cert": sfBinary(f.b64.energy) }))).identity.chain[0].serial;
  const s = createGate(config({ denySerials: [serial.toUpperCase()] }));
  await expectDecision(s, req("/energy/a", { "client-cert": sfBinary(f.b64.energy) }), deny(403, "revoked", { spiffeId: "spiffe://city.gov/energy-agent/grid-7" }));
});

// ---- RFC 9440 ---------------------------------------------------------------------------------
await t.case("client-cert: leaf + chain, leaf alone, and the structured-field syntax", async () => {
  await expectDecision(gate, req("/traffic/a", { "client-cert": sfBinary(f.b64.traffic), "client-cert-chain": sfChain([f.b64.inter]) }), allow("spiffe://city.gov/traffic-agent/north-1", "client-cert"));
  await expectDecision(gate, req("/traffic/a", { "client-cert": sfBinary(f.b64.traffic), "client-cert-chain": `\t${sfBinary(f.b64.inter)} ,  ${sfBinary(f.b64.root)}` }), allow("spiffe://city.gov/traffic-agent/north-1", "client-cert"));
  await expectDecision(gate, req("/energy/a", { "client-cert": sfBinary(f.b64.energy), "client-cert-chain": "" }), allow("spiffe://city.gov/energy-agent/grid-7", "client-cert"));
  const d = await expectDecision(gate, req("/energy/a", { "client-cert": sfBinary(f.b64.energy) }), { allow: true });
  assert.equal(d.identity.kind, "x509-svid");
  assert.equal(d.identity.chain.length, 2);
  // Without its intermediate the traffic leaf has no path.
  await expectDecision(gate, req("/traffic/a", { "client-cert": sfBinary(f.b64.traffic) }), deny(401, "untrusted", { source: "client-cert" }));
  await expectDecision(gate, req("/energy/a", { "client-cert": sfBinary(f.b64.expired) }), deny(401, "expired"));
  await expectDecision(gate, req("/traffic/a", { "client-cert": sfBinary(f.b64.riverside) }), deny(401, "no-bundle"));
  for (const [headers, why] of [
    [{ "client-cert": f.b64.energy }, "no colons"],
    [{ "client-cert": `${sfBinary(f.b64.energy)};a=1` }, "parameters"],
    [{ "client-cert": `${sfBinary(f.b64.energy)}, ${sfBinary(f.b64.energy)}` }, "a list"],
    f.b64.energy.endsWith("=")
      ? [{ "client-cert": sfBinary(f.b64.energy.replace(/=+$/, "")) }, "unpadded base64"]
      : [{ "client-cert": sfBinary(`${f.b64.energy}AA==`) }, "trailing bytes"],
    [{ "client-cert": sfBinary(f.b64.energy.replaceAll("/", "_").replaceAll("+", "-")) }, "url-safe alphabet"],
    [{ "client-cert": ":: " }, "empty"],
    [{ "client-cert-chain": sfChain([f.b64.inter]) }, "a chain without the leaf"],
    [{ "client-cert": sfBinary(f.b64.traffic), "client-cert-chain": `${sfBinary(f.b64.inter)},` }, "an empty list member"],
    [{ "client-cert": sfBinary(f.b64.traffic), "client-cert-chain": sfChain(Array(16).fill(f.b64.inter)) }, "17 certificates"],
  ]) {
    const d2 = await gate(req("/energy/a", headers));
    assert.equal(d2.status, 401, why);
    assert.equal(d2.code, "malformed", `${why}: ${d2.reason}`);
  }
});

// ---- XFCC -------------------------------------------------------------------------------------
await t.case("xfcc: Cert + Chain, Chain alone, Cert alone; the last element is the one used", async () => {
  const traffic = xfccElement({ certPem: f.pem.traffic, chainPem: f.pem.traffic + f.pem.inter, uri: "spiffe://city.gov/traffic-agent/north-1" });
  await expectDecision(gate, req("/traffic/a", { "x-forwarded-client-cert": traffic }), allow("spiffe://city.gov/traffic-agent/north-1", "xfcc"));
  await expectDecision(gate, req("/traffic/a", { "x-forwarded-client-cert": xfccElement({ chainPem: f.pem.traffic + f.pem.inter }) }), allow("spiffe://city.gov/traffic-agent/north-1", "xfcc"));
  await expectDecision(gate, req("/energy/a", { "x-forwarded-client-cert": xfccElement({ certPem: f.pem.energy }) }), allow("spiffe://city.gov/energy-agent/grid-7", "xfcc"));
  // Keys are case-insensitive; elements from earlier hops (or the client) are ignored.
  const lower = `by=spiffe://x;cert="${urlEncodePem(f.pem.energy)}"`;
  await expectDecision(gate, req("/energy/a", { "x-forwarded-client-cert": lower }), allow("spiffe://city.gov/energy-agent/grid-7", "xfcc"));
  const injected = xfccElement({ certPem: f.pem.energy });
  await expectDecision(gate, req("/traffic/a", { "x-forwarded-client-cert": `${injected},${traffic}` }), allow("spiffe://city.gov/traffic-agent/north-1", "xfcc"));
  await expectDecision(gate, req("/traffic/a", { "x-forwarded-client-cert": `${traffic}, ${xfccElement({ certPem: f.pem.riverside })}` }), deny(401, "no-bundle", { source: "xfcc" }));
  // Two header lines are joined with ", ": the last line's element decides.
  const h = new Headers();
  h.append("x-forwarded-client-cert", injected);
  h.append("x-forwarded-client-cert", traffic);
  await expectDecision(gate, new Request("http://gate.test/traffic/a", { headers: h }), allow("spiffe://city.gov/traffic-agent/north-1", "xfcc"));
  // Quoted values may hold , ; = and \" .
  await expectDecision(gate, req("/energy/a", { "x-forwarded-client-cert": `Subject="CN=a,O=\\"b\\";x=y";Cert="${urlEncodePem(f.pem.energy)}"` }), allow("spiffe://city.gov/energy-agent/grid-7", "xfcc"));
});

await t.case("xfcc: malformed elements → 401 malformed", async () => {
  const cert = urlEncodePem(f.pem.energy);
  for (const [value, why] of [
    [`By=spiffe://city.gov/x;URI=spiffe://city.gov/energy-agent/grid-7`, "no Cert or Chain"],
    [`Cert="${cert}";Cert="${cert}"`, "two Cert keys"],
    [`Cert="${cert}`, "unterminated quote"],
    [`Cert="${cert}"x`, "text after the quote"],
    [`Cert=%ZZ`, "bad percent-encoding"],
    [`Cert`, "a key without ="],
    [`Cert="${cert}";Chain="${urlEncodePem(f.pem.traffic + f.pem.inter)}"`, "Chain not starting with Cert"],
    [`Cert="${urlEncodePem(f.pem.energy.replace("MII", "MII\u0000"))}"`, "PEM with a NUL"],
    [`Cert="${urlEncodePem("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")}"`, "not a certificate"],
    [`${`By=a;`.repeat(3)}Cert=${cert},`, "a trailing comma"],
    ["", "empty"],
  ]) {
    const d = await gate(req("/energy/a", { "x-forwarded-client-cert": value }));
    assert.equal(d.status, 401, why);
    assert.equal(d.code, "malformed", `${why}: ${d.reason}`);
    assert.equal(d.source, "xfcc", why);
  }
});

// ---- Cloudflare -------------------------------------------------------------------------------
const withCf = (request, cf) => Object.defineProperty(request, "cf", { value: cf });

await t.case("cf-client-cert: the leaf as base64 DER; cross-checked with request.cf.tlsClientAuth when present", async () => {
  const h = { "cf-client-cert-der-base64": f.b64.energy };
  await expectDecision(gate, req("/energy/a", h), allow("spiffe://city.gov/energy-agent/grid-7", "cf-client-cert"));
  await expectDecision(gate, req("/traffic/a", { "cf-client-cert-der-base64": f.b64.traffic }), deny(401, "untrusted", { source: "cf-client-cert" }));
  await expectDecision(gate, req("/energy/a", { "cf-client-cert-der-base64": ` ${f.b64.energy}x` }), deny(401, "malformed"));
  const tls = (fp, presented = "1") => ({ tlsClientAuth: { certPresented: presented, certVerified: "SUCCESS", certFingerprintSHA256: fp } });
  await expectDecision(gate, withCf(req("/energy/a", h), tls(f.sha256.energy)), allow("spiffe://city.gov/energy-agent/grid-7", "cf-client-cert"));
  await expectDecision(gate, withCf(req("/energy/a", h), tls(f.sha256.energy.toUpperCase())), { allow: true });
  await expectDecision(gate, withCf(req("/energy/a", h), tls(f.sha256.traffic)), deny(401, "untrusted", { source: "cf-client-cert" }));
  await expectDecision(gate, withCf(req("/energy/a", h), tls("", "0")), deny(401, "untrusted"));
  await expectDecision(gate, withCf(req("/energy/a", { "cf-client-cert-der-base64": `${f.b64.energy}==` }), tls(f.sha256.energy)), deny(401, "malformed"));
  // request.cf without tlsClientAuth (not an mTLS zone): the header alone decides.
  await expectDecision(gate, withCf(req("/energy/a", h), { colo: "AMS" }), { allow: true });
});

// ---- Sources ----------------------------------------------------------------------------------
await t.case("sources: the first present source decides alone, in the configured order", async () => {
  const both = { ...bearer(f.tokens.expired), "client-cert": sfBinary(f.b64.energy) };
  await expectDecision(gate, req("/energy/a", both), deny(401, "expired", { source: "bearer" }));
  const certFirst = createGate(config({ sources: ["client-cert", "bearer"] }));
  await expectDecision(certFirst, req("/energy/a", both), allow("spiffe://city.gov/energy-agent/grid-7", "client-cert"));
  // A non-Bearer Authorization is no credential of the bearer source: the next source is tried.
  await expectDecision(gate, req("/energy/a", { authorization: "Basic YTpi", "client-cert": sfBinary(f.b64.energy) }), allow("spiffe://city.gov/energy-agent/grid-7", "client-cert"));
});

await t.case("sources: the default is bearer only; headers of disabled sources are named in the reason", async () => {
  const g = createGate({ bundles: f.bundles, audience: f.audience, routes: ROUTES });
  const d = await expectDecision(g, req("/energy/a", { "client-cert": sfBinary(f.b64.energy), "x-forwarded-client-cert": "Cert=x" }), deny(401, "no-credential"));
  assert.match(d.reason, /ignored Client-Cert, X-Forwarded-Client-Cert \(source not enabled\)/);
  assert.equal(d.challenge, 'Bearer realm="svidkit"');
  await expectDecision(g, req("/energy/a", bearer(f.tokens.energy)), { allow: true });
});

await t.case("no credential → 401 no-credential with a bare Bearer challenge; certificate-only gates use a ClientCert challenge", async () => {
  const d = await expectDecision(gate, req("/traffic/a"), deny(401, "no-credential"));
  assert.equal(d.challenge, 'Bearer realm="svidkit"');
  const certs = createGate({ bundles: f.bundles, routes: ROUTES, sources: ["client-cert"], realm: "city.gov" });
  const c = await expectDecision(certs, req("/traffic/a"), deny(401, "no-credential"));
  assert.equal(c.challenge, 'ClientCert realm="city.gov"');
  const forbidden = await certs(req("/traffic/a", { "client-cert": sfBinary(f.b64.energy) }));
  assert.equal(forbidden.status, 403);
  assert.equal(forbidden.challenge, undefined);
});

// ---- time -------------------------------------------------------------------------------------
await t.case("now and skew: a fixed clock, a function, a Date", async () => {
  const later = createGate(config({ now: f.now + 7200 }));
  await expectDecision(later, req("/traffic/a", bearer(f.tokens.traffic)), deny(401, "expired"));
  const fn = createGate(config({ now: () => new Date((f.now - 5000) * 1000), skew: 0 }));
  await expectDecision(fn, req("/energy/a", { "client-cert": sfBinary(f.b64.energy) }), deny(401, "not-yet-valid"));
  const skewed = createGate(config({ now: f.now + 7200, skew: 7200 }));
  await expectDecision(skewed, req("/traffic/a", bearer(f.tokens.traffic)), { allow: true });
});

// ---- audit ------------------------------------------------------------------------------------
await t.case("audit: one JSON-serialisable record per decision, never the token or certificate or query", async () => {
  const records = [];
  const g = createGate(config({ audit: (r) => records.push(JSON.parse(JSON.stringify(r))) }));
  const requests = [
    req("/traffic/a?token=secret-query", bearer(f.tokens.traffic)),
    req("/energy/a", bearer(f.tokens.traffic)),
    req("/energy/a", bearer(f.tokens.tampered)),
    req("/energy/a", { "client-cert": sfBinary(f.b64.energy) }),
    req("/energy/a", { "x-forwarded-client-cert": "garbage" }),
    req("/energy/a"),
  ];
  for (const r of requests) await g(r);
  assert.equal(records.length, requests.length);
  assert.deepEqual(Object.keys(records[0]), ["time", "method", "path", "route", "spiffeId", "source", "verdict", "status", "code"]);
  assert.deepEqual(records.map((r) => [r.verdict, r.status, r.code, r.source]), [
    ["allow", 200, null, "bearer"],
    ["deny", 403, "unauthorized", "bearer"],
    ["deny", 401, "bad-signature", "bearer"],
    ["allow", 200, null, "client-cert"],
    ["deny", 401, "malformed", "xfcc"],
    ["deny", 401, "no-credential", null],
  ]);
  assert.equal(records[0].path, "/traffic/a");
  assert.equal(records[0].spiffeId, "spiffe://city.gov/traffic-agent/north-1");
  assert.equal(records[1].spiffeId, "spiffe://city.gov/traffic-agent/north-1");
  assert.equal(records[2].spiffeId, null);
  assert.equal(records[0].time, new Date(Math.floor(Date.parse(records[0].time) / 1000) * 1000).toISOString());
  const text = JSON.stringify(records);
  for (const secret of [...f.tokens.traffic.split("."), ...f.tokens.tampered.split("."), f.b64.energy.slice(0, 40), "secret-query"]) {
    assert.ok(!text.includes(secret), `the audit log holds ${secret.slice(0, 20)}…`);
  }
});

await t.case("audit: a throwing or rejecting audit function does not change the decision", async () => {
  const errors = [];
  const original = console.error;
  console.error = (m) => errors.push(String(m));
  try {
    const g1 = createGate(config({ audit: () => { throw new Error("disk full"); } }));
    await expectDecision(g1, req("/traffic/a", bearer(f.tokens.traffic)), { allow: true });
    const g2 = createGate(config({ audit: async () => { throw new Error("queue full"); } }));
    await expectDecision(g2, req("/traffic/a", bearer(f.tokens.traffic)), { allow: true });
    await new Promise((r) => setTimeout(r, 10));
  } finally {
    console.error = original;
  }
  assert.ok(errors.some((e) => e.includes("disk full")) && errors.some((e) => e.includes("queue full")), errors.join("\n"));
});

// ---- robustness -------------------------------------------------------------------------------
await t.case("garbage in every credential header: always a 401 decision, never a throw; the gate keeps serving", async () => {
  const samples = ["", ":", "::", "=", '"', ",", ";", "%", "%%%", "Bearer", ":::::", "Cert=", 'Cert="', "Chain=;Cert=", "\u00ff\u00fe", "a".repeat(70000), `:${"A".repeat(200000)}:`];
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const alphabet = ' :;,="\\%+/=ABCxyz019-_.\t';
  for (let i = 0; i < 200; i++) samples.push(Array.from({ length: 1 + Math.floor(rand() * 60) }, () => alphabet[Math.floor(rand() * alphabet.length)]).join(""));
  const headers = ["authorization", "client-cert", "client-cert-chain", "x-forwarded-client-cert", "cf-client-cert-der-base64"];
  for (const value of samples) {
    for (const name of headers) {
      let request;
      try {
        request = req("/traffic/a", { [name]: name === "authorization" ? `Bearer ${value}` : value });
      } catch {
        continue; // a value the Headers class itself refuses never reaches a gate
      }
      const d = await gate(request);
      assert.equal(d.allow, false);
      assert.ok(d.status === 401, `${name}: ${JSON.stringify(value.slice(0, 40))} → ${d.status} ${d.code} ${d.reason}`);
    }
  }
  await expectDecision(gate, req("/traffic/a", bearer(f.tokens.traffic)), { allow: true });
});

await t.case("a non-Request argument is a 500 internal-error decision, not a throw", async () => {
  const original = console.error;
  console.error = () => {};
  try {
    for (const bad of [null, undefined, 42, {}, { headers: null, url: "http://x/" }]) {
      const d = await gate(bad);
      assert.equal(d.allow, false);
      assert.ok(d.status === 500 || d.status === 401, `${JSON.stringify(bad)} → ${d.status}`);
    }
  } finally {
    console.error = original;
  }
});

// ---- responses and withGate -------------------------------------------------------------------
await t.case("refusalResponse: status, WWW-Authenticate, JSON body with the code and SPIFFE ID", async () => {
  const r401 = refusalResponse(await gate(req("/traffic/a", bearer(f.tokens.expired))));
  assert.equal(r401.status, 401);
  assert.match(r401.headers.get("www-authenticate"), /^Bearer realm="svidkit", error="invalid_token"/);
  assert.equal(r401.headers.get("content-type"), "application/json; charset=utf-8");
  assert.deepEqual(Object.keys(await r401.clone().json()), ["status", "code", "spiffeId", "reason"]);
  assert.equal((await r401.json()).code, "expired");
  const r403 = refusalResponse(await gate(req("/energy/a", bearer(f.tokens.traffic))));
  assert.equal(r403.status, 403);
  const body = await r403.json();
  assert.equal(body.code, "unauthorized");
  assert.equal(body.spiffeId, "spiffe://city.gov/traffic-agent/north-1");
  // error_description never carries a quote or backslash.
  const quoted = await gate(req("/traffic/a", bearer('a"b\\c.d.e')));
  assert.ok(!/error_description="[^"]*["\\][^"]*"$/.test(quoted.challenge.replace(/"$/, "")), quoted.challenge);
});

await t.case("withGate: the handler gets (request, env, ctx, identity); config from env is built once per env", async () => {
  let built = 0;
  const seen = [];
  const fetch = withGate(
    (env) => {
      built++;
      return { bundles: JSON.parse(env.BUNDLES), audience: f.audience, routes: ROUTES, sources: ALL };
    },
    (request, env, ctx, identity) => {
      seen.push({ env, ctx, identity });
      return new Response(`hello ${identity.spiffeId} via ${identity.source}`);
    },
  );
  const env = { BUNDLES: JSON.stringify(f.bundles) };
  const ctx = { waitUntil() {} };
  const ok = await fetch(req("/traffic/a", bearer(f.tokens.traffic)), env, ctx);
  assert.equal(ok.status, 200);
  assert.equal(await ok.text(), "hello spiffe://city.gov/traffic-agent/north-1 via bearer");
  assert.equal(seen[0].env, env);
  assert.equal(seen[0].ctx, ctx);
  assert.equal(seen[0].identity.kind, "jwt-svid");
  const no = await fetch(req("/energy/a", bearer(f.tokens.traffic)), env, ctx);
  assert.equal(no.status, 403);
  assert.equal((await no.json()).spiffeId, "spiffe://city.gov/traffic-agent/north-1");
  const unauth = await fetch(req("/energy/a"), env, ctx);
  assert.equal(unauth.status, 401);
  assert.equal(unauth.headers.get("www-authenticate"), 'Bearer realm="svidkit"');
  await fetch(req("/energy/a", { "client-cert": sfBinary(f.b64.energy) }), env, ctx);
  assert.equal(built, 1);
  assert.equal(seen.length, 2);
  // A static config works too.
  const fixed = withGate(config(), (r, e, c, id) => new Response(id.spiffeId));
  assert.equal(await (await fixed(req("/energy/a", { "client-cert": sfBinary(f.b64.energy) }))).text(), "spiffe://city.gov/energy-agent/grid-7");
  assert.throws(() => withGate(config(), "handler"), GateConfigError);
  assert.throws(() => withGate({ routes: [] }, () => {}), GateConfigError);
});

await t.case("withGate: a config function that fails gives 500 and is retried by the next request", async () => {
  let calls = 0;
  const original = console.error;
  console.error = () => {};
  try {
    const fetch = withGate(
      (env) => {
        calls++;
        return { bundles: JSON.parse(env.BUNDLES), audience: f.audience, routes: ROUTES };
      },
      () => new Response("in"),
    );
    const env = { BUNDLES: "not json" };
    const r = await fetch(req("/traffic/a", bearer(f.tokens.traffic)), env, {});
    assert.equal(r.status, 500);
    assert.equal((await r.json()).code, "internal-error");
    env.BUNDLES = JSON.stringify(f.bundles);
    const r2 = await fetch(req("/traffic/a", bearer(f.tokens.traffic)), env, {});
    assert.equal(r2.status, 200);
    assert.equal(calls, 2);
  } finally {
    console.error = original;
  }
});

await t.case("bundles passed as a BundleSet can be rotated in place", async () => {
  const set = new BundleSet();
  const g = createGate(config({ bundles: set }));
  await expectDecision(g, req("/traffic/a", bearer(f.tokens.traffic)), deny(401, "no-bundle"));
  set.add("city.gov", f.bundle);
  await expectDecision(g, req("/traffic/a", bearer(f.tokens.traffic)), { allow: true });
});

t.done();
