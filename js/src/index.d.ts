// Types of the npm package `svidkit` (every entry point: node, workerd, deno, browser, default).

/** The stable error codes; `SvidError.code` is always one of them. */
export type ErrorCode =
  | "malformed"
  | "invalid-spiffe-id"
  | "invalid-bundle"
  | "no-bundle"
  | "invalid-svid"
  | "unsupported-algorithm"
  | "untrusted"
  | "bad-signature"
  | "expired"
  | "not-yet-valid"
  | "audience-mismatch"
  | "unauthorized"
  | "revoked";

/** Every ErrorCode, in a fixed order. */
export const ERROR_CODES: readonly ErrorCode[];

/** Thrown by every function of the package when verification or decoding fails. */
export class SvidError extends Error {
  constructor(code: ErrorCode, message: string, options?: ErrorOptions);
  readonly name: "SvidError";
  /** Stable; match on it. `message` names the failed rule and may change between versions. */
  readonly code: ErrorCode;
}

/** Unix time in seconds, or a Date. */
export type Time = number | Date;

/**
 * A SPIFFE bundle document (JWK Set with `use` = `x509-svid` / `jwt-svid`, optional
 * `spiffe_sequence` and `spiffe_refresh_hint`): JSON text, its UTF-8 bytes, or the parsed object.
 * Pass text when `spiffe_sequence` may exceed 2^53: a parsed object has already lost precision.
 */
export type BundleDocument = string | Uint8Array | { readonly [member: string]: unknown };

/** A plain JWK Set (`{ "keys": [...] }`, e.g. SPIRE's OIDC `/keys`); `use` is not needed. */
export type JwkSet = string | Uint8Array | { readonly [member: string]: unknown };

/** A certificate: a bundle's X.509 authority or an element of a verified path. */
export interface CertificateInfo {
  /** Subject distinguished name, RFC 4514 string form. */
  subject: string;
  /** Issuer distinguished name, RFC 4514 string form. */
  issuer: string;
  /** Serial number, lower-case hex without separators or sign byte. */
  serial: string;
  /** Unix seconds. */
  notBefore: number;
  /** Unix seconds. */
  notAfter: number;
  /** Key type and size, e.g. "EC P-256", "RSA 2048", "Ed25519". */
  keyAlgorithm: string;
  /** The SPIFFE ID in the certificate's URI SAN, when it has one. */
  spiffeId?: string;
  /** Whether this certificate is a trust bundle authority. */
  isAuthority: boolean;
}

/** A bundle's X.509 authority. */
export type X509AuthorityInfo = CertificateInfo;

/** A bundle's JWT authority. */
export interface JwtAuthorityInfo {
  /** The key ID; always present for keys from a SPIFFE bundle, optional in a plain JWK Set. */
  kid?: string;
  /** The JWK `alg`, when the key names one. */
  alg?: string;
  /** "EC" or "RSA". */
  kty: string;
  /** Key type and size, e.g. "EC P-256", "RSA 2048". */
  keyAlgorithm: string;
}

export interface BundleInfo {
  trustDomain: string;
  x509Authorities: X509AuthorityInfo[];
  jwtAuthorities: JwtAuthorityInfo[];
  /** `spiffe_refresh_hint` in seconds, or null. Exact up to 2^53 − 1. */
  refreshHint: number | null;
  /** `spiffe_sequence`, or null. Exact up to 2^53 − 1, rounded above. */
  sequence: number | null;
}

/** Trust bundles by trust domain, parsed once and reused by every verify call. */
export class BundleSet {
  constructor();
  /** A set holding one bundle per trust domain: `{ "example.org": bundleDocument, ... }` or a Map. */
  static from(
    bundles: { readonly [trustDomain: string]: BundleDocument } | ReadonlyMap<string, BundleDocument>,
  ): BundleSet;
  /** Sets the SPIFFE bundle of a trust domain (replacing what it had). Returns this set. */
  add(trustDomain: string, bundle: BundleDocument): this;
  /** Adds X.509 authorities of a trust domain from PEM text (one or more CERTIFICATE blocks). */
  addPem(trustDomain: string, pem: string | Uint8Array): this;
  /** Adds JWT authorities of a trust domain from a plain JWK Set; every usable key becomes one. */
  addJwks(trustDomain: string, jwks: JwkSet): this;
  /** What the set holds for a trust domain, or undefined when it holds nothing for it. */
  get(trustDomain: string): BundleInfo | undefined;
  /** The trust domains the set holds bundles for. */
  trustDomains(): string[];
}

/**
 * An authorization policy applied after verification: deny wins (`revoked`), then allow
 * (`unauthorized` if no pattern admits the SPIFFE ID). Patterns: "spiffe://td/exact",
 * "spiffe://td/prefix/*", "spiffe://td/*".
 */
