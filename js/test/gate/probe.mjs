// Runs in every runtime (Node, Deno, Chromium): imports "svidkit" and "svidkit/gate" by name, builds
// the gate on a BundleSet made with the application's own "svidkit" import (so both names must
// resolve to one module instance), and returns the decisions for a few requests.
import { BundleSet } from "svidkit";
import { createGate } from "svidkit/gate";

export async function probe({ bundles, audience, traffic, energyB64 }) {
  const gate = createGate({
    bundles: BundleSet.from(bundles),
    audience,
    sources: ["bearer", "client-cert"],
    routes: [{ path: "/traffic/*", allow: ["spiffe://city.gov/traffic-agent/*"] }],
  });
  const ask = async (path, headers) => {
    const d = await gate(new Request(`https://gate.test${path}`, { headers }));
    return [d.status, d.code ?? null, d.spiffeId ?? null, d.source ?? null];
  };
  return {
    resolved: { svidkit: import.meta.resolve("svidkit"), gate: import.meta.resolve("svidkit/gate") },
    decisions: [
      await ask("/traffic/a", { authorization: `Bearer ${traffic}` }),
      await ask("/energy/a", { authorization: `Bearer ${traffic}` }),
      await ask("/traffic/a", { "client-cert": `:${energyB64}:` }),
      await ask("/traffic/a", { "client-cert": energyB64 }),
      await ask("/traffic/a", {}),
    ],
  };
}

export const EXPECTED = [
  [200, null, "spiffe://city.gov/traffic-agent/north-1", "bearer"],
  [403, "unauthorized", "spiffe://city.gov/traffic-agent/north-1", "bearer"],
  [403, "unauthorized", "spiffe://city.gov/energy-agent/grid-7", "client-cert"],
  [401, "malformed", null, "client-cert"],
  [401, "no-credential", null, null],
];
