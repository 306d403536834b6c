// Typed usage of `svidkit/gate`, checked by `tsc --noEmit` (npm run test:types) through package.json
// `exports` → "./gate" → `types`. Each @ts-expect-error line must be a type error.
import { BundleSet, type JwtSvidResult } from "svidkit";
import {
  createGate,
  withGate,
  refusalResponse,
  GateConfigError,
  SOURCES,
  DEFAULT_SOURCES,
  GATE_CODES,
  type AuditRecord,
  type CredentialSource,
  type Decision,
  type GateConfig,
  type Identity,
  type RouteRule,
} from "svidkit/gate";

declare const bundleJson: string;
declare const request: Request;

const routes: RouteRule[] = [
  { path: "/traffic/*", allow: ["spiffe://city.gov/traffic-agent/*"] },
  { path: "/status", methods: ["GET"], allow: ["spiffe://city.gov/*"] },
];
const config: GateConfig = {
  bundles: BundleSet.from({ "city.gov": bundleJson }),
  audience: ["spiffe://city.gov/edge-gateway"],
  routes,
  deny: ["spiffe://city.gov/traffic-agent/stolen"],
  denySerials: ["01"],
  denyJti: ["x"],
  sources: ["bearer", "client-cert", "xfcc", "cf-client-cert"],
  audit: (record: AuditRecord) => console.log(JSON.stringify(record)),
  now: () => new Date(),
  skew: 30,
  realm: "city.gov",
};
createGate({ bundles: { "city.gov": bundleJson }, audience: "a", routes: [] });
createGate({ bundles: new Map([["city.gov", bundleJson]]), routes, sources: ["client-cert"], now: 1767225600 });

const gate = createGate(config);
const decision: Decision = await gate(request);
if (decision.allow) {
  const id: string = decision.spiffeId;
  const source: CredentialSource = decision.identity.source;
  const route: string = decision.route;
  if (decision.identity.kind === "jwt-svid") {
    const claims: JwtSvidResult["claims"] = decision.identity.claims;
    void claims;
  } else {
    const leafSubject: string | undefined = decision.identity.chain[0]?.subject;
    void leafSubject;
  }
  void [id, source, route];
} else {
  const status: 401 | 403 | 500 = decision.status;
  const code: string = decision.code;
  const challenge: string | undefined = decision.challenge;
  const response: Response = refusalResponse(decision);
  void [status, code, challenge, response];
}

interface Env {
  SPIFFE_BUNDLES: string;
}
const handler = withGate<Env, ExecutionContextLike>(
  (env) => ({ bundles: JSON.parse(env.SPIFFE_BUNDLES), audience: "a", routes }),
  (req, env, ctx, identity: Identity) => new Response(`${identity.spiffeId} ${env.SPIFFE_BUNDLES.length} ${req.url} ${typeof ctx}`),
);
interface ExecutionContextLike {
  waitUntil(p: Promise<unknown>): void;
}
const response: Promise<Response> = handler(request, { SPIFFE_BUNDLES: "{}" }, { waitUntil() {} });
withGate(config, async () => new Response("ok"));

const all: readonly CredentialSource[] = SOURCES;
const defaults: readonly CredentialSource[] = DEFAULT_SOURCES;
const codes: readonly string[] = GATE_CODES;
const err: Error = new GateConfigError("x");
void [response, all, defaults, codes, err];

// @ts-expect-error unknown source
createGate({ bundles: { "city.gov": bundleJson }, routes, sources: ["mtls"] });
// @ts-expect-error routes are required
createGate({ bundles: { "city.gov": bundleJson } });
// @ts-expect-error a route needs allow
createGate({ bundles: { "city.gov": bundleJson }, routes: [{ path: "/a" }] });
// @ts-expect-error bundles are required
createGate({ routes });
// @ts-expect-error the handler's identity is not a string
withGate(config, (req: Request, env: unknown, ctx: unknown, identity: string) => new Response(identity));
