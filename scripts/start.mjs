import { spawnSync } from "node:child_process";
import path from "node:path";
import { buildIsStale, ROOT } from "./build-info.mjs";

process.env.NEXT_TELEMETRY_DISABLED ??= "1";
process.env.GATEWAY_APP_ROOT ??= ROOT;
if (buildIsStale()) {
  console.log("Building LLM Gateway (first start or sources changed; about a minute)…");
  // The build's own output matters only when it fails.
  const result = spawnSync(process.execPath, [path.join(ROOT, "scripts/build.mjs")], { cwd: ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) {
    process.stderr.write(`${result.stdout ?? ""}${result.stderr ?? ""}`);
    console.error("The build failed; its output is above.");
    process.exit(result.status ?? 1);
  }
}
process.env.NODE_ENV = "production";
await import(path.join(ROOT, "dist/server.mjs"));
