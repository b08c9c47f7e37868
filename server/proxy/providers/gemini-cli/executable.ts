import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { AppError } from "../../../errors";
import { isAllowedGeminiPath } from "../../../llms/gemini-paths";

export interface GeminiCommand {
  command: string;
  /** Arguments before the CLI's own (the script path when the package's bin is run with node). */
  leadingArgs: string[];
}

const CLI_PACKAGE = "@google/gemini-cli";
let installedCommand: GeminiCommand | null | undefined;

/** The Llm's `geminiPath`, else the installed npm package's bin (run with this node), else `gemini` on PATH. */
export function resolveGeminiCommand(geminiPath: string | null, allowed: readonly string[]): GeminiCommand {
  if (geminiPath) {
    // Checked again here: a row written before the allowlist changed must not run.
    if (!isAllowedGeminiPath(geminiPath, allowed)) throw new AppError("internal", "This llm's geminiPath is not listed in GATEWAY_GEMINI_PATHS");
    return { command: geminiPath, leadingArgs: [] };
  }
  installedCommand ??= findInstalledPackage(CLI_PACKAGE);
  return installedCommand ?? { command: "gemini", leadingArgs: [] };
}

// Next's bundler resolves require.resolve() at build time and warns when this optional package is
// absent; `turbopackIgnore` leaves the lookup to run time, where a miss falls back to PATH.
function findInstalledPackage(packageName: string): GeminiCommand | null {
  try {
    const manifestPath = createRequire(import.meta.url).resolve(/* turbopackIgnore: true */ `${packageName}/package.json`);
    const manifest = JSON.parse(fs.readFileSync(manifestPath, "utf8")) as { bin?: string | Record<string, string> };
    const bin = typeof manifest.bin === "string" ? manifest.bin : manifest.bin?.gemini;
    if (!bin) return null;
    return { command: process.execPath, leadingArgs: [path.resolve(path.dirname(manifestPath), bin)] };
  } catch {
    return null;
  }
}
