// Runs the shared conformance vectors (tests/vectors/<kind>/*.json; layout in
// ../shared/conformance/README.md) through the jco-transpiled component, checking verdict, error
// code and the fields each kind reports.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

/** Every `*.json` under `dir`, recursively, sorted. */
export function vectorFiles(dir) {
  const out = [];
  const walk = (d) => {
    let entries;
    try {
      entries = readdirSync(d);
    } catch {
      return;
    }
    for (const name of entries.sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith(".json")) out.push(path);
    }
  };
  walk(dir);
  return out;
}

/** The error a component call threw, as `{code, message}`: jco throws the WIT `error` record
 * itself, or (other jco versions / options) a `ComponentError` carrying it as `.payload`. */
export function svidError(e) {
  const err = e?.payload ?? e;
  if (err && typeof err.code === "string") return err;
  throw e; // not a WIT error: a trap or a bug in the test
}

/** An integer of the vector's `expect` object, read from the file's text so that values past 2^53
 * keep every digit (JSON.parse would round them); `null` stays `null`. */
function expectedInteger(text, name) {
  const expect = text.slice(text.lastIndexOf('"expect"'));
  const m = new RegExp(`"${name}"\\s*:\\s*(-?\\d+|null)`).exec(expect);
  if (!m) return undefined;
  return m[1] === "null" ? null : BigInt(m[1]);
}

function bundleSet(types, input) {
  const set = new types.BundleSet();
  for (const [td, doc] of Object.entries(input.bundles ?? {})) set.add(td, doc);
  return set;
}

/** Runs one vector through `{ types, verifier }` (the transpiled component's exports).
 * Returns `null` when the outcome is what the vector expects, else what was got. For SVID
 * vectors the matching `inspect-*` function must also give the verify function's verdict. */
export function runVector(api, text) {
  const { types, verifier } = api;
  const v = JSON.parse(text);
  const input = v.input ?? {};
  const now = BigInt(v.now);
  const skew = BigInt(input.options?.skew ?? 0);
  let fields; // [name, got, expected][] on success
  let inspect; // () => inspection, for SVID vectors whose input decoded
  let code = "ok";
  try {
    switch (v.kind) {
      case "spiffe-id": {
        const id = verifier.parseSpiffeId(input.id);
        fields = [
          ["trust_domain", id.trustDomain, v.expect.trust_domain],
          ["path", id.path, v.expect.path],
        ];
        break;
      }
      case "bundle": {
        const info = new types.BundleSet().add(input.trust_domain, input.document);
        fields = [
          ["x509_authorities", BigInt(info.x509Authorities.length), expectedInteger(text, "x509_authorities")],
          ["jwt_authorities", BigInt(info.jwtAuthorities.length), expectedInteger(text, "jwt_authorities")],
          ["refresh_hint", info.refreshHint ?? null, expectedInteger(text, "refresh_hint")],
          ["sequence", info.sequence ?? null, expectedInteger(text, "sequence")],
        ];
        break;
      }
      case "x509-svid": {
        const bundles = bundleSet(types, input);
        const chain = (input.chain ?? []).map((c) => verifier.decodeBase64Der(c));
        inspect = () => verifier.inspectX509Svid(chain, bundles, now, skew, undefined);
        const svid = verifier.verifyX509Svid(chain, bundles, now, skew, undefined);
        fields = [
          ["spiffe_id", svid.spiffeId, v.expect.spiffe_id],
          ["expires_at", svid.expiresAt, expectedInteger(text, "expires_at")],
        ];
        break;
      }
      case "jwt-svid": {
        const bundles = bundleSet(types, input);
        const audience = input.audience ?? [];
        inspect = () => verifier.inspectJwtSvid(input.token, audience, bundles, now, skew, undefined);
        const svid = verifier.verifyJwtSvid(input.token, audience, bundles, now, skew, undefined);
        fields = [
          ["spiffe_id", svid.spiffeId, v.expect.spiffe_id],
          ["expires_at", svid.expiresAt, expectedInteger(text, "expires_at")],
        ];
        break;
      }
      default:
        return `unknown kind ${JSON.stringify(v.kind)}`;
    }
  } catch (e) {
    code = svidError(e).code;
  }
  const want = v.expect.ok ? "ok" : v.expect.error;
  if (code !== want) return code === "ok" ? "ok" : `error ${code}`;
  if (code === "ok") {
    for (const [name, got, expected] of fields) {
      if (expected !== undefined && got !== expected) return `${name} = ${got}, expected ${expected}`;
    }
  }
  if (inspect) {
    const inspection = inspect();
    const verdict = inspection.error?.code ?? "ok";
    if (verdict !== code) return `inspect gives ${verdict}, verify ${code}`;
    if (code !== "ok" && !inspection.checks.some((c) => c.status === "fail")) return "inspect: no failing check";
  }
  return null;
}

/** What a vector expects, for messages: `ok` or `error <code>`. */
export function expected(text) {
  const v = JSON.parse(text);
  return v.expect?.ok ? "ok" : `error ${v.expect?.error}`;
}
