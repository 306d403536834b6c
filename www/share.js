// Share links: the page's inputs, compressed into the URL fragment (#s=…). Browsers never send the
// fragment to a server, so a shared link reveals its inputs only to whoever holds the link.

import { b64urlToBytes, bytesToB64url } from "./format.js";

const PREFIX = "#s=";
const VERSION = 1;

async function pipe(bytes, stream) {
  const out = new Blob([bytes]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(out).arrayBuffer());
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
  const bytes = await pipe(b64urlToBytes(hash.slice(PREFIX.length)), new DecompressionStream("deflate-raw"));
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
