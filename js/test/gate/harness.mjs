// A minimal case runner for the gate suites: runs cases in order, prints each failure (and, with
// VERBOSE=1, each pass), then "<suite>: N passed, M failed"; done() exits 1 on any failure.
import assert from "node:assert/strict";

export { assert };

export function suite(name) {
  let passed = 0;
  const failures = [];
  return {
    async case(title, fn) {
      try {
        await fn();
        passed++;
        if (process.env.VERBOSE) console.log(`ok   ${title}`);
      } catch (e) {
        failures.push(title);
        console.log(`FAIL ${title}\n     ${String((e && e.stack) || e).split("\n").slice(0, 6).join("\n     ")}`);
      }
    },
    /** Records a failure that happened outside a case (the server did not start, …). */
    fail(title, error) {
      failures.push(title);
      console.log(`FAIL ${title}\n     ${String((error && error.stack) || error)}`);
    },
    get failed() {
      return failures.length;
    },
    done() {
      console.log(`${name}: ${passed} passed, ${failures.length} failed`);
      process.exit(failures.length === 0 && passed > 0 ? 0 : 1);
    },
  };
}
