// Node-side loader: every tests/vectors/<kind>/*.json, named "<kind>/<file>". SVIDKIT_VECTORS
// overrides the folder. Fails loudly if the folder is missing or empty, so no suite can pass by
// running nothing.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const JS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const VECTORS_DIR = process.env.SVIDKIT_VECTORS
  ? resolve(process.env.SVIDKIT_VECTORS)
  : resolve(JS_DIR, "..", "tests", "vectors");

const KINDS = ["spiffe-id", "bundle", "x509-svid", "jwt-svid"];

export function loadVectors(dir = VECTORS_DIR) {
  const vectors = [];
  for (const kind of readdirSync(dir).sort()) {
    const sub = join(dir, kind);
    if (!statSync(sub).isDirectory()) continue;
    for (const file of readdirSync(sub).sort()) {
      if (!file.endsWith(".json")) continue;
      const vector = JSON.parse(readFileSync(join(sub, file), "utf8"));
      vector.name = `${kind}/${file}`;
      if (vector.kind !== kind) throw new Error(`${vector.name}: kind ${vector.kind} doesn't match its folder`);
      vectors.push(vector);
    }
  }
  for (const kind of KINDS) {
    if (!vectors.some((v) => v.kind === kind)) throw new Error(`no ${kind} vectors in ${dir}`);
  }
  return vectors;
}
