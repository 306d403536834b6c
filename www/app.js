// The SVID inspector: routes what the user gives it (paste, files, drops, samples, share links) to
// svidkit and shows what the core's `inspect` reports. It never decides trust itself.

import { BundleSet, detect, inspect, inspectBundle, SvidError } from "svidkit";
import { append, bytesToB64, duration, fromLocalInput, h, relative, toLocalInput, utc, zoneLabel } from "./format.js";
import { decodeState, encodeState } from "./share.js";
import { bundleDetails, bundleSummary, kindName, renderChecklist, renderDecoded, renderVerdict } from "./view.js";

const $ = (id) => document.getElementById(id);

/** Everything the page shows is a function of this (plus the clock while `asOf` is null). */
const state = {
  svid: "", // the paste area's text: the SVID under inspection
  forceSvid: false, // inspect PEM CA certificates as an SVID anyway
  bundles: [], // [{id, trustDomain, kind: "bundle" | "pem", text, name}]
  asOf: null, // Unix seconds, or null = follow the clock
  skew: 0,
  audience: "",
  allow: "",
  sample: null, // id of the sample the inputs came from
};

let samples = null; // samples.json
let nextId = 1;
const openDetails = new Set(); // bundle entries whose details are expanded
let lastAnnounced = "";

const SVID_KINDS = new Set(["x509-svid", "jwt-svid", "base64-der"]);
const BUNDLE_KINDS = new Set(["bundle", "pem-authorities"]);

function now() {
  return state.asOf ?? Math.floor(Date.now() / 1000);
}

function message(text, kind = "info", actions = []) {
  const box = $("input-message");
  box.replaceChildren();
  if (!text) return;
  box.append(h("p", { class: `notice ${kind}` }, text, actions.length ? " " : null, actions));
}

// ---------------------------------------------------------------------------------------------
// Bundles

function pemAuthorities(text) {
  // The core decodes the certificates (inspect reports every presented certificate's fields).
  const report = inspect(text, new BundleSet(), { now: now() });
  return (report.certificates ?? []).map((c) => ({ ...c, role: "authority" }));
}

/** Guesses the trust domain of a bundle document or PEM authorities from their SPIFFE IDs. */
function guessTrustDomain(kind, text, fileName) {
  let td = null;
  try {
    if (kind === "bundle") {
      const info = inspectBundle(text);
      if (info.trustDomain && info.trustDomain !== "unknown") td = info.trustDomain;
    } else {
      const id = pemAuthorities(text).find((c) => c.spiffeId)?.spiffeId;
      if (id) td = id.slice("spiffe://".length).split("/")[0];
    }
  } catch {
    // The entry shows the error once added.
  }
  if (!td && fileName) {
    const base = fileName.replace(/\.(json|jwks|pem|crt|cer|bundle)$/i, "").replace(/[-_.]?bundle$/i, "");
    if (/^[a-z0-9._-]+$/.test(base) && base.includes(".")) td = base;
  }
  return td ?? "";
}

function addBundle(text, kind, name, trustDomain) {
  const td = trustDomain ?? guessTrustDomain(kind === "pem-authorities" ? "pem" : "bundle", text, name);
  const entry = { id: nextId++, trustDomain: td, kind: kind === "pem-authorities" || kind === "pem" ? "pem" : "bundle", text, name };
  // A second SPIFFE bundle for a trust domain replaces the first (as BundleSet.add does).
  const replaced = entry.kind === "bundle" && td ? state.bundles.findIndex((b) => b.kind === "bundle" && b.trustDomain === td) : -1;
  if (replaced >= 0) state.bundles.splice(replaced, 1, entry);
  else state.bundles.push(entry);
  openDetails.add(entry.id);
  return { entry, replaced: replaced >= 0 };
}

