// Renders what svidkit's `inspect` reports: the verdict, the checklist, decoded certificates and
// tokens, bundles. Display only — every verdict, code, message and check comes from the core.

import { append, colonHex, duration, h, relative, certName, timeEl, utc } from "./format.js";

const KIND_NAMES = {
  "x509-svid": "X.509-SVID",
  "jwt-svid": "JWT-SVID",
  "base64-der": "base64 DER certificate",
  "pem-authorities": "PEM CA certificates",
  bundle: "SPIFFE bundle (JSON)",
  unknown: "not recognised",
};

export function kindName(kind) {
  return KIND_NAMES[kind] ?? kind;
}

const STATUS = {
  pass: { icon: "✓", label: "pass" },
  fail: { icon: "✗", label: "fail" },
  "not-reached": { icon: "–", label: "not reached" },
  skipped: { icon: "○", label: "skipped" },
};

// Where the standards the checklist cites live (opened only if the reader follows the link).
const STANDARDS = [
  [/^X509-SVID/, "https://github.com/spiffe/spiffe/blob/main/standards/X509-SVID.md"],
  [/^JWT-SVID/, "https://github.com/spiffe/spiffe/blob/main/standards/JWT-SVID.md"],
  [/^SPIFFE-ID/, "https://github.com/spiffe/spiffe/blob/main/standards/SPIFFE-ID.md"],
  [/^Bundle/, "https://github.com/spiffe/spiffe/blob/main/standards/SPIFFE_Trust_Domain_and_Bundle.md"],
  [/^RFC (\d+)(?: §([\d.]+))?/, (m) => `https://www.rfc-editor.org/rfc/rfc${m[1]}${m[2] ? `#section-${m[2].replace(/\.$/, "")}` : ""}`],
];

function refLinks(ref) {
  const parts = String(ref ?? "").split(/;\s*/).filter(Boolean);
  const out = [];
  parts.forEach((part, i) => {
    if (i) out.push("; ");
    let url = null;
    for (const [re, target] of STANDARDS) {
      const m = re.exec(part);
      if (m) {
        url = typeof target === "function" ? target(m) : target;
        break;
      }
    }
    out.push(url ? h("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, part) : part);
  });
  return out;
}

/** The SPIFFE ID split into scheme, trust domain and path segments. */
export function spiffeIdView(id, extraClass = "") {
  if (!id) return null;
  const segments = id.path ? id.path.split("/").slice(1) : [];
  return h(
    "div",
    { class: `spiffe ${extraClass}` },
    h(
      "p",
      { class: "spiffe-id", id: "spiffe-id" },
      h("span", { class: "scheme" }, "spiffe://"),
      h("span", { class: "td", id: "spiffe-td" }, id.trustDomain),
      h("span", { class: "path", id: "spiffe-path" }, id.path),
    ),
    h(
      "dl",
      { class: "pairs compact" },
      h("dt", {}, "Trust domain"),
      h("dd", {}, h("code", {}, id.trustDomain)),
      h("dt", {}, "Path"),
      h(
        "dd",
        {},
        segments.length
          ? h("ol", { class: "segments", "aria-label": "Path segments" }, segments.map((s) => h("li", {}, h("code", {}, s))))
          : h("span", { class: "muted" }, "none (a trust-domain ID)"),
      ),
    ),
  );
}

/** Verdict panel. `ctx`: {now, error?, needsAudience?, kind}. */
export function renderVerdict(el, report, ctx) {
  el.replaceChildren();
  if (ctx.error) {
    el.className = "verdict bad";
    append(el, [
      h("div", { class: "verdict-head" }, h("span", { class: "verdict-icon", "aria-hidden": "true" }, "!"),
        h("div", {}, h("p", { class: "verdict-title", id: "verdict-title" }, ctx.errorTitle ?? "Cannot inspect this input"),
          h("p", { class: "verdict-code" }, h("code", { id: "verdict-code" }, ctx.error.code ?? "error")))),
      h("p", { class: "verdict-message", id: "verdict-message" }, ctx.error.message ?? String(ctx.error)),
    ]);
    return;
  }
  if (!report) {
    el.className = "verdict idle";
    el.append(h("p", { id: "verdict-title" }, ctx.idle ?? "Pick a sample or paste an SVID."));
    return;
  }
  if (ctx.needsAudience) {
    el.className = "verdict waiting";
    append(el, [
      h("div", { class: "verdict-head" }, h("span", { class: "verdict-icon", "aria-hidden": "true" }, "?"),
        h("div", {}, h("p", { class: "verdict-title", id: "verdict-title" }, "Enter an expected audience"),
          h("p", { class: "verdict-code" }, "JWT-SVID"))),
      h("p", { class: "verdict-message", id: "verdict-message" },
        "A JWT-SVID is valid only for the audiences it names. Type yours — the verifier's own identity — under “Verify with” to see the verdict."),
      spiffeIdView(report.spiffeId),
    ]);
    return;
  }
  const ok = report.trusted;
  el.className = `verdict ${ok ? "good" : "bad"}`;
  const facts = [h("dt", {}, "Type"), h("dd", {}, kindName(report.kind)), h("dt", {}, "Verified as of"), h("dd", {}, timeEl(ctx.now))];
  if (Number.isFinite(report.expiresAt)) {
    facts.push(h("dt", {}, "Expires"), h("dd", {}, timeEl(report.expiresAt), " ", h("span", { class: "muted" }, `(${relative(report.expiresAt, ctx.now)})`)));
  }
  append(el, [
    h(
      "div",
      { class: "verdict-head" },
      h("span", { class: "verdict-icon", "aria-hidden": "true" }, ok ? "✓" : "✗"),
      h(
        "div",
        {},
        h("p", { class: "verdict-title", id: "verdict-title" }, ok ? "Trusted" : "Not trusted"),
        ok ? h("p", { class: "verdict-code" }, "every rule passed")
          : h("p", { class: "verdict-code" }, "error code ", h("code", { id: "verdict-code" }, report.verdict.code)),
      ),
    ),
    ok ? null : h("p", { class: "verdict-message", id: "verdict-message" }, report.verdict.message),
    ok ? null : unixTimes(report.verdict.message, ctx.now),
    report.spiffeId ? spiffeIdView(report.spiffeId) : h("p", { class: "muted" }, "No SPIFFE ID could be read."),
    h("dl", { class: "pairs compact facts" }, facts),
  ]);
}

/** The Unix times a core message mentions, as dates (the core speaks in seconds). */
function unixTimes(message, now) {
  const times = [...new Set(String(message ?? "").match(/\b1\d{9}\b/g) ?? [])].map(Number);
  if (!times.length) return null;
  return h("p", { class: "times muted" }, times.map((t, i) => [i ? " · " : "", h("code", {}, String(t)), " = ", timeEl(t), ` (${relative(t, now).replace("at this moment", "the chosen time")})`]));
}

export function renderChecklist(list, summary, checks) {
  list.replaceChildren();
  const counts = {};
  for (const c of checks) {
    counts[c.status] = (counts[c.status] ?? 0) + 1;
    const s = STATUS[c.status] ?? { icon: "?", label: c.status };
    list.append(
      h(
        "li",
        { class: `check ${c.status}`, dataset: { check: c.id, status: c.status } },
        h("span", { class: "status" }, h("span", { "aria-hidden": "true" }, s.icon), " ", s.label),
        h(
          "div",
          { class: "check-body" },
          h("p", { class: "rule" }, c.rule),
          c.detail ? h("p", { class: "detail" }, c.detail) : null,
          h("p", { class: "ref" }, h("code", { class: "check-id" }, c.id), " · ", refLinks(c.ref)),
        ),
      ),
    );
  }
  summary.textContent = ["pass", "fail", "not-reached", "skipped"]
    .filter((k) => counts[k])
    .map((k) => `${counts[k]} ${STATUS[k].label === "pass" ? "passed" : STATUS[k].label === "fail" ? "failed" : STATUS[k].label}`)
    .join(" · ");
}

/** A validity bar with the verification time marked on it. */
export function timeline(from, to, now, label) {
  const span = Math.max(to - from, 1);
  const pad = span * 0.18;
  const min = from - pad;
  const max = to + pad;
  const pct = (t) => ((Math.min(Math.max(t, min), max) - min) / (max - min)) * 100;
  const where = now < from ? "before" : now > to ? "after" : "inside";
  const bar = h("div", { class: `tl-bar ${where}` });
  bar.style.left = `${pct(from)}%`;
  bar.style.width = `${pct(to) - pct(from)}%`;
  const marker = h("div", { class: `tl-marker${now < min || now > max ? " off" : ""}` });
  marker.style.left = `${pct(now)}%`;
  const text = {
    before: `starts ${relative(from, now)}`,
    inside: `ends ${relative(to, now)}`,
    after: `ended ${relative(to, now)}`,
  }[where];
  return h(
    "div",
    { class: "timeline", role: "group", "aria-label": label ?? "Validity" },
    h("div", { class: "tl-track", "aria-hidden": "true" }, bar, marker),
    h(
      "div",
      { class: "tl-labels" },
      h("span", {}, "from ", timeEl(from)),
      h("span", { class: `tl-state ${where}` }, `at the chosen time: ${text}`),
      h("span", {}, "until ", timeEl(to)),
    ),
  );
}

function list(values, empty = "none") {
  if (!Array.isArray(values) || values.length === 0) return h("span", { class: "muted" }, empty);
  return h("ul", { class: "plain" }, values.map((v) => h("li", {}, h("code", {}, v))));
}

const ROLE_NAMES = { leaf: "Leaf", intermediate: "Intermediate", authority: "Authority" };

/** One certificate's fields. */
export function certCard(cert, id, now, roleNote) {
  const bc = cert.basicConstraints;
  const bcText = bc ? `CA: ${bc.ca ? "true" : "false"}${bc.pathLen !== null && bc.pathLen !== undefined ? `, pathLen ${bc.pathLen}` : ""}` : "absent (not a CA)";
  const rows = [
    ["Subject", h("code", {}, cert.subject || "(empty)")],
    ["Issuer", h("code", {}, cert.issuer || "(empty)")],
    ["SPIFFE ID", cert.spiffeId ? h("code", {}, cert.spiffeId) : h("span", { class: "muted" }, "none")],
    ["URI SANs", list(cert.uris)],
    ["DNS SANs", list(cert.dnsNames)],
    ["Serial", h("code", { class: "hex" }, colonHex(cert.serial))],
    ["Validity", timeline(cert.notBefore, cert.notAfter, now, `Validity of ${certName(cert)}`)],
    ["Key", `${cert.keyAlgorithm}${cert.keyBits ? ` (${cert.keyBits} bits)` : ""}`],
    ["Signature algorithm", cert.signatureAlgorithm ?? "—"],
    ["Basic constraints", bcText],
    ["Key usage", cert.keyUsage ? list(cert.keyUsage) : h("span", { class: "muted" }, "absent")],
    ["Extended key usage", cert.extendedKeyUsage ? list(cert.extendedKeyUsage) : h("span", { class: "muted" }, "absent")],
    ["Subject key ID", cert.subjectKeyId ? h("code", { class: "hex" }, colonHex(cert.subjectKeyId)) : h("span", { class: "muted" }, "absent")],
    ["Authority key ID", cert.authorityKeyId ? h("code", { class: "hex" }, colonHex(cert.authorityKeyId)) : h("span", { class: "muted" }, "absent")],
    ["SHA-256 fingerprint", h("code", { class: "hex" }, colonHex(cert.sha256))],
  ];
  if (cert.selfIssued) rows.push(["Self-issued", "yes (subject = issuer)"]);
  return h(
    "article",
    { class: `cert role-${cert.role}`, id, "aria-labelledby": `${id}-h` },
    h(
      "h4",
      { id: `${id}-h`, tabindex: "-1" },
      h("span", { class: `role-badge role-${cert.role}` }, ROLE_NAMES[cert.role] ?? cert.role),
      " ",
      certName(cert),
      roleNote ? h("span", { class: "muted" }, ` · ${roleNote}`) : null,
    ),
    h("dl", { class: "pairs" }, rows.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])),
  );
}

function focusCard(id) {
  const heading = document.getElementById(`${id}-h`);
  if (heading) {
    heading.scrollIntoView({ behavior: "smooth", block: "start" });
    heading.focus({ preventScroll: true });
  }
}

function chainNode(cert, id, role, note) {
  return h(
    "li",
    { class: `node role-${role}` },
    h("span", { class: `role-badge role-${role}` }, ROLE_NAMES[role] ?? role),
    h("button", { type: "button", class: "node-name", id: `node-${id}`, onclick: () => focusCard(id), "aria-label": `${ROLE_NAMES[role] ?? role}: ${certName(cert)} — show its fields` }, certName(cert)),
    cert.spiffeId ? h("code", { class: "node-id" }, cert.spiffeId) : null,
    note ? h("span", { class: "node-note" }, note) : null,
  );
}

function renderX509(el, report, ctx) {
  const certs = report.certificates ?? [];
  const cards = [];
  const chain = h("ol", { class: "chain", "aria-label": "Chain from the leaf to the authority" });
  const ids = certs.map((_, i) => `cert-${i}`);
  if (report.path) {
    // The path the core verified: leaf → intermediates → the bundle authority it reached.
    report.path.forEach((p) => {
      if (p.isAuthority) {
        if (report.authority) chain.append(chainNode(report.authority, "cert-authority", "authority", `from the bundle of ${report.spiffeId?.trustDomain ?? "?"}`));
        return;
      }
      const i = certs.findIndex((c) => c.serial === p.serial && c.subject === p.subject);
      if (i >= 0) chain.append(chainNode(certs[i], ids[i], certs[i].role));
    });
  } else {
    certs.forEach((c, i) => chain.append(chainNode(c, ids[i], c.role)));
    chain.append(
      h("li", { class: "node missing" }, h("span", { class: "role-badge role-missing" }, "Authority"),
        h("span", { class: "node-name" }, "not reached"),
        h("span", { class: "node-note" }, "no bundle authority completed this chain — see the checklist")),
    );
  }
  certs.forEach((c, i) => cards.push(certCard(c, ids[i], ctx.now, "presented")));
  if (report.authority) cards.push(certCard(report.authority, "cert-authority", ctx.now, `from the bundle of ${report.spiffeId?.trustDomain ?? "?"}`));
  const unused = report.path ? certs.filter((c, i) => i > 0 && !report.path.some((p) => p.serial === c.serial && p.subject === c.subject)) : [];
  append(el, [
    h("h3", {}, "Chain"),
    chain,
    unused.length ? h("p", { class: "hint" }, `${unused.length} presented certificate${unused.length > 1 ? "s were" : " was"} not needed for the path.`) : null,
    h("h3", {}, certs.length === 1 && !report.authority ? "Certificate" : "Certificates"),
    certs.length ? cards : h("p", { class: "muted" }, "The input could not be decoded as certificates."),
  ]);
}

const TIME_CLAIMS = new Set(["exp", "iat", "nbf"]);

function claimValue(name, value, now) {
  if (TIME_CLAIMS.has(name) && Number.isFinite(value)) {
    return h("span", {}, h("code", {}, String(value)), " · ", timeEl(value), " ", h("span", { class: "rel" }, `(${relative(value, now)})`));
  }
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) return list(value, "[]");
  return h("code", { class: "json" }, typeof value === "string" ? value : JSON.stringify(value));
}

