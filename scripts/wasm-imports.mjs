// Lists a WebAssembly module's imports; with --expect-none, fails if there are any.
// With --allow-own-resources, the component model's built-ins for the module's own exported
// resources (`[export]<interface>.[resource-new|rep|drop]<name>`) don't count: `component new`
// wires them to canonical built-ins, not to anything of the host's.
import { readFileSync } from "node:fs";

const args = process.argv.slice(2);
const expectNone = args.includes("--expect-none");
const allowOwnResources = args.includes("--allow-own-resources");
const file = args.filter((a) => !a.startsWith("--"))[0];
const module = new WebAssembly.Module(readFileSync(file));
const imports = WebAssembly.Module.imports(module);
const ownResource = (i) => i.module.startsWith("[export]") && /^\[resource-(new|rep|drop)\]/.test(i.name);
const counted = imports.filter((i) => !(allowOwnResources && ownResource(i)));
for (const i of imports) console.log(`import ${i.module}.${i.name} (${i.kind})${counted.includes(i) ? "" : " — own resource built-in"}`);
console.log(`${file}: ${imports.length} imports (${counted.length} from the host), ${WebAssembly.Module.exports(module).length} exports`);
if (expectNone && counted.length > 0) {
  console.error("expected no imports from the host");
  process.exit(1);
}