export interface Policy {
  allow?: readonly string[];
  deny?: readonly string[];
  /** Certificate serial numbers (hex) that are revoked; X.509-SVIDs only. */
  denySerials?: readonly string[];
  /** Token IDs (`jti`) that are revoked; JWT-SVIDs only. */
  denyJti?: readonly string[];
}

export interface VerifyOptions {
  /** The verifier's clock; defaults to the current time. */
  now?: Time;
  /** Seconds of allowance that widen every time bound; default 0. */
  skew?: number;
  policy?: Policy;
}

export interface JwtVerifyOptions extends VerifyOptions {
  /** The audiences this verifier accepts; the token must name at least one of them (an empty list admits no token: `audience-mismatch`). */
  audience: string | readonly string[];
}

export interface SpiffeIdParts {
  trustDomain: string;
  /** "" for a trust-domain ID, else starts with "/". */
  path: string;
}

export interface X509SvidResult extends SpiffeIdParts {
  spiffeId: string;
  /** The leaf's notAfter, Unix seconds. */
  expiresAt: number;
  /** The verified path: the leaf first, the bundle authority last. */
  chain: CertificateInfo[];
}

export interface JwtSvidResult extends SpiffeIdParts {
  spiffeId: string;
  /** The token's `exp`, Unix seconds. */
  expiresAt: number;
  /** The token's `iat`, when it is an integer (informational: never checked). */
  issuedAt?: number;
  /** The token's `nbf`, when present. */
  notBefore?: number;
  /** The token's audiences (`aud`; a string becomes one element). */
  audience: string[];
  /** The token's `jti`, when it is a string. */
  jti?: string;
  /** The algorithm that signed the token, e.g. "ES256". */
  algorithm: string;
  /** The header's `kid`, when present. */
  kid?: string;
  /** Every claim of the token's payload. */
  claims: { [claim: string]: unknown };
}

/**
 * The X.509-SVID chain: PEM text (leaf first), DER bytes (one certificate or several concatenated,
 * leaf first, as the Workload API delivers them), or an array of DER bytes / standard padded base64
 * strings (each exactly one certificate), leaf first.
 */
export type X509Chain = string | Uint8Array | ReadonlyArray<string | Uint8Array>;

/** Splits a SPIFFE ID into trust domain and path; throws `invalid-spiffe-id` if it breaks the syntax. */
export function parseSpiffeId(id: string): SpiffeIdParts;

/** Verifies an X.509-SVID chain against the bundle of the leaf's trust domain. Throws SvidError. */
export function verifyX509Svid(chain: X509Chain, bundles: BundleSet, options?: VerifyOptions): X509SvidResult;

/**
 * Verifies a JWT-SVID (compact JWS; pass it exactly as received, after removing a `Bearer ` prefix)
 * against the JWT authorities of its `sub` trust domain. Throws SvidError.
 */
export function verifyJwtSvid(token: string | Uint8Array, bundles: BundleSet, options: JwtVerifyOptions): JwtSvidResult;

/**
 * verifyX509Svid with the runtime's asynchronous crypto: WebCrypto where there is no synchronous
 * host crypto (workerd, with or without nodejs_compat, and browsers), node:crypto in Node, in Deno
 * node:crypto but WebCrypto for P-256 and P-384 ECDSA (Deno's is faster at them). Same options,
 * result and errors (the promise rejects with SvidError); the verdict is always the core's.
 */
export function verifyX509SvidAsync(chain: X509Chain, bundles: BundleSet, options?: VerifyOptions): Promise<X509SvidResult>;

/** verifyJwtSvid with the runtime's asynchronous crypto (see verifyX509SvidAsync). */
export function verifyJwtSvidAsync(
  token: string | Uint8Array,
  bundles: BundleSet,
  options: JwtVerifyOptions,
): Promise<JwtSvidResult>;

/**
 * Which signature implementation a verifier uses. "auto" (the default): node:crypto where the
 * runtime has it (Node, Deno; Deno's async methods take WebCrypto for P-256/P-384 ECDSA), else
 * WebCrypto in the async methods and the core's pure Rust in the sync ones. "wasm": always pure
 * Rust. "webcrypto": WebCrypto in the async methods even where node:crypto exists, pure Rust in
 * the sync ones. Ed25519 goes to the host in Node, Deno and workerd only, and never where a
 * host's rules could answer differently (small-order or non-canonical points).
 */
export type CryptoChoice = "auto" | "wasm" | "webcrypto";

export interface VerifierConfig {
  bundles: BundleSet;
  crypto?: CryptoChoice;
  /**
   * Keep successful answers: a repeat of the same token or chain with the same audience and
   * policy answers without verifying again while `now` (widened by `skew`) is inside the validity
   * of the first answer (the token's nbf..exp; every certificate of the verified path). Failures
   * are not kept; a change of the BundleSet forgets everything. At most `maxEntries` (default
   * 1000) tokens or chains, each with the answers for up to 4 audience/policy combinations; when
   * full, an entry not used recently goes first.
   */
  cache?: { maxEntries?: number };
}

