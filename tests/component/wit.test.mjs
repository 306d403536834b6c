// Checks of the component's interface: the built component's WIT imports nothing and exports the
// svidkit world; wit/svidkit.wit has exactly the core's error codes and a `///` doc on every item;
// the README section shows the example code that the example tests run.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { componentWit } from "@bytecodealliance/jco-transpile/wasm-tools";
import { witExports, witImports } from "./lib/wit.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const componentFile = resolve(root, process.env.SVIDKIT_COMPONENT ?? "dist/svidkit.component.wasm");
const witSource = readFileSync(join(root, "wit/svidkit.wit"), "utf8");
const read = (path) => readFileSync(join(root, path), "utf8");

test("the component imports nothing and exports svidkit:verify/{types,verifier}@0.1.0", async () => {
  const wit = await componentWit(readFileSync(componentFile));
  assert.deepEqual(witImports(wit), []);
  assert.deepEqual(witExports(wit).sort(), [
    "export svidkit:verify/types@0.1.0;",
    "export svidkit:verify/verifier@0.1.0;",
  ]);
});

test("error-code has exactly the core's stable codes, in the core's order", () => {
  const body = /enum error-code \{([\s\S]*?)\}/.exec(witSource)[1];
  const cases = body
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("//"))
    .map((l) => l.replace(/,$/, ""));
  const core = [...read("src/error.rs").matchAll(/ErrorCode::\w+ => "([a-z-]+)"/g)].map((m) => m[1]);
  assert.equal(cases.length, 13);
  assert.deepEqual(cases, core);
  assert.deepEqual(cases, [
    "malformed", "invalid-spiffe-id", "invalid-bundle", "no-bundle", "invalid-svid",
    "unsupported-algorithm", "untrusted", "bad-signature", "expired", "not-yet-valid",
    "audience-mismatch", "unauthorized", "revoked",
  ]);
});

test("every package, interface, world, type, field, case and function in wit/ has a /// doc", () => {
  const lines = witSource.split("\n").map((l) => l.trim());
  const undocumented = [];
  let previous = "";
  let inEnum = false;
  for (const [i, line] of lines.entries()) {
    if (!line) continue;
    const item =
      /^(package|interface|world|enum|record|resource|variant|flags|type)\s/.test(line) ||
      /^constructor\(/.test(line) ||
      /^[a-z][a-z0-9-]*\s*:/.test(line) || // a field or a function
      (inEnum && /^[a-z][a-z0-9-]*,?$/.test(line)); // an enum case
    if (item && !previous.startsWith("///")) undocumented.push(`wit/svidkit.wit:${i + 1}: ${line}`);
    if (/^enum\s/.test(line)) inEnum = true;
    if (line.startsWith("}")) inEnum = false;
    previous = line;
  }
  assert.deepEqual(undocumented, []);
});

test("the README section shows the example code the example tests run", () => {
  const readme = read("README.md");
  for (const example of ["hosts/wasmtime/examples/verify_jwt.rs", "tests/component/example.mjs"]) {
    assert.ok(readme.includes(read(example).trim()), `README.md must include ${example} verbatim`);
  }
});
