// Types of `svidkit/gate`.
import type { BundleDocument, BundleSet, ErrorCode, JwtSvidResult, Time, X509SvidResult } from "./index.js";

/** Where a credential is read from (`config.sources`, in the order they are tried). */
export type CredentialSource = "bearer" | "client-cert" | "xfcc" | "cf-client-cert";

/** Every source, and the default (`["bearer"]`: the certificate sources are opt-in). */
export const SOURCES: readonly CredentialSource[];
export const DEFAULT_SOURCES: readonly CredentialSource[];

/** The codes a decision may carry besides the core's: no credential presented, the gate itself failed. */
export type GateCode = "no-credential" | "internal-error";
export const GATE_CODES: readonly GateCode[];

/** Thrown by createGate / withGate for a configuration they cannot use. */
export class GateConfigError extends Error {
  readonly name: "GateConfigError";
}

/**
 * One route rule. The first rule whose `path` and `methods` match the request decides which
 * SPIFFE IDs it admits; a request no rule matches is refused (403).
 */
export interface RouteRule {
  /** `"/exact/path"`, `"/prefix/*"` (everything under `/prefix/`, not `/prefix` itself) or `"*"`. */
  path: string;
  /** HTTP methods the rule applies to; every method when absent. */
  methods?: readonly string[];
  /** SPIFFE ID patterns admitted: `spiffe://td/exact`, `spiffe://td/prefix/*`, `spiffe://td/*`. */
  allow: readonly string[];
}

/** One line of the audit log, JSON-serialisable. Never holds the token or certificate. */
export interface AuditRecord {
  /** ISO 8601, the gate's `now`. */
  time: string;
  method: string;
  /** The URL path (never the query string). */
  path: string | null;
  /** The matched rule's `path`, or null. */
  route: string | null;
  /** The verified SPIFFE ID (allowed and 403 decisions), else null. */
  spiffeId: string | null;
  source: CredentialSource | null;
  verdict: "allow" | "deny";
  status: number;
  code: ErrorCode | GateCode | null;
}

export interface GateConfig {
  /** Trust bundles: a BundleSet from "svidkit" (mutate it to rotate bundles) or documents by trust domain. */
  bundles: BundleSet | { readonly [trustDomain: string]: BundleDocument } | ReadonlyMap<string, BundleDocument>;
  /** The audience(s) JWT-SVIDs must name; required when the "bearer" source is enabled. */
  audience?: string | readonly string[];
  /** Route rules, first match wins; no match → refused. */
  routes: readonly RouteRule[];
  /** SPIFFE ID patterns refused on every route (`revoked`, 403). */
  deny?: readonly string[];
  /** Certificate serial numbers (hex) refused (`revoked`). */
  denySerials?: readonly string[];
  /** JWT `jti`s refused (`revoked`). */
  denyJti?: readonly string[];
  /** Credential sources in the order they are tried; default `["bearer"]`. */
  sources?: readonly CredentialSource[];
  /** Receives one record per decision. Errors it throws are logged and ignored. */
  audit?: (record: AuditRecord) => void | Promise<void>;
  /** The clock: a fixed time or a function returning it; the current time by default. */
  now?: Time | (() => Time);
  /** Seconds of allowance on every time bound; default 0. */
  skew?: number;
  /** The `realm` of `WWW-Authenticate` challenges; default "svidkit". */
  realm?: string;
}

/** The verified identity handed to a wrapped handler and carried by an allowing decision. */
export type Identity =
  | (JwtSvidResult & { kind: "jwt-svid"; source: CredentialSource })
  | (X509SvidResult & { kind: "x509-svid"; source: CredentialSource });

export interface AllowDecision {
  allow: true;
  status: 200;
  spiffeId: string;
  source: CredentialSource;
  /** The matched rule's `path`. */
  route: string;
  reason: string;
  identity: Identity;
}

export interface RefuseDecision {
  allow: false;
  /** 401 no or an invalid credential, 403 verified but not admitted, 500 the gate failed. */
  status: 401 | 403 | 500;
  code: ErrorCode | GateCode;
  reason: string;
  /** The verified SPIFFE ID of a 403. */
  spiffeId?: string;
  /** The source whose credential was refused (absent for `no-credential`). */
  source?: CredentialSource;
  route?: string | null;
  /** The `WWW-Authenticate` value (every 401; a 403 of a Bearer token). */
  challenge?: string;
}

export type Decision = AllowDecision | RefuseDecision;

export type Gate = (request: Request) => Promise<Decision>;

/** Compiles the config (throws GateConfigError if unusable) into a gate that never throws. */
export function createGate(config: GateConfig): Gate;

/** The response for a refused decision: its status, `WWW-Authenticate`, JSON `{ status, code, spiffeId, reason }`. */
export function refusalResponse(decision: Pick<RefuseDecision, "status" | "code" | "reason"> & Partial<RefuseDecision>): Response;

/** A Workers handler that receives the verified identity as a fourth argument. */
export type GatedHandler<Env = unknown, Ctx = unknown> = (
  request: Request,
  env: Env,
  ctx: Ctx,
  identity: Identity,
) => Response | Promise<Response>;

/**
 * Wraps a Workers `fetch(request, env, ctx)` handler. `config` may be a function of `env`
 * (called once per env object), e.g. to read bundles from a secret.
 */
export function withGate<Env = unknown, Ctx = unknown>(
  config: GateConfig | ((env: Env) => GateConfig | Promise<GateConfig>),
  handler: GatedHandler<Env, Ctx>,
): (request: Request, env: Env, ctx: Ctx) => Promise<Response>;
