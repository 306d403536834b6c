// Reading the WIT text that `component wit` prints for a component.

/** The `import` lines of the world(s) in WIT text, trimmed; empty when the component imports nothing. */
export function witImports(wit) {
  return wit
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => /^import\s/.test(line));
}

/** The `export` lines of the world(s) in WIT text, trimmed. */
export function witExports(wit) {
  return wit
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => /^export\s/.test(line));
}
