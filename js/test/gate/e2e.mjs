// End-to-end: the example Worker (examples/cloudflare-worker) in real workerd on 127.0.0.1, over
// real HTTP, with fixtures (keys, certificates, JWT-SVIDs, the city.gov bundle) made fresh by
// fixtures.mjs for the current time. The Worker runs as deployed: bundles from its SPIFFE_BUNDLES
// binding, the real clock. Every credential header format, every refusal, the forwarding to a
// backend, and the audit lines the Worker writes to workerd's log.
// Prints failures and "gate (workerd e2e): N passed, M failed"; exits 1 on any failure.
import { makeFixtures, sfBinary, sfChain, xfccElement } from "./fixtures.mjs";
import { assert, suite } from "./harness.mjs";
import { startGateWorkerd } from "./workerd.mjs";

const t = suite("gate (workerd e2e)");
const f = makeFixtures();
const AGENT = {
  traffic: "spiffe://city.gov/traffic-agent/north-1",
  energy: "spiffe://city.gov/energy-agent/grid-7",
};

let server;
try {
  server = await startGateWorkerd({
    SPIFFE_BUNDLES: JSON.stringify(f.bundles),
    GATE_AUDIENCE: f.audience,
    GATE_SOURCES: "bearer,client-cert,xfcc,cf-client-cert",
  });
  console.log(`workerd pid ${server.pid}: gate ${server.gate}, proxy ${server.proxy}`);
} catch (e) {
  t.fail("workerd starts with the example Worker", e);
  t.done();
}

// Every request gets its own path so its audit line can be found: /<area>/e2e-<n>.
let counter = 0;
const sent = []; // { path, status, code }
async function call(area, headers = {}, { base = server.gate, method = "GET" } = {}) {
  const path = `/${area}/e2e-${++counter}`;
  const res = await fetch(new URL(path, base), { method, headers });
  const text = await res.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = { unparsed: text };
  }
  sent.push({ path, status: res.status, code: body.code ?? null });
  return { status: res.status, headers: res.headers, body, path };
}
const bearer = (token) => ({ authorization: `Bearer ${token}` });

function expectAllowed(r, spiffeId, source, kind) {
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.ok, true);
  assert.equal(r.body.spiffeId, spiffeId);
  assert.equal(r.body.source, source);
  assert.equal(r.body.kind, kind);
  assert.equal(r.body.path, r.path);
}
function expectRefused(r, status, code, spiffeId = null) {
  assert.equal(r.status, status, JSON.stringify(r.body));
  assert.equal(r.body.code, code, r.body.reason);
  assert.equal(r.body.spiffeId, spiffeId);
  assert.equal(typeof r.body.reason, "string");
  assert.match(r.headers.get("content-type"), /^application\/json/);
}

await t.case("a valid JWT-SVID on an allowed route → 200, the handler sees the identity", async () => {
  const r = await call("traffic", bearer(f.tokens.traffic));
  expectAllowed(r, AGENT.traffic, "bearer", "jwt-svid");
  assert.ok(Math.abs(r.body.expiresAt - (f.now + 600)) <= 0, `expiresAt ${r.body.expiresAt}`);
  expectAllowed(await call("energy", bearer(f.tokens.energy)), AGENT.energy, "bearer", "jwt-svid");
  const status = await fetch(new URL("/status", server.gate), { headers: bearer(f.tokens.energy) });
  assert.equal(status.status, 200);
});

await t.case("RFC 9440 Client-Cert + Client-Cert-Chain → 200", async () => {
  expectAllowed(await call("traffic", { "client-cert": sfBinary(f.b64.traffic), "client-cert-chain": sfChain([f.b64.inter]) }), AGENT.traffic, "client-cert", "x509-svid");
  expectAllowed(await call("energy", { "client-cert": sfBinary(f.b64.energy) }), AGENT.energy, "client-cert", "x509-svid");
});

await t.case("Envoy x-forwarded-client-cert (Cert + Chain, the last element) → 200", async () => {
  const element = xfccElement({ certPem: f.pem.traffic, chainPem: f.pem.traffic + f.pem.inter, uri: AGENT.traffic });
  expectAllowed(await call("traffic", { "x-forwarded-client-cert": element }), AGENT.traffic, "xfcc", "x509-svid");
  const injected = xfccElement({ certPem: f.pem.riverside });
  expectAllowed(await call("traffic", { "x-forwarded-client-cert": `${injected},${element}` }), AGENT.traffic, "xfcc", "x509-svid");
});

await t.case("Cloudflare Cf-Client-Cert-Der-Base64 → 200; checked against request.cf.tlsClientAuth", async () => {
  const h = { "cf-client-cert-der-base64": f.b64.energy };
  expectAllowed(await call("energy", h), AGENT.energy, "cf-client-cert", "x509-svid");
  const cf = (fp, presented = "1") => JSON.stringify({ tlsClientAuth: { certPresented: presented, certVerified: "SUCCESS", certFingerprintSHA256: fp } });
  expectAllowed(await call("energy", { ...h, "cf-blob": cf(f.sha256.energy) }), AGENT.energy, "cf-client-cert", "x509-svid");
  expectRefused(await call("energy", { ...h, "cf-blob": cf(f.sha256.traffic) }), 401, "untrusted");
  expectRefused(await call("energy", { ...h, "cf-blob": cf("", "0") }), 401, "untrusted");
});

