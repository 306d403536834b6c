// The smart city's edge gate, as a Cloudflare Worker: traffic agents may call /traffic/*, energy
// agents /energy/*, every city workload may read /status; everything else is refused. Built on
// `svidkit/gate`, which verifies the caller's SPIFFE identity (a JWT-SVID, or an X.509-SVID forwarded
// by the mTLS-terminating proxy) against the city's trust bundle before this code runs.
//
// Configuration (wrangler.toml [vars] and secrets):
//   SPIFFE_BUNDLES  (secret) JSON { "city.gov": <SPIFFE bundle document> }, e.g. from
//                   `spire-server bundle show -format spiffe`; a bundle per trust domain you trust
//   GATE_AUDIENCE   the audience JWT-SVIDs must name (default spiffe://city.gov/edge-gateway)
//   GATE_SOURCES    comma-separated credential sources, tried in order (default "bearer"); add
//                   client-cert / xfcc / cf-client-cert only behind a proxy that sets — and strips
//                   client copies of — that header (see README.md)
//   BACKEND         (optional service binding) the city's API: admitted requests are forwarded to it
//                   with the verified SPIFFE ID in `x-spiffe-id`; without it the Worker answers with
//                   the identity it saw
import { withGate } from "svidkit/gate";

// The route rules: plain JSON, the same shape the wasi:http component gate reads from its config.
const CITY_ROUTES = [
  { path: "/traffic/*", allow: ["spiffe://city.gov/traffic-agent/*"] },
  { path: "/energy/*", allow: ["spiffe://city.gov/energy-agent/*"] },
  { path: "/status", methods: ["GET"], allow: ["spiffe://city.gov/*"] },
];

function gateConfig(env) {
  if (typeof env.SPIFFE_BUNDLES !== "string") throw new Error("the SPIFFE_BUNDLES secret is not set");
  return {
    bundles: JSON.parse(env.SPIFFE_BUNDLES),
    audience: env.GATE_AUDIENCE || "spiffe://city.gov/edge-gateway",
    sources: (env.GATE_SOURCES || "bearer").split(",").map((s) => s.trim()),
    routes: CITY_ROUTES,
    // One JSON line per decision (Workers Logs / `wrangler tail`): never the token or certificate.
    audit: (record) => console.log(JSON.stringify({ gate: record })),
  };
}

// Credentials are not passed on: the backend trusts `x-spiffe-id`, which only this Worker sets.
const STRIPPED = [
  "authorization",
  "client-cert",
  "client-cert-chain",
  "x-forwarded-client-cert",
  "cf-client-cert-der-base64",
  "cf-client-cert-sha256",
  "x-spiffe-id",
  "x-spiffe-source",
];

// Runs only for admitted requests; `identity` is what the gate verified.
async function handle(request, env, ctx, identity) {
  if (env.BACKEND) {
    const headers = new Headers(request.headers);
    for (const name of STRIPPED) headers.delete(name);
    headers.set("x-spiffe-id", identity.spiffeId);
    headers.set("x-spiffe-source", identity.source);
    return env.BACKEND.fetch(new Request(request, { headers }));
  }
  const { pathname } = new URL(request.url);
  return Response.json({
    ok: true,
    path: pathname,
    spiffeId: identity.spiffeId,
    kind: identity.kind,
    source: identity.source,
    expiresAt: identity.expiresAt,
  });
}

export default { fetch: withGate(gateConfig, handle) };
