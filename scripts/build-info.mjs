import fs from "node:fs";
import path from "node:path";

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const SOURCE_DIRS = ["app", "server", "db", "public"];
const SOURCE_FILES = ["package.json", "next.config.mjs", "instrumentation.ts", "postcss.config.mjs", "tsconfig.json"];
export const STAMP = path.join(ROOT, "dist", "build-stamp");

export function newestMtime(target) {
  if (!fs.existsSync(target)) return 0;
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of fs.readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

/** True when there is no build or a source file changed since the last one. */
export function buildIsStale() {
  if (!fs.existsSync(STAMP) || !fs.existsSync(path.join(ROOT, ".next", "BUILD_ID"))) return true;
  const built = fs.statSync(STAMP).mtimeMs;
  const sources = Math.max(...SOURCE_DIRS.map((dir) => newestMtime(path.join(ROOT, dir))), ...SOURCE_FILES.map((file) => newestMtime(path.join(ROOT, file))));
  return sources > built;
}
