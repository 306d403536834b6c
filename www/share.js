// Share links: the page's inputs, compressed into the URL fragment (#s=…). Browsers never send the
// fragment to a server, so a shared link reveals its inputs only to whoever holds the link.

import { b64urlToBytes, bytesToB64url } from "./format.js";

const PREFIX = "#s=";
const VERSION = 1;

/**
 * Most bytes a share link may inflate to. The page's inputs (a token of 16 KiB, a chain of 16
 * certificates of 64 KiB, bundles of 1 MiB) fit in a link many times over; a link anyone can send
 * stops here instead of inflating to gigabytes (deflate reaches about 1000:1) in the viewer's tab.
 */
export const MAX_SHARED_BYTES = 8 * 1024 * 1024;

async function pipe(bytes, stream) {
  const out = new Blob([bytes]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(out).arrayBuffer());
}

async function inflate(bytes) {
  const reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw")).getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > MAX_SHARED_BYTES) {
      await reader.cancel();
      throw new Error(`it inflates to more than ${MAX_SHARED_BYTES / 1024 / 1024} MiB, more than the page's inputs ever take`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** State → URL fragment. */
export async function encodeState(state) {
  const plain = {
    v: VERSION,
    svid: state.svid,
    bundles: state.bundles.map((b) => ({ td: b.trustDomain, kind: b.kind, text: b.text, name: b.name })),
    asOf: state.asOf,
    skew: state.skew,
    audience: state.audience,
    allow: state.allow,
    sample: state.sample,
  };
  const json = new TextEncoder().encode(JSON.stringify(plain));
  return PREFIX + bytesToB64url(await pipe(json, new CompressionStream("deflate-raw")));
}

/** URL fragment → state fields, or null when the fragment holds no shared state. Throws on a damaged link. */
export async function decodeState(hash) {
  if (!hash.startsWith(PREFIX)) return null;
  const bytes = await inflate(b64urlToBytes(hash.slice(PREFIX.length)));
  const plain = JSON.parse(new TextDecoder().decode(bytes));
  if (plain === null || typeof plain !== "object" || plain.v !== VERSION) {
    throw new Error("this share link comes from another version of the page");
  }
  const str = (v) => (typeof v === "string" ? v : "");
  const num = (v) => (Number.isSafeInteger(v) && v >= 0 ? v : null);
  return {
    svid: str(plain.svid),
    bundles: (Array.isArray(plain.bundles) ? plain.bundles : [])
      .filter((b) => b && typeof b.text === "string")
      .map((b) => ({
        trustDomain: str(b.td),
        kind: b.kind === "pem" ? "pem" : "bundle",
        text: b.text,
        name: str(b.name) || "shared link",
      })),
    asOf: num(plain.asOf),
    skew: num(plain.skew) ?? 0,
    audience: str(plain.audience),
    allow: str(plain.allow),
    sample: typeof plain.sample === "string" ? plain.sample : null,
  };
}
