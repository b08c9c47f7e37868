import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { build } from "esbuild";
import { ROOT, STAMP } from "./build-info.mjs";

// The console through Next; the lean server, its console process and the CLI bundled on their own.
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
const next = spawnSync(process.execPath, [path.join(ROOT, "node_modules/next/dist/bin/next"), "build"], { cwd: ROOT, stdio: "inherit", env });
if (next.status !== 0) process.exit(next.status ?? 1);

await build({
  entryPoints: { server: "server/http/main.ts", console: "server/http/console-main.ts", cli: "server/cli/main.ts" },
  outdir: path.join(ROOT, "dist"),
  outExtension: { ".js": ".mjs" },
  absWorkingDir: ROOT,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  sourcemap: true,
  logLevel: "warning",
});
fs.writeFileSync(STAMP, `${new Date().toISOString()}\n`);
console.log("Built .next/ and dist/");
