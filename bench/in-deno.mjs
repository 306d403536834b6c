// `make bench` in Deno (bench/runtimes.mjs starts it in bench/, where "svidkit" and "jose" resolve
// through node_modules): reads {jwt, chain, timing} as JSON on stdin, prints bench/edge.mjs's rows
// as one JSON line.
import * as svidkit from "svidkit";
import * as jose from "jose";
import { edgeSuite } from "./edge.mjs";

const input = JSON.parse(await new Response(Deno.stdin.readable).text());
const rows = await edgeSuite({ runtime: "deno", svidkit, jose, ...input });
console.log(JSON.stringify({ entry: import.meta.resolve("svidkit"), rows }));