/** Builds the BundleSet from the entries; returns it with each entry's decoded info or error. */
function buildBundles() {
  const set = new BundleSet();
  const results = new Map();
  // SPIFFE bundles first (each replaces its trust domain's), then PEM authorities (which add).
  const ordered = [...state.bundles].sort((a, b) => (a.kind === "pem") - (b.kind === "pem"));
  const seen = new Map();
  for (const e of ordered) {
    const r = {};
    results.set(e.id, r);
    if (!e.trustDomain) {
      r.error = { code: "trust domain needed", message: "Type the trust domain this bundle belongs to." };
      continue;
    }
    try {
      if (e.kind === "pem") set.addPem(e.trustDomain, e.text);
      else set.add(e.trustDomain, e.text);
      if (e.kind === "bundle") {
        if (seen.has(e.trustDomain)) results.get(seen.get(e.trustDomain)).superseded = true;
        seen.set(e.trustDomain, e.id);
        r.info = inspectBundle(e.text, e.trustDomain);
      } else {
        r.info = { trustDomain: e.trustDomain, x509Authorities: pemAuthorities(e.text), jwtAuthorities: [], refreshHint: null, sequence: null };
      }
    } catch (err) {
      r.error = err;
    }
  }
  return { set, results };
}

function renderBundles(results) {
  const ul = $("bundle-list");
  ul.replaceChildren();
  $("bundles-empty").hidden = state.bundles.length > 0;
  const valid = state.bundles.filter((b) => results.get(b.id)?.info && !results.get(b.id)?.superseded);
  const domains = [...new Set(valid.map((b) => b.trustDomain))];
  $("bundle-count").textContent = domains.length ? `· ${domains.join(", ")}` : "";
  for (const e of state.bundles) {
    const r = results.get(e.id) ?? {};
    const tdId = `bundle-td-${e.id}`;
    const details = h(
      "details",
      { open: openDetails.has(e.id), ontoggle: (ev) => (ev.target.open ? openDetails.add(e.id) : openDetails.delete(e.id)) },
      h("summary", { id: `bundle-sum-${e.id}` }, e.kind === "pem" ? "CA certificates" : "Authorities and keys"),
      r.info ? bundleDetails(r.info, now(), `bundle-${e.id}`) : null,
    );
    ul.append(
      h(
        "li",
        { class: `bundle${r.error ? " invalid" : ""}`, dataset: { td: e.trustDomain } },
        h(
          "div",
          { class: "bundle-head" },
          h("label", { for: tdId }, "Trust domain"),
          h("input", {
            id: tdId,
            type: "text",
            value: e.trustDomain,
            spellcheck: "false",
            autocomplete: "off",
            placeholder: "e.g. city.gov",
            "aria-invalid": r.error && !e.trustDomain ? "true" : null,
            onchange: (ev) => {
              e.trustDomain = ev.target.value;
              update();
            },
          }),
          h("button", { type: "button", class: "remove", id: `bundle-rm-${e.id}`, "aria-label": `Remove the ${e.kind === "pem" ? "CA certificates" : "bundle"} of ${e.trustDomain || "this entry"}`, onclick: () => removeBundle(e) }, "Remove"),
        ),
        h("p", { class: "bundle-source muted" }, `${e.kind === "pem" ? "PEM CA certificates" : "SPIFFE bundle"} · ${e.name}`),
        r.error
          ? h("p", { class: "notice error" }, h("code", {}, r.error.code ?? "error"), " ", r.error.message ?? String(r.error))
          : h("p", { class: "bundle-summary" }, bundleSummary(r.info)),
        r.superseded ? h("p", { class: "notice warn" }, "Replaced by a later bundle of the same trust domain; not used.") : null,
        r.info ? details : null,
      ),
    );
  }
}

function removeBundle(entry) {
  const i = state.bundles.indexOf(entry);
  state.bundles.splice(i, 1);
  update();
  message(`Removed the ${entry.kind === "pem" ? "CA certificates" : "bundle"} of ${entry.trustDomain || "an unnamed trust domain"}.`);
  // Keep keyboard focus in the list.
  const next = state.bundles[i] ?? state.bundles[i - 1];
  (next ? $(`bundle-rm-${next.id}`) : $("paste")).focus();
}

function loadSampleBundles(replace = true) {
  if (!samples) return;
  if (replace) state.bundles = [];
  for (const td of samples.trustDomains) addBundle(samples.bundles[td], "bundle", "smart-city sample", td);
  for (const b of state.bundles) openDetails.delete(b.id);
}

// ---------------------------------------------------------------------------------------------
// Input routing