await t.case("tampered, expired, wrong audience, unknown trust domain → 401 with the code and an RFC 6750 challenge", async () => {
  for (const [token, code] of [
    [f.tokens.tampered, "bad-signature"],
    [f.tokens.expired, "expired"],
    [f.tokens.wrongAudience, "audience-mismatch"],
    [f.tokens.unknownDomain, "no-bundle"],
  ]) {
    const r = await call("traffic", bearer(token));
    expectRefused(r, 401, code);
    assert.match(r.headers.get("www-authenticate"), new RegExp(`^Bearer realm="svidkit", error="invalid_token", error_description="${code}: `));
  }
  expectRefused(await call("energy", { "client-cert": sfBinary(f.b64.expired) }), 401, "expired");
  expectRefused(await call("traffic", { "client-cert": sfBinary(f.b64.riverside) }), 401, "no-bundle");
  expectRefused(await call("traffic", { "client-cert": sfBinary(f.b64.traffic) }), 401, "untrusted");
});

await t.case("a valid SVID on a route it may not use → 403 with its SPIFFE ID", async () => {
  let r = await call("energy", bearer(f.tokens.traffic));
  expectRefused(r, 403, "unauthorized", AGENT.traffic);
  assert.match(r.headers.get("www-authenticate"), /error="insufficient_scope"/);
  r = await call("traffic", { "client-cert": sfBinary(f.b64.energy) });
  expectRefused(r, 403, "unauthorized", AGENT.energy);
  assert.equal(r.headers.get("www-authenticate"), null);
  // No rule for the path (default deny), and /status is GET only.
  expectRefused(await call("parks", bearer(f.tokens.traffic)), 403, "unauthorized", AGENT.traffic);
  const post = await fetch(new URL("/status", server.gate), { method: "POST", headers: bearer(f.tokens.traffic) });
  assert.equal(post.status, 403);
});

await t.case("no credential → 401 no-credential with WWW-Authenticate: Bearer", async () => {
  const r = await call("traffic");
  expectRefused(r, 401, "no-credential");
  assert.equal(r.headers.get("www-authenticate"), 'Bearer realm="svidkit"');
  expectRefused(await call("traffic", { authorization: "Basic YWdlbnQ6cGFzc3dvcmQ=" }), 401, "no-credential");
});

await t.case("a malformed header of each source → 401 malformed, and the next request still works", async () => {
  for (const headers of [
    { authorization: "Bearer not-a-jwt" },
    { authorization: `Bearer ${f.tokens.traffic} ` + "x" },
    { "client-cert": f.b64.traffic },
    { "client-cert": sfBinary(f.b64.traffic), "client-cert-chain": ":%%%:, ::" },
    { "client-cert-chain": sfBinary(f.b64.inter) },
    { "x-forwarded-client-cert": 'Cert="%E0%A4%A' },
    { "x-forwarded-client-cert": "By=spiffe://city.gov/x;Hash=00" },
    { "cf-client-cert-der-base64": "@@@@" },
    { "cf-client-cert-der-base64": `:${f.b64.energy}:` },
  ]) {
    expectRefused(await call("traffic", headers), 401, "malformed");
    expectAllowed(await call("traffic", bearer(f.tokens.traffic)), AGENT.traffic, "bearer", "jwt-svid");
  }
});

await t.case("with a BACKEND binding, admitted requests are forwarded with x-spiffe-id and without credentials", async () => {
  const r = await call("traffic", { ...bearer(f.tokens.traffic), "x-spiffe-id": "spiffe://city.gov/energy-agent/forged", "x-request-id": "abc" }, { base: server.proxy, method: "POST" });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.backend, true);
  assert.equal(r.body.method, "POST");
  assert.equal(r.body.path, r.path);
  assert.equal(r.body.headers["x-spiffe-id"], AGENT.traffic);
  assert.equal(r.body.headers["x-spiffe-source"], "bearer");
  assert.equal(r.body.headers["x-request-id"], "abc");
  assert.equal(r.body.headers.authorization, undefined);
  const x = await call("energy", { "client-cert": sfBinary(f.b64.energy) }, { base: server.proxy });
  assert.equal(x.body.headers["x-spiffe-id"], AGENT.energy);
  assert.equal(x.body.headers["client-cert"], undefined);
  expectRefused(await call("energy", bearer(f.tokens.traffic), { base: server.proxy }), 403, "unauthorized", AGENT.traffic);
});

await t.case("one audit line per request in workerd's log, matching the answer, never the token or certificate", async () => {
  const audit = () =>
    server
      .log()
      .split("\n")
      .filter((l) => l.startsWith('{"gate":'))
      .map((l) => JSON.parse(l).gate)
      .filter((r) => /\/e2e-\d+$/.test(r.path ?? ""));
  const deadline = Date.now() + 5000;
  while (audit().length < sent.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const records = audit();
  assert.equal(records.length, sent.length, `${records.length} audit lines for ${sent.length} requests`);
  const byPath = new Map(records.map((r) => [r.path, r]));
  for (const s of sent) {
    const r = byPath.get(s.path);
    assert.ok(r, `no audit line for ${s.path}`);
    assert.equal(r.status, s.status, s.path);
    assert.equal(r.verdict, s.status === 200 ? "allow" : "deny", s.path);
    if (s.status !== 200) assert.equal(r.code, s.code, s.path);
    for (const key of ["time", "method", "path", "route", "spiffeId", "source", "verdict", "status", "code"]) assert.ok(key in r, `${s.path}: ${key}`);
  }
  const log = server.log();
  const secrets = [
    ...Object.values(f.tokens).flatMap((tok) => tok.split(".")),
    ...Object.values(f.b64).map((b) => b.slice(0, 48)),
    ...Object.values(f.b64).map((b) => encodeURIComponent(b.slice(0, 48))),
  ];
  for (const secret of secrets) assert.ok(!log.includes(secret), `workerd's log holds ${secret.slice(0, 24)}…`);
});

await server.stop();
t.done();
