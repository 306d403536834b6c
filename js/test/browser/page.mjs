// Loaded by the test page: imports the package by name (import map → the package's `browser`
// entry) and runs every vector in the page on every verification path.
import * as svidkit from "svidkit";
import { runVectorEveryPath } from "/vectors.mjs";

const vectors = await (await fetch("/vectors.json")).json();
// Each vector sync (pure Rust), async (WebCrypto) and with crypto "wasm".
const results = [];
for (const v of vectors) results.push(await runVectorEveryPath(svidkit, v));
window.__svidkit = { resolved: import.meta.resolve("svidkit"), results };