export interface CacheStats {
  hits: number;
  misses: number;
  entries: number;
  maxEntries: number;
}

/** Verify functions bound to one BundleSet and configuration. */
export interface Verifier {
  readonly bundles: BundleSet;
  readonly crypto: CryptoChoice;
  /** The result cache's counters, or null when the verifier has no cache. */
  cacheStats(): CacheStats | null;
  /** Forgets every cached answer. */
  clearCache(): void;
  verifyX509Svid(chain: X509Chain, options?: VerifyOptions): X509SvidResult;
  verifyJwtSvid(token: string | Uint8Array, options: JwtVerifyOptions): JwtSvidResult;
  verifyX509SvidAsync(chain: X509Chain, options?: VerifyOptions): Promise<X509SvidResult>;
  verifyJwtSvidAsync(token: string | Uint8Array, options: JwtVerifyOptions): Promise<JwtSvidResult>;
}

/** A verifier bound to `config.bundles`. */
export function createVerifier(config: VerifierConfig): Verifier;

/** What a piece of pasted text is. */
export type InputKind = "x509-svid" | "pem-authorities" | "jwt-svid" | "bundle" | "base64-der" | "unknown";

/** Recognises what `input` is (for routing only: the verify functions decode strictly). */
export function detect(input: string | Uint8Array): InputKind;

/** One rule of an inspection checklist. */
export interface InspectCheck {
  /** Stable identifier, e.g. "leaf-key-usage". */
  id: string;
  /** What the rule requires. */
  rule: string;
  /** The standard section it comes from, e.g. "X509-SVID §4.3". */
  ref: string;
  status: "pass" | "fail" | "not-reached" | "skipped";
  /** The failure, when it failed. */
  detail: string | null;
}

/** A certificate as the inspector shows it. */
export interface InspectCertificate {
  role: "leaf" | "intermediate" | "authority";
  subject: string;
  issuer: string;
  serial: string;
  notBefore: number;
  notAfter: number;
  keyAlgorithm: string;
  keyBits: number;
  signatureAlgorithm: string;
  isCa: boolean;
  basicConstraints: { ca: boolean; pathLen: number | null } | null;
  keyUsage: string[] | null;
  extendedKeyUsage: string[];
  uris: string[];
  dnsNames: string[];
  spiffeId: string | null;
  subjectKeyId: string | null;
  authorityKeyId: string | null;
  /** SHA-256 fingerprint of the DER, hex. */
  sha256: string;
  selfIssued: boolean;
}

/** What `inspect` reports: the verify functions' verdict plus decoded fields and the rule checklist. */
export interface InspectReport {
  kind: "x509-svid" | "jwt-svid";
  trusted: boolean;
  verdict: { trusted: boolean; code?: ErrorCode; message?: string };
  spiffeId: { id: string; trustDomain: string; path: string } | null;
  checks: InspectCheck[];
  /** X.509: the presented certificates, leaf first. */
  certificates?: InspectCertificate[];
  /** X.509, when verified: the path leaf → authority. */
  path?: { subject: string; serial: string; isAuthority: boolean }[];
  /** X.509, when verified: the bundle authority reached. */
  authority?: InspectCertificate;
  /** JWT: the protected header and the claims. */
  header?: Record<string, unknown>;
  claims?: Record<string, unknown>;
  /** The leaf's notAfter or the token's exp. */
  expiresAt?: number;
}

/** Options of `inspect`: those of the verify functions; `audience` may be omitted (then the audience rule fails). */
export interface InspectOptions extends VerifyOptions {
  audience?: string | readonly string[];
}

/**
 * Decodes an SVID (PEM chain, base64 DER, an array of DER/base64, or a JWT-SVID) and explains the
 * verdict. Never throws for a bad SVID — `verdict.code` says why — only for arguments of the wrong type,
 * and with `malformed` for text that is not shaped like any SVID (`detect` says "unknown"), is a
 * bundle document (use `inspectBundle`) or is over 2 MiB. A JWT-SVID may be inspected without
 * `audience`: the inspection then ends at the audience rule (`audience-mismatch`).
 */
export function inspect(input: X509Chain | string, bundles: BundleSet, options?: InspectOptions): InspectReport;

/** A bundle as the inspector shows it. */
export interface InspectBundleInfo {
  trustDomain: string;
  x509Authorities: InspectCertificate[];
  jwtAuthorities: { kid: string | null; alg: string | null; kty: string; keyAlgorithm: string; supported: boolean }[];
  refreshHint: number | null;
  sequence: number | null;
}

/** Describes a bundle document; without `trustDomain` the name comes from the authorities' SPIFFE IDs. Throws SvidError. */
export function inspectBundle(document: BundleDocument, trustDomain?: string): InspectBundleInfo;