function renderJwt(el, report, ctx) {
  const header = report.header ?? {};
  const claims = report.claims ?? {};
  const table = (obj, caption, idPrefix) =>
    h(
      "table",
      { class: "claims", id: idPrefix },
      h("caption", {}, caption),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Name"), h("th", { scope: "col" }, "Value"))),
      h("tbody", {}, Object.entries(obj).map(([k, v]) => h("tr", { dataset: { claim: k } }, h("th", { scope: "row" }, h("code", {}, k)), h("td", {}, claimValue(k, v, ctx.now))))),
    );
  const parts = ctx.input.split(".");
  append(el, [
    h("h3", {}, "Token"),
    h("p", { class: "jws" }, h("span", { class: "seg-h", title: "header" }, parts[0] ?? ""), ".", h("span", { class: "seg-p", title: "claims" }, parts[1] ?? ""), ".", h("span", { class: "seg-s", title: "signature" }, parts[2] ?? "")),
    report.header ? table(header, "Header", "jwt-header") : h("p", { class: "muted" }, "The token could not be decoded."),
    report.claims ? table(claims, "Claims", "jwt-claims") : null,
  ]);
  const exp = Number.isFinite(claims.exp) ? claims.exp : null;
  const start = Number.isFinite(claims.nbf) ? claims.nbf : Number.isFinite(claims.iat) ? claims.iat : null;
  if (exp !== null && start !== null && exp > start) {
    el.append(h("h3", {}, "Lifetime"), timeline(start, exp, ctx.now, `Token lifetime: ${Number.isFinite(claims.nbf) ? "nbf" : "iat"} to exp`));
    el.append(h("p", { class: "hint" }, `Issued for ${duration(exp - start)}; the bar runs from ${Number.isFinite(claims.nbf) ? "nbf" : "iat"} to exp.`));
  }
}

