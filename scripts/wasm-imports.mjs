// Lists a WebAssembly module's imports; with --expect-none, fails if there are any.
import { readFileSync } from "node:fs";

const args = process.argv.slice(2);
const expectNone = args.includes("--expect-none");
const file = args.filter((a) => !a.startsWith("--"))[0];
const module = new WebAssembly.Module(readFileSync(file));
const imports = WebAssembly.Module.imports(module);
for (const i of imports) console.log(`import ${i.module}.${i.name} (${i.kind})`);
console.log(`${file}: ${imports.length} imports, ${WebAssembly.Module.exports(module).length} exports`);
if (expectNone && imports.length > 0) {
  console.error("expected no imports");
  process.exit(1);
}
