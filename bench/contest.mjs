// The measuring loop of `make bench`, with nothing runtime-specific in it: bench/run.mjs runs it in
// Node, bench/edge.mjs in Deno and inside workerd. It only reads `performance.now()` (workerd's
// counts whole milliseconds, so its samples are made longer).

export const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/**
 * Measures one operation's contenders side by side: after a warm-up of each, `samples` rounds in
 * which every contender runs one batch of about `sampleMs`, the order rotating from round to
 * round. Interleaved so that the ratios hold on a shared machine: measured one after the other, a
 * few busy seconds on the host land on one contender only (jose's two ES256 rows, which differ by
 * one lookup, came out 10 % apart in the same run). Returns each contender's median µs per call.
 * A contender is [name, fn, extra]; `extra.async` awaits each call, the rest of `extra` is passed
 * on with the result.
 */
export async function contest(contenders, { samples, sampleMs, warmupMs }) {
  const runs = [];
  for (const [name, fn, extra = {}] of contenders) {
    let count = 0;
    const warmEnd = performance.now() + warmupMs;
    while (performance.now() < warmEnd || count < 2) {
      if (extra.async) await fn();
      else fn();
      count++;
    }
    runs.push({ name, fn, extra, batch: Math.max(1, Math.round((sampleMs * count) / warmupMs)), times: [] });
  }
  for (let s = 0; s < samples; s++) {
    for (let k = 0; k < runs.length; k++) {
      const r = runs[(s + k) % runs.length];
      const { fn, batch } = r;
      const t0 = performance.now();
      if (r.extra.async) for (let i = 0; i < batch; i++) await fn();
      else for (let i = 0; i < batch; i++) fn();
      r.times.push(((performance.now() - t0) * 1000) / batch);
    }
  }
  return runs.map(({ name, extra, times }) => {
    const { async: _, ...rest } = extra;
    return { name, us: median(times), extra: rest };
  });
}