export function renderDecoded(el, report, ctx) {
  el.replaceChildren();
  if (report.kind === "jwt-svid") renderJwt(el, report, ctx);
  else renderX509(el, report, ctx);
}

/** The decoded contents of one bundle: its authorities, JWT keys, refresh hint and sequence. */
export function bundleDetails(info, now, prefix) {
  const x509 = info.x509Authorities ?? [];
  const jwt = info.jwtAuthorities ?? [];
  return h(
    "div",
    { class: "bundle-details" },
    h(
      "dl",
      { class: "pairs compact" },
      h("dt", {}, "Refresh hint"),
      h("dd", {}, info.refreshHint === null || info.refreshHint === undefined ? h("span", { class: "muted" }, "none") : `${info.refreshHint} s (${duration(info.refreshHint)})`),
      h("dt", {}, "Sequence"),
      h("dd", {}, info.sequence === null || info.sequence === undefined ? h("span", { class: "muted" }, "none") : String(info.sequence)),
    ),
    h("h4", {}, `X.509 authorities (${x509.length})`),
    x509.length ? x509.map((c, i) => certCard({ role: "authority", ...c }, `${prefix}-x509-${i}`, now)) : h("p", { class: "muted" }, "none"),
    h("h4", {}, `JWT authorities (${jwt.length})`),
    jwt.length
      ? h(
          "table",
          { class: "claims" },
          h("thead", {}, h("tr", {}, ["kid", "kty", "alg", "key", "usable"].map((c) => h("th", { scope: "col" }, c)))),
          h(
            "tbody",
            {},
            jwt.map((k) =>
              h("tr", {},
                h("td", {}, k.kid ? h("code", {}, k.kid) : h("span", { class: "muted" }, "none")),
                h("td", {}, k.kty ?? "—"),
                h("td", {}, k.alg ?? h("span", { class: "muted" }, "any fitting")),
                h("td", {}, k.keyAlgorithm ?? "—"),
                h("td", {}, k.supported === false ? "no — tokens selecting it fail" : "yes"))),
          ),
        )
      : h("p", { class: "muted" }, "none"),
  );
}

export function bundleSummary(info) {
  const n = (count, one, many) => `${count} ${count === 1 ? one : many}`;
  const parts = [n(info.x509Authorities?.length ?? 0, "X.509 authority", "X.509 authorities"), n(info.jwtAuthorities?.length ?? 0, "JWT key", "JWT keys")];
  if (info.refreshHint !== null && info.refreshHint !== undefined) parts.push(`refresh every ${duration(info.refreshHint)}`);
  if (info.sequence !== null && info.sequence !== undefined) parts.push(`sequence ${info.sequence}`);
  return parts.join(" · ");
}

export { utc };
