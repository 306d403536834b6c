// Runs in Deno with no permissions: reads the vectors (a JSON array) from stdin, runs each through
// the package imported by name (the `deno` condition), prints one line per failing vector and
// "deno: N passed, M failed", exits 1 on any failure.
import * as svidkit from "svidkit";
import { runVectors, summary } from "./vectors.mjs";

const text = await new Response(Deno.stdin.readable).text();
const vectors = JSON.parse(text);
console.log(`deno ${Deno.version.deno}: svidkit from ${import.meta.resolve("svidkit")}`);
const s = summary(runVectors(svidkit, vectors));
for (const line of s.lines) console.log(line);
console.log(`deno: ${s.last}`);
Deno.exit(s.failed === 0 && vectors.length > 0 ? 0 : 1);
