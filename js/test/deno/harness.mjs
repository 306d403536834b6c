// Runs in Deno with no permissions: reads the vectors (a JSON array) from stdin, runs each through
// the package imported by name (the `deno` condition) on every verification path, prints one line per failing vector and
// "deno: N passed, M failed", exits 1 on any failure.
import * as svidkit from "svidkit";
import { runVectorEveryPath, summary } from "./vectors.mjs";

const text = await new Response(Deno.stdin.readable).text();
const vectors = JSON.parse(text);
console.log(`deno ${Deno.version.deno}: svidkit from ${import.meta.resolve("svidkit")}`);
// Each vector through the sync API (Deno's node:crypto), the async API and pure Rust.
const results = [];
for (const v of vectors) results.push(await runVectorEveryPath(svidkit, v));
const s = summary(results);
for (const line of s.lines) console.log(line);
console.log(`deno: ${s.last}`);
Deno.exit(s.failed === 0 && vectors.length > 0 ? 0 : 1);
