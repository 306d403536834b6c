// Typed usage of the whole package surface, checked by `tsc --noEmit` (npm run test:types).
// Resolves "svidkit" through package.json `exports` → `types`, as a TypeScript user's project does.
// Each @ts-expect-error line must be a type error, so wrong usage that type-checks fails the test.
import {
  BundleSet,
  ERROR_CODES,
  SvidError,
  parseSpiffeId,
  verifyJwtSvid,
  verifyX509Svid,
  verifyJwtSvidAsync,
  verifyX509SvidAsync,
  createVerifier,
  type Verifier,
  type BundleInfo,
  type ErrorCode,
  type JwtSvidResult,
  type Policy,
  type SpiffeIdParts,
  type X509SvidResult,
} from "svidkit";
import init, { initSync, verifyJwtSvid as webVerifyJwtSvid } from "svidkit/web";

declare const bundleJson: string;
declare const pem: string;
declare const der: Uint8Array;
declare const token: string;

const bundles: BundleSet = BundleSet.from({ "example.org": bundleJson, "other.org": { keys: [] } });
bundles.add("example.org", bundleJson).addPem("example.org", pem).addJwks("example.org", { keys: [] });
BundleSet.from(new Map([["example.org", bundleJson]]));

const info: BundleInfo | undefined = bundles.get("example.org");
if (info) {
  const seq: number | null = info.sequence;
  const hint: number | null = info.refreshHint;
  const subject: string | undefined = info.x509Authorities[0]?.subject;
  const kid: string | undefined = info.jwtAuthorities[0]?.kid;
  void [seq, hint, subject, kid];
}
const domains: string[] = bundles.trustDomains();

const id: SpiffeIdParts = parseSpiffeId("spiffe://example.org/a");
const td: string = id.trustDomain;

const policy: Policy = { allow: ["spiffe://example.org/*"], deny: ["spiffe://example.org/bad"], denySerials: ["01"], denyJti: ["x"] };

const x: X509SvidResult = verifyX509Svid(pem, bundles);
verifyX509Svid(der, bundles, { now: new Date(), skew: 30, policy });
verifyX509Svid([der, "MIIB..."], bundles, { now: 1767225600 });
const leafNotAfter: number | undefined = x.chain[0]?.notAfter;

const j: JwtSvidResult = verifyJwtSvid(token, bundles, { audience: "api" });
verifyJwtSvid(new TextEncoder().encode(token), bundles, { audience: ["api", "web"], now: 1767225600, policy });
const exp: number = j.expiresAt;
const iat: number | undefined = j.issuedAt;
const aud: string[] = j.audience;
const sub: unknown = j.claims["sub"];

try {
  verifyJwtSvid(token, bundles, { audience: "api" });
} catch (e) {
  if (e instanceof SvidError) {
    const code: ErrorCode = e.code;
    const message: string = e.message;
    if (code === "audience-mismatch") void message;
  }
}
const codes: readonly ErrorCode[] = ERROR_CODES;
const made = new SvidError("expired", "x");

await init();
await init({ module_or_path: new URL("https://example.org/svidkit_bg.wasm") });
initSync({ module: new Uint8Array() });
webVerifyJwtSvid(token, bundles, { audience: "api" });

// @ts-expect-error the audience is required
verifyJwtSvid(token, bundles, {});
// @ts-expect-error options are required for JWT-SVIDs
verifyJwtSvid(token, bundles);
// @ts-expect-error a number is not a chain
verifyX509Svid(42, bundles);
// @ts-expect-error a bundle document is not a BundleSet
verifyX509Svid(pem, bundleJson);
// @ts-expect-error `now` is seconds or a Date, not a string
verifyX509Svid(pem, bundles, { now: "2026-01-01" });
// @ts-expect-error not an error code
const bad: ErrorCode = "timeout";
// @ts-expect-error unknown policy member
const badPolicy: Policy = { alow: [] };
// @ts-expect-error parseSpiffeId takes a string
parseSpiffeId(new Uint8Array());

void [domains, td, leafNotAfter, exp, iat, aud, sub, codes, made, bad, badPolicy];

// The async variants and createVerifier (crypto paths).
const ja: Promise<JwtSvidResult> = verifyJwtSvidAsync(token, bundles, { audience: "api", now: 1767225600 });
const xa: Promise<X509SvidResult> = verifyX509SvidAsync(pem, bundles);
const verifier: Verifier = createVerifier({ bundles, crypto: "wasm" });
const vj: JwtSvidResult = verifier.verifyJwtSvid(token, { audience: ["api"] });
const vx: Promise<X509SvidResult> = verifier.verifyX509SvidAsync(der, { skew: 5 });
// @ts-expect-error an unknown crypto choice
createVerifier({ bundles, crypto: "openssl" });
// @ts-expect-error the async JWT variant needs an audience
verifyJwtSvidAsync(token, bundles, {});
const cachedVerifier = createVerifier({ bundles, cache: { maxEntries: 100 } });
const hits: number | undefined = cachedVerifier.cacheStats()?.hits;
cachedVerifier.clearCache();
// @ts-expect-error maxEntries is a number
createVerifier({ bundles, cache: { maxEntries: "100" } });
void [ja, xa, vj, vx, hits];
