// Bundles TypeScript modules of the gateway on the fly (esbuild), so scripts call the real code.
import fs from "node:fs";
import path from "node:path";
import { build } from "esbuild";

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");

/** `exports` is the body of an ES module re-exporting from paths relative to the repository root. */
export async function importServer(exports) {
  // Inside the repository (.tmp/ is ignored) so the bundle resolves node_modules.
  fs.mkdirSync(path.join(ROOT, ".tmp"), { recursive: true });
  const dir = fs.mkdtempSync(path.join(ROOT, ".tmp", "bundle-"));
  const outfile = path.join(dir, "bundle.mjs");
  await build({
    stdin: { contents: exports, resolveDir: ROOT, loader: "ts" },
    bundle: true,
    platform: "node",
    format: "esm",
    packages: "external",
    outfile,
    logLevel: "warning",
  });
  const module = await import(outfile);
  fs.rmSync(dir, { recursive: true, force: true });
  return module;
}
