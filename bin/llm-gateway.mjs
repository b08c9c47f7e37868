#!/usr/bin/env node
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { newestMtime } from "../scripts/build-info.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.env.GATEWAY_APP_ROOT ??= root;
const cli = path.join(root, "dist/cli.mjs");
const builtAt = fs.existsSync(cli) ? fs.statSync(cli).mtimeMs : 0;
if (builtAt < Math.max(newestMtime(path.join(root, "server")), newestMtime(path.join(root, "db")))) {
  // A fresh clone or changed sources: bundle the CLI alone (under a second), not the whole console.
  // Written aside and renamed, so a CLI started at the same moment never imports half a file.
  const { build } = await import("esbuild");
  const pending = `${cli}.${process.pid}.tmp`;
  await build({
    entryPoints: [path.join(root, "server/cli/main.ts")],
    outfile: pending,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    logLevel: "error",
  });
  fs.renameSync(pending, cli);
}
await import(cli);
