// Types of `svidkit/web`: the same API, initialised by the caller.
export * from "./index.js";

export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;

/** Fetches (or takes) and instantiates the module; by default `svidkit_bg.wasm` next to this file. */
export default function init(
  moduleOrPath?: { module_or_path: InitInput | Promise<InitInput> },
): Promise<unknown>;

/** Instantiates the module synchronously from bytes or a compiled WebAssembly.Module. */
export function initSync(module: { module: BufferSource | WebAssembly.Module }): unknown;
