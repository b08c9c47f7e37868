import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { buildIsStale, ROOT } from "./build-info.mjs";

// `npm test`: type-check, build if needed, unit + integration tests (vitest), then the browser tests.
process.env.NEXT_TELEMETRY_DISABLED = "1";

function run(label, command, args, options = {}) {
  console.log(`\n▶ ${label}`);
  const result = spawnSync(command, args, { cwd: ROOT, stdio: "inherit", ...options });
  if (result.status !== 0) {
    console.error(`✖ ${label} failed`);
    process.exit(result.status ?? 1);
  }
}

function findChromium() {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter(Boolean);
  return candidates.find((candidate) => fs.existsSync(candidate)) ?? null;
}

function ensureChromium() {
  let chromium = findChromium();
  if (chromium) return chromium;
  if (process.getuid?.() === 0) {
    run("installing Debian chromium for the browser tests", "bash", [
      "-c",
      "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium",
    ]);
    chromium = findChromium();
    if (chromium) return chromium;
  }
  console.error("Browser tests need Chromium: run `sudo apt-get install -y chromium` (or set CHROMIUM_PATH) and re-run npm test.");
  process.exit(1);
}

function ensurePostgres() {
  const root = "/usr/lib/postgresql";
  const installed = () => fs.existsSync(root) && fs.readdirSync(root).some((version) => fs.existsSync(path.join(root, version, "bin", "pg_ctl")));
  if (installed()) return;
  if (process.getuid?.() === 0) {
    run("installing Debian postgresql for the PostgreSQL tests", "bash", [
      "-c",
      "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql",
    ]);
    if (installed()) return;
  }
  console.error("The PostgreSQL tests need PostgreSQL 15+: run `sudo apt-get install -y postgresql` and re-run npm test.");
  process.exit(1);
}

const hasBrowserTests = fs.existsSync(path.join(ROOT, "e2e")) && fs.readdirSync(path.join(ROOT, "e2e")).some((file) => file.endsWith(".spec.ts"));
const chromium = hasBrowserTests ? ensureChromium() : null;

run("type-check", process.execPath, [path.join(ROOT, "node_modules/typescript/bin/tsc"), "--noEmit", "-p", ROOT]);
// Lint rules and formatting (biome.json); `npx biome check --write .` fixes what it can.
run("lint and format", path.join(ROOT, "node_modules/@biomejs/biome/bin/biome"), ["ci", "--colors=off", ROOT]);
if (buildIsStale()) run("build", process.execPath, [path.join(ROOT, "scripts/build.mjs")]);
run("unit and integration tests (SQLite)", process.execPath, [path.join(ROOT, "node_modules/vitest/vitest.mjs"), "run"]);
// The same integration suites on PostgreSQL: the harness starts its own server (tests/helpers/postgres-cluster.ts).
ensurePostgres();
run("integration tests (PostgreSQL)", process.execPath, [path.join(ROOT, "node_modules/vitest/vitest.mjs"), "run"], {
  env: { ...process.env, GATEWAY_TEST_ENGINE: "postgres" },
});
if (hasBrowserTests) {
  run("browser tests", process.execPath, [path.join(ROOT, "node_modules/@playwright/test/cli.js"), "test"], {
    env: { ...process.env, CHROMIUM_PATH: chromium },
  });
}
console.log("\n✔ all tests passed");