/** Text that arrived whole (pasted, dropped, opened): a bundle goes to the bundles, else it is the SVID. */
function routeText(text, name) {
  const kind = detect(text);
  if (BUNDLE_KINDS.has(kind)) {
    const { entry, replaced } = addBundle(text, kind, name);
    const what = kind === "bundle" ? "SPIFFE bundle" : "CA certificates";
    update();
    const undo = kind === "pem-authorities"
      ? [h("button", { type: "button", class: "link", onclick: () => inspectAsSvid(entry) }, "Inspect them as an SVID instead")]
      : [];
    if (entry.trustDomain) message(`${replaced ? "Replaced" : "Added"} the ${what} of ${entry.trustDomain} (${name}).`, "info", undo);
    else {
      message(`Added the ${what} from ${name}: type its trust domain below.`, "warn", undo);
      $(`bundle-td-${entry.id}`)?.focus();
    }
    return "bundle";
  }
  setSvid(text);
  message(kind === "unknown" ? `${name}: not recognised as an SVID or a bundle.` : `${kindName(kind)} from ${name}.`, kind === "unknown" ? "warn" : "info");
  return "svid";
}

function inspectAsSvid(entry) {
  state.bundles.splice(state.bundles.indexOf(entry), 1);
  setSvid(entry.text, true);
  message("Inspecting the certificates as an SVID.");
  $("paste").focus();
}

function setSvid(text, force = false) {
  state.svid = text;
  state.forceSvid = force;
  state.sample = null;
  $("paste").value = text;
  update();
}

async function readFile(file) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    // Text files are taken as they are; a DER file (binary) becomes one base64 chain element.
    if (!/[\u0000-\u0008\u000e-\u001f]/.test(text)) return text;
  } catch {
    // not UTF-8: binary
  }
  return bytesToB64(bytes);
}

async function openFiles(files) {
  const list = [...files];
  const routed = [];
  for (const f of list) {
    try {
      routed.push(routeText(await readFile(f), f.name));
    } catch (err) {
      message(`Could not read ${f.name}: ${err.message}`, "error");
    }
  }
  if (list.length > 1) {
    const b = routed.filter((r) => r === "bundle").length;
    message(`Opened ${list.length} files: ${b} trust bundle${b === 1 ? "" : "s"}, ${routed.length - b} SVID${routed.length - b === 1 ? "" : "s"}.`);
  }
}

// ---------------------------------------------------------------------------------------------
// Inspection

function splitList(text) {
  return text.split(/[\s,]+/).filter(Boolean);
}

function policy() {
  const allow = state.allow.split("\n").map((l) => l.trim()).filter(Boolean);
  return allow.length ? { allow } : undefined;
}

/** What to hand to inspect for the current paste-area text: {kind, input} or null. */
function currentInput() {
  const text = state.svid;
  if (!text.trim()) return null;
  let kind = detect(text);
  let input = text;
  if (kind === "pem-authorities" && state.forceSvid) kind = "x509-svid";
  if (kind === "unknown") {
    // Several base64 certificates, one per line: a chain given as base64 elements.
    const lines = text.trim().split(/\s+/);
    // (A DER certificate is hundreds of bytes, so each element is a long base64 line.)
    if (lines.length > 1 && lines.every((l) => l.length >= 64 && l.length % 4 === 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(l))) {
      kind = "base64-der";
      input = lines;
    }
  }
  return { kind, input };
}

function runInspect(current, bundles) {
  const opts = { now: now(), skew: state.skew };
  const p = policy();
  if (p) opts.policy = p;
  if (current.kind !== "jwt-svid") return { report: inspect(current.input, bundles, opts) };
  const audience = splitList(state.audience);
  if (audience.length) return { report: inspect(current.input, bundles, { ...opts, audience }) };
  // No audience yet: the core still decodes the token and checks every rule before the audience
  // (which fails without one); only that last failure waits for the user's input.
  const report = inspect(current.input, bundles, opts);
  return { report, needsAudience: report.verdict.code === "audience-mismatch" };
}

function announce(text) {
  if (text !== lastAnnounced) {
    lastAnnounced = text;
    $("announce").textContent = text;
  }
}

