// Formatting helpers for the inspector: dates, relative times, durations, element building.
// Display only — nothing here decides whether anything is trusted.

/** Unix seconds → "2026-01-05 14:03:07 UTC". */
export function utc(seconds) {
  if (!Number.isFinite(seconds)) return "—";
  const d = new Date(seconds * 1000);
  if (Number.isNaN(d.getTime())) return String(seconds);
  return d.toISOString().replace("T", " ").replace(/\.\d{3}Z$/, " UTC");
}

/** Unix seconds → the same instant in the viewer's time zone, for tooltips. */
export function local(seconds) {
  const d = new Date(seconds * 1000);
  if (Number.isNaN(d.getTime())) return "";
  return d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "long" });
}

/** A duration in seconds → "4 min", "2 h 5 min", "3 days", "1 year 20 days". */
export function duration(seconds) {
  let s = Math.abs(Math.round(seconds));
  if (s < 60) return `${s} s`;
  const units = [
    ["year", 365 * 86400, true],
    ["day", 86400, true],
    ["h", 3600, false],
    ["min", 60, false],
  ];
  const parts = [];
  for (const [name, size, plural] of units) {
    if (s >= size) {
      const n = Math.floor(s / size);
      s -= n * size;
      parts.push(`${n} ${name}${plural && n !== 1 ? "s" : ""}`);
      if (parts.length === 2) break;
    } else if (parts.length) {
      break;
    }
  }
  return parts.join(" ");
}

/** `at` relative to `now` → "in 4 min" / "3 h ago" / "at this moment". */
export function relative(at, now) {
  const d = at - now;
  if (d === 0) return "at this moment";
  return d > 0 ? `in ${duration(d)}` : `${duration(d)} ago`;
}

/** Unix seconds → value of an <input type=datetime-local step=1> in the viewer's time zone. */
export function toLocalInput(seconds) {
  const d = new Date(seconds * 1000);
  const p = (n, w = 2) => String(n).padStart(w, "0");
  return `${p(d.getFullYear(), 4)}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** Value of a datetime-local input → Unix seconds, or null when empty/invalid. */
export function fromLocalInput(value) {
  if (!value) return null;
  const ms = new Date(value).getTime();
  return Number.isFinite(ms) && ms >= 0 ? Math.floor(ms / 1000) : null;
}

/** The viewer's UTC offset, e.g. "UTC+02:00". */
export function zoneLabel(seconds) {
  const off = -new Date(seconds * 1000).getTimezoneOffset();
  const sign = off >= 0 ? "+" : "−";
  const a = Math.abs(off);
  return `UTC${sign}${String(Math.floor(a / 60)).padStart(2, "0")}:${String(a % 60).padStart(2, "0")}`;
}

/** Colon-separated hex for fingerprints and key identifiers. */
export function colonHex(hex) {
  return typeof hex === "string" ? hex.toUpperCase().match(/.{1,2}/g)?.join(":") ?? hex : "—";
}

/**
 * Builds an element: h("p", {class: "x", onclick}, "text", child, ...). Children that are strings
 * become text nodes (never HTML), so untrusted input can't inject markup.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = v;
    else if (k === "dataset") Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  append(el, children);
  return el;
}

/** Appends children, skipping null/undefined/false (DOM append would print them). */
export function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : String(c));
  }
}

/** A <time> element showing the UTC date, with the local time as its tooltip. */
export function timeEl(seconds) {
  return h("time", { datetime: new Date(seconds * 1000).toISOString(), title: local(seconds) }, utc(seconds));
}

function rdn(dn, type) {
  const m = new RegExp(`(?:^|,)\\s*${type}=((?:\\\\.|[^,])*)`).exec(dn);
  return m ? m[1].replace(/\\(.)/g, "$1") : null;
}

/** Display name of a certificate: its CN, else its SPIFFE ID, else O, else the whole subject. */
export function certName(cert) {
  const dn = typeof cert.subject === "string" ? cert.subject : "";
  return rdn(dn, "CN") ?? cert.spiffeId ?? rdn(dn, "O") ?? (dn || "(empty subject)");
}

/** Base64url of bytes (for share links). */
export function bytesToB64url(bytes) {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function b64urlToBytes(text) {
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const bin = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/** Standard padded base64 of bytes (a binary .der file becomes a chain element). */
export function bytesToB64(bytes) {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}
