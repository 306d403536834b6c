// A static file server for the inspector, bound to 127.0.0.1 only. It serves the built folder and
// nothing else; the page's CSP (and this server's copy of it) keep every request on this origin.
//
//   node www/tools/serve.mjs [--dir www/dist] [--port 8080]
import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { dirname, extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

/** Starts serving `dir`; resolves to {server, url}. Port 0 picks a free one. */
export function serve(dir, port = 8080, host = "127.0.0.1") {
  const root = resolve(dir);
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    let file = normalize(join(root, path));
    if (file !== root && !file.startsWith(root + sep)) {
      res.writeHead(403).end("forbidden");
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    res.writeHead(200, {
      "content-type": TYPES[extname(file)] ?? "application/octet-stream",
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
      "referrer-policy": "no-referrer",
    });
    createReadStream(file).pipe(res);
  });
  return new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(port, host, () => ok({ server, url: `http://${host}:${server.address().port}/` }));
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = (name, fallback) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : fallback;
  };
  const dir = opt("dir", join(dirname(fileURLToPath(import.meta.url)), "..", "dist"));
  if (!existsSync(join(dir, "index.html"))) {
    console.error(`serve: ${dir}/index.html is missing — run make www first`);
    process.exit(1);
  }
  const port = Number(opt("port", process.env.PORT ?? 8080));
  serve(dir, port)
    .then(({ url }) => console.log(`SVID inspector: ${url}  (serving ${resolve(dir)}; Ctrl-C to stop)`))
    .catch((err) => {
      console.error(`serve: ${err.message}${err.code === "EADDRINUSE" ? ` — choose another port: make serve-www PORT=8081` : ""}`);
      process.exit(1);
    });
}
