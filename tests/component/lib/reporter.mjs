// A node:test reporter for the component tests: prints what a test printed, every failing test with
// its error, and ends with one line `N passed, M failed` (`, K skipped` when some were).
//
// usage: node --test --test-reporter=./tests/component/lib/reporter.mjs tests/component/*.test.mjs
import { relative } from "node:path";

const where = (data) => (data.file ? `${relative(process.cwd(), data.file)}: ` : "");

/** The failure's message: its first line, then up to 30 more, indented. */
function describe(error) {
  const cause = error?.cause ?? error;
  if (!cause) return "failed";
  const text = typeof cause === "object" && "message" in cause ? String(cause.message) : String(cause);
  const [first, ...rest] = text.trimEnd().split("\n");
  const more = rest.slice(0, 30).map((l) => `\n    ${l}`).join("");
  return first + more + (rest.length > 30 ? "\n    ..." : "");
}

export default async function* reporter(source) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for await (const event of source) {
    const { type, data } = event;
    switch (type) {
      case "test:stdout":
      case "test:stderr":
        yield data.message;
        break;
      case "test:pass":
        if (data.details?.type === "suite") break;
        if (data.skip || data.todo) skipped++;
        else passed++;
        break;
      case "test:fail":
        if (data.details?.type === "suite" && data.details?.error?.failureType === "subtestsFailed") break;
        failed++;
        yield `FAIL ${where(data)}${data.name}: ${describe(data.details?.error)}\n`;
        break;
      default:
        break;
    }
  }
  yield `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}\n`;
}
