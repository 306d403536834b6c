// Loaded by the test page: imports the package by name (import map → the package's `browser`
// entry) and runs every vector in the page.
import * as svidkit from "svidkit";
import { runVectors } from "/vectors.mjs";

const vectors = await (await fetch("/vectors.json")).json();
window.__svidkit = { resolved: import.meta.resolve("svidkit"), results: runVectors(svidkit, vectors) };
