// SvidError: the one error type of the package. Shared by every entry point (node, workerd, deno,
// browser, web), so `instanceof SvidError` holds whichever entry threw it.

/** The stable error codes (DESIGN.md "Error codes"), in the core's declaration order. */
export const ERROR_CODES = Object.freeze([
  "malformed",
  "invalid-spiffe-id",
  "invalid-bundle",
  "no-bundle",
  "invalid-svid",
  "unsupported-algorithm",
  "untrusted",
  "bad-signature",
  "expired",
  "not-yet-valid",
  "audience-mismatch",
  "unauthorized",
  "revoked",
]);

export class SvidError extends Error {
  /**
   * @param {string} code one of ERROR_CODES
   * @param {string} message names the rule that failed; not stable, match on `code`
   * @param {ErrorOptions} [options]
   */
  constructor(code, message, options) {
    super(message, options);
    this.name = "SvidError";
    /** @type {string} */
    this.code = code;
  }
}
