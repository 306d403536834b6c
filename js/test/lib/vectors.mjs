// Runs one conformance vector (tests/vectors/<kind>/<name>.json, format: shared conformance README)
// through the *package* API (runVectorAsync: through an API whose verify functions are async). Runtime-neutral: no imports, so the same file runs in Node, workerd,
// Deno and Chromium. Expected values come from the vector only.
//
//   runVector(api, vector) → { name, pass, detail }
//   summary(results)       → { passed, failed, lines: ["FAIL name: detail", ...], last: "N passed, M failed" }
//
// `api` is the module namespace of `svidkit` as the runtime imported it.

function same(a, b) {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

function show(v) {
  return v === undefined ? "undefined" : JSON.stringify(v);
}

/** Compares `got[field]` with `want` and records a mismatch. */
function check(mismatches, label, got, want) {
  if (!same(got, want)) mismatches.push(`${label}: got ${show(got)}, want ${show(want)}`);
}

function options(vector, extra = {}) {
  const o = { now: vector.now, ...extra };
  const given = vector.input.options || {};
  if (given.skew !== undefined) o.skew = given.skew;
  return o;
}

function call(api, vector) {
  const input = vector.input;
  switch (vector.kind) {
    case "spiffe-id":
      return api.parseSpiffeId(input.id);
    case "bundle": {
      const set = new api.BundleSet();
      set.add(input.trust_domain, input.document);
      const info = set.get(input.trust_domain);
      return { info, trustDomains: set.trustDomains() };
    }
    case "x509-svid":
      return api.verifyX509Svid(input.chain, api.BundleSet.from(input.bundles), options(vector));
    case "jwt-svid":
      return api.verifyJwtSvid(
        input.token,
        api.BundleSet.from(input.bundles),
        options(vector, { audience: input.audience }),
      );
    default:
      throw new Error(`unknown vector kind ${show(vector.kind)}`);
  }
}

function checkSuccess(vector, got) {
  const want = vector.expect;
  const m = [];
  switch (vector.kind) {
    case "spiffe-id":
      check(m, "trustDomain", got.trustDomain, want.trust_domain);
      check(m, "path", got.path, want.path);
      break;
    case "bundle": {
      const td = vector.input.trust_domain;
      if (got.info === undefined || got.info === null) {
        m.push(`get(${show(td)}): got ${show(got.info)}, want the bundle`);
        break;
      }
      check(m, "trustDomain", got.info.trustDomain, td);
      check(m, "x509Authorities.length", got.info.x509Authorities && got.info.x509Authorities.length, want.x509_authorities);
      check(m, "jwtAuthorities.length", got.info.jwtAuthorities && got.info.jwtAuthorities.length, want.jwt_authorities);
      check(m, "refreshHint", got.info.refreshHint, want.refresh_hint);
      check(m, "sequence", got.info.sequence, want.sequence);
      if (!Array.isArray(got.trustDomains) || !got.trustDomains.includes(td)) {
        m.push(`trustDomains(): got ${show(got.trustDomains)}, want it to include ${show(td)}`);
      }
      break;
    }
    case "x509-svid":
    case "jwt-svid": {
      check(m, "spiffeId", got.spiffeId, want.spiffe_id);
      check(m, "expiresAt", got.expiresAt, want.expires_at);
      // trustDomain and path must be the parts of the expected SPIFFE ID.
      const rest = typeof want.spiffe_id === "string" ? want.spiffe_id.replace(/^spiffe:\/\//, "") : "";
      const slash = rest.indexOf("/");
      check(m, "trustDomain", got.trustDomain, slash < 0 ? rest : rest.slice(0, slash));
      check(m, "path", got.path, slash < 0 ? "" : rest.slice(slash));
      break;
    }
  }
  return m;
}

export function runVector(api, vector) {
  let got;
  let thrown;
  try {
    got = call(api, vector);
  } catch (e) {
    thrown = e;
  }
  return judge(api, vector, got, thrown);
}

/** runVector for an `api` whose verify functions return promises (the async variants). */
export async function runVectorAsync(api, vector) {
  let got;
  let thrown;
  try {
    got = await call(api, vector);
  } catch (e) {
    thrown = e;
  }
  return judge(api, vector, got, thrown);
}

function judge(api, vector, got, thrown) {
  const name = vector.name || vector.description;
  const want = vector.expect;
  if (want.ok === true) {
    if (thrown !== undefined) {
      const code = thrown && thrown.code;
      return { name, pass: false, detail: `want ok, got ${code ? `SvidError ${code}` : "exception"}: ${thrown && thrown.message}` };
    }
    const m = checkSuccess(vector, got);
    return { name, pass: m.length === 0, detail: m.join("; ") };
  }
  if (want.ok !== false || typeof want.error !== "string") {
    return { name, pass: false, detail: `vector has no valid expect: ${show(want)}` };
  }
  if (thrown === undefined) {
    return { name, pass: false, detail: `want error ${want.error}, got ok: ${show(got)}` };
  }
  if (!(thrown instanceof api.SvidError) || !(thrown instanceof Error)) {
    return { name, pass: false, detail: `want SvidError ${want.error}, got a non-SvidError: ${thrown && thrown.name}: ${thrown && thrown.message}` };
  }
  if (thrown.code !== want.error) {
    return { name, pass: false, detail: `want error ${want.error}, got ${thrown.code}: ${thrown.message}` };
  }
  return { name, pass: true, detail: "" };
}

export function runVectors(api, vectors) {
  return vectors.map((v) => runVector(api, v));
}

export async function runVectorsAsync(api, vectors) {
  const results = [];
  for (const v of vectors) results.push(await runVectorAsync(api, v));
  return results;
}

/** The package API with its async verify variants in place of the sync ones (for runVectorAsync). */
export function asyncApi(api) {
  return { ...api, verifyX509Svid: api.verifyX509SvidAsync, verifyJwtSvid: api.verifyJwtSvidAsync };
}

/**
 * The package API verifying through `createVerifier({ bundles, ...config })` (e.g. `{ crypto: "wasm" }`),
 * sync or (`async: true`) async.
 */
export function verifierApi(api, config, { async = false } = {}) {
  const suffix = async ? "Async" : "";
  return {
    ...api,
    verifyX509Svid: (chain, bundles, options) =>
      api.createVerifier({ bundles, ...config })[`verifyX509Svid${suffix}`](chain, options),
    verifyJwtSvid: (token, bundles, options) =>
      api.createVerifier({ bundles, ...config })[`verifyJwtSvid${suffix}`](token, options),
  };
}

/**
 * The package API answering from a result cache: each verify runs twice through one
 * `createVerifier({ bundles, cache })`, and the second answer (a cache hit when the first passed;
 * the runtime's byte compare of the input) is the one judged.
 */
export function repeatApi(api) {
  const twice = (method) => (input, bundles, options) => {
    const v = api.createVerifier({ bundles, cache: {} });
    try {
      v[method](input, options);
    } catch {
      // judged on the second call
    }
    return v[method](input, options);
  };
  return { ...api, verifyX509Svid: twice("verifyX509Svid"), verifyJwtSvid: twice("verifyJwtSvid") };
}

/**
 * Every verification path of `api` on one vector, as one result that passes only if all do: the
 * sync API (the runtime's default checks), the async API, pure Rust (`crypto: "wasm"`) sync, and a
 * repeat through a result cache.
 */
export async function runVectorEveryPath(api, vector) {
  const labelled = [
    ["sync", runVector(api, vector)],
    ["async", await runVectorAsync(asyncApi(api), vector)],
    ["wasm", runVector(verifierApi(api, { crypto: "wasm" }), vector)],
    ["cached repeat", runVector(repeatApi(api), vector)],
  ];
  const failed = labelled.filter(([, r]) => !r.pass);
  return {
    name: labelled[0][1].name,
    pass: failed.length === 0,
    detail: failed.map(([label, r]) => `${label}: ${r.detail}`).join("; "),
  };
}

export function summary(results) {
  const failed = results.filter((r) => !r.pass);
  return {
    passed: results.length - failed.length,
    failed: failed.length,
    lines: failed.map((r) => `FAIL ${r.name}: ${r.detail}`),
    last: `${results.length - failed.length} passed, ${failed.length} failed`,
  };
}
