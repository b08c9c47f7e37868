import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { REPO_ROOT } from "./paths";

const LOCK = path.join(REPO_ROOT, "dist", ".build-lock");

/**
 * Integration tests run against the production build; the first test file to get here builds it
 * when sources changed, the others wait for that build (test files run in parallel).
 */
export async function ensureBuilt(): Promise<void> {
  const { buildIsStale } = (await import(path.join(REPO_ROOT, "scripts/build-info.mjs"))) as { buildIsStale: () => boolean };
  fs.mkdirSync(path.dirname(LOCK), { recursive: true });
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  try {
    if (buildIsStale()) {
      const result = spawnSync(process.execPath, [path.join(REPO_ROOT, "scripts/build.mjs")], { cwd: REPO_ROOT, stdio: "inherit" });
      if (result.status !== 0) throw new Error("build failed");
    }
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
}