function update() {
  const focusId = document.activeElement?.id;
  const t = now();
  const { set, results } = buildBundles();
  renderBundles(results);
  renderTime();

  const current = currentInput();
  // PEM keeps its 64-column lines; tokens and base64 wrap.
  $("paste").classList.toggle("pem", state.svid.includes("-----BEGIN"));
  const detected = $("detected");
  const checks = $("checks-section");
  const decoded = $("decoded-section");
  const sample = samples?.samples.find((s) => s.id === state.sample);
  $("sample-story").hidden = !sample;
  if (sample) $("sample-story").replaceChildren(h("strong", {}, `Sample · ${sample.title}. `), sample.story);
  for (const b of document.querySelectorAll("#gallery .sample")) b.setAttribute("aria-pressed", String(b.dataset.sample === state.sample));

  let report = null;
  const ctx = { now: t };
  if (!current) {
    detected.textContent = "Nothing to inspect yet.";
    ctx.idle = "Pick a sample or paste an SVID.";
  } else if (BUNDLE_KINDS.has(current.kind)) {
    detected.replaceChildren();
    append(detected, [`Detected: ${kindName(current.kind)}. `,
      h("button", { type: "button", id: "move-to-bundles", onclick: () => { const text = state.svid; setSvid(""); routeText(text, "the paste area"); } }, "Add to trust bundles"),
      current.kind === "pem-authorities"
        ? h("button", { type: "button", id: "force-svid", onclick: () => { state.forceSvid = true; update(); } }, "Inspect as an SVID")
        : null]);
    ctx.idle = current.kind === "bundle"
      ? "This is a trust bundle, not an SVID: add it to the trust bundles."
      : "These are CA certificates (the first one is a CA): add them to the trust bundles, or inspect them as an SVID.";
  } else if (current.kind === "unknown") {
    detected.textContent = "Detected: not an SVID or a bundle.";
    ctx.error = { code: "unrecognised input", message: "Expected a PEM certificate chain, base64 DER, a JWT-SVID, a SPIFFE bundle (JSON) or PEM CA certificates." };
    ctx.errorTitle = "Not recognised";
  } else {
    const n = Array.isArray(current.input) ? ` (${current.input.length} base64 certificates)` : "";
    detected.textContent = `Detected: ${kindName(current.kind)}${n}.`;
    try {
      const r = runInspect(current, set);
      report = r.report;
      ctx.needsAudience = r.needsAudience;
      ctx.input = typeof current.input === "string" ? current.input : "";
    } catch (err) {
      ctx.error = err instanceof SvidError || err?.code ? err : { code: "error", message: String(err?.message ?? err) };
      const inPolicy = /polic/i.test(ctx.error.message ?? "");
      $("allow").setAttribute("aria-invalid", String(inPolicy));
      ctx.errorTitle = inPolicy ? "The policy is not valid" : "Cannot inspect this input";
    }
  }
  if (!ctx.error) $("allow").removeAttribute("aria-invalid");

  renderVerdict($("verdict"), report, ctx);
  const ws = report && !report.trusted && report.verdict.code === "malformed" && typeof current.input === "string" && current.input !== current.input.trim() && current.kind !== "x509-svid";
  if (ws) {
    $("verdict").append(h("p", { class: "notice warn" }, "The input starts or ends with whitespace, which verifiers reject. ",
      h("button", { type: "button", id: "trim", onclick: () => setSvid(state.svid.trim()) }, "Remove it")));
  }
  checks.hidden = !report;
  decoded.hidden = !report;
  if (report) {
    renderChecklist($("checklist"), $("checks-summary"), report.checks ?? []);
    if (ctx.needsAudience) $("checks-summary").textContent += " · the audience check waits for your expected audience";
    renderDecoded($("decoded"), report, ctx);
  }
  renderScrub(report);
  announce(ctx.error ? `Cannot inspect: ${ctx.error.message}` : !report ? "" : ctx.needsAudience ? "Enter an expected audience" : report.trusted ? "Trusted" : `Not trusted: ${report.verdict.code}`);
  if (focusId && document.activeElement?.id !== focusId) $(focusId)?.focus({ preventScroll: true });
}

// ---------------------------------------------------------------------------------------------
// Time

function renderTime() {
  const t = now();
  const input = $("as-of");
  if (document.activeElement !== input) input.value = toLocalInput(t);
  $("as-of-zone").textContent = `(your time zone, ${zoneLabel(t)})`;
  $("as-of-state").textContent = state.asOf === null ? `Following the clock: ${utc(t)}.` : `Fixed at ${utc(t)} — ${relative(t, Math.floor(Date.now() / 1000)).replace("at this moment", "now")} from now.`;
  $("now").disabled = state.asOf === null;
}

/** The lifetime slider: the leaf's (or token's) validity with a margin on both sides. */
function renderScrub(report) {
  const field = $("scrub-field");
  let from = null;
  let to = null;
  if (report?.kind === "x509-svid" && report.certificates?.length) {
    from = report.certificates[0].notBefore;
    to = report.certificates[0].notAfter;
  } else if (report?.kind === "jwt-svid" && Number.isFinite(report.claims?.exp)) {
    to = report.claims.exp;
    from = Number.isFinite(report.claims.nbf) ? report.claims.nbf : Number.isFinite(report.claims.iat) ? report.claims.iat : to - 3600;
  }
  field.hidden = from === null || !(to > from);
  if (field.hidden) return;
  const pad = Math.max(60, Math.round((to - from) * 0.25));
  const scrub = $("scrub");
  scrub.min = String(from - pad);
  scrub.max = String(to + pad);
  scrub.step = String(Math.max(1, Math.round((to - from + 2 * pad) / 400)));
  if (document.activeElement !== scrub) scrub.value = String(now());
  scrub.setAttribute("aria-valuetext", utc(now()));
  $("scrub-range").textContent = `${utc(from - pad)} to ${utc(to + pad)}: the ${report.kind === "jwt-svid" ? "token's" : "leaf's"} ${duration(to - from)} lifetime with a margin.`;
}


function tick() {
  // While following the clock, relative times and the verdict move with it.
  // Not while a trust-domain field is being edited: re-rendering the list would drop the typing.
  if (document.activeElement?.closest?.("#bundle-list input")) return;
  if (state.asOf === null && !document.hidden) update();
}

// ---------------------------------------------------------------------------------------------
// Samples and sharing

function renderGallery() {
  const gallery = $("gallery");
  gallery.replaceChildren();
  if (!samples) {
    gallery.append(h("p", { class: "notice warn" }, "The samples are not built (samples.json is missing): run make www."));
    return;
  }
  $("samples-intro").append(" ", `Generated ${utc(samples.generatedAt)}; the trusted ones stay valid for a day after that.`);
  const groups = [
    ["trusted", "Trusted"],
    ["fails", "Not trusted"],
  ];
  for (const [group, title] of groups) {
    const items = samples.samples.filter((s) => s.group === group);
    gallery.append(
      h("h3", { id: `gallery-${group}` }, title),
      h(
        "ul",
        { class: "sample-grid", "aria-labelledby": `gallery-${group}` },
        items.map((s) =>
          h(
            "li",
            {},
            h(
              "button",
              { type: "button", class: `sample ${group}`, id: `sample-${s.id}`, dataset: { sample: s.id }, "aria-pressed": "false", title: s.story, onclick: () => loadSample(s) },
              h("span", { class: "sample-title" }, s.title),
              h("span", { class: "sample-meta" }, h("span", { class: "kind" }, kindName(s.kind)), h("span", { class: `expect ${s.expect.trusted ? "good" : "bad"}` }, s.expect.trusted ? "trusted" : s.expect.code)),
            ),
          ),
        ),
      ),
    );
  }
}

function loadSample(s) {
  loadSampleBundles(true);
  state.svid = s.input;
  state.forceSvid = s.kind === "x509-svid";
  state.audience = (s.audience ?? []).join(" ");
  state.allow = (s.policy?.allow ?? []).join("\n");
  state.asOf = null;
  state.skew = 0;
  state.sample = s.id;
  syncControls();
  update();
  message(`Loaded the sample “${s.title}” with the trust bundles of ${samples.trustDomains.join(" and ")}.`);
}

function syncControls() {
  $("paste").value = state.svid;
  $("audience").value = state.audience;
  $("allow").value = state.allow;
  $("skew").value = String(state.skew);
}

async function share() {
  const hash = await encodeState(state);
  history.replaceState(null, "", hash);
  const url = location.href;
  $("share-url").value = url;
  try {
    await navigator.clipboard.writeText(url);
    message("Share link copied to the clipboard.");
  } catch {
    $("share-url").select();
    message("Share link ready: copy it from the field.");
  }
}

async function restoreFromHash() {
  try {
    const restored = await decodeState(location.hash);
    if (!restored) return false;
    Object.assign(state, restored, { forceSvid: restored.svid.includes("-----BEGIN") });
    state.bundles = restored.bundles.map((b) => ({ ...b, id: nextId++ }));
    syncControls();
    $("share-url").value = location.href;
    update();
    message("Restored the inputs from the share link.");
    return true;
  } catch (err) {
    message(`This share link is damaged: ${err.message}`, "error");
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Wiring

function debounce(fn, ms) {
  let t = null;
  return (...args) => {
    clearTimeout(t);
    t = setTimeout(() => fn(...args), ms);
  };
}

function wire() {
  const paste = $("paste");
  const typed = debounce(() => {
    if (state.svid !== paste.value) message("");
    state.svid = paste.value;
    state.forceSvid = false;
    state.sample = null;
    update();
  }, 120);
  paste.addEventListener("input", typed);
  paste.addEventListener("paste", (ev) => {
    const text = ev.clipboardData?.getData("text/plain") ?? "";
    if (!text) return;
    ev.preventDefault();
    const kind = detect(text);
    if (BUNDLE_KINDS.has(kind)) {
      routeText(text, "pasted text");
    } else if (kind !== "unknown") {
      setSvid(text); // a whole SVID replaces what was there
      message(`Pasted a ${kindName(kind)}.`);
    } else {
      paste.setRangeText(text, paste.selectionStart, paste.selectionEnd, "end");
      typed();
    }
  });

  // Files: the button, and drops anywhere on the page (a stray drop must not navigate away).
  $("open-file").addEventListener("click", () => $("file").click());
  $("file").addEventListener("change", async (ev) => {
    await openFiles(ev.target.files);
    ev.target.value = "";
  });
  const zone = $("dropzone");
  let depth = 0;
  window.addEventListener("dragenter", (ev) => {
    ev.preventDefault();
    depth++;
    zone.classList.add("dragging");
  });
  window.addEventListener("dragleave", () => {
    depth = Math.max(0, depth - 1);
    if (!depth) zone.classList.remove("dragging");
  });
  window.addEventListener("dragover", (ev) => ev.preventDefault());
  window.addEventListener("drop", async (ev) => {
    ev.preventDefault();
    depth = 0;
    zone.classList.remove("dragging");
    const dt = ev.dataTransfer;
    if (dt?.files?.length) await openFiles(dt.files);
    else if (dt?.getData("text/plain")) routeText(dt.getData("text/plain"), "dropped text");
  });

  $("clear").addEventListener("click", () => {
    setSvid("");
    message("");
    paste.focus();
  });
  $("load-sample-bundles").addEventListener("click", () => {
    loadSampleBundles(false);
    update();
    message(`Loaded the trust bundles of ${samples?.trustDomains.join(" and ")}.`);
  });

  $("as-of").addEventListener("input", (ev) => {
    const t = fromLocalInput(ev.target.value);
    if (t === null) return;
    state.asOf = t;
    update();
  });
  $("now").addEventListener("click", () => {
    state.asOf = null;
    update();
    $("as-of").focus();
  });
  $("scrub").addEventListener("input", (ev) => {
    state.asOf = Number(ev.target.value);
    update();
  });
  $("skew").addEventListener("input", (ev) => {
    const v = Number(ev.target.value);
    state.skew = Number.isSafeInteger(v) && v >= 0 ? v : 0;
    update();
  });
  const audience = debounce(() => {
    state.audience = $("audience").value;
    update();
  }, 150);
  $("audience").addEventListener("input", audience);
  const allow = debounce(() => {
    state.allow = $("allow").value;
    update();
  }, 150);
  $("allow").addEventListener("input", allow);
  $("share").addEventListener("click", share);
  $("share-url").addEventListener("focus", (ev) => ev.target.select());
  window.addEventListener("hashchange", restoreFromHash);
}

async function main() {
  try {
    const res = await fetch("samples.json", { cache: "no-store" });
    if (res.ok) samples = await res.json();
  } catch {
    samples = null;
  }
  wire();
  renderGallery();
  if (!(await restoreFromHash())) update();
  $("loading").remove();
  document.body.dataset.ready = "true";
  setInterval(tick, 5000);
  document.addEventListener("visibilitychange", tick);
}

main().catch((err) => {
  const el = $("loading");
  el.className = "notice error";
  el.textContent = `The inspector failed to start: ${err?.message ?? err}`;
  throw err;
});

