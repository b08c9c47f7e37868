import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

export interface GeminiCommand {
  command: string;
  /** Arguments before the CLI's own (the script path when the package's bin is run with node). */
  leadingArgs: string[];
}

// A variable, so bundlers do not try to resolve an optional package at build time.
const CLI_PACKAGE = "@google/gemini-cli";
let installedCommand: GeminiCommand | null | undefined;

/** The Llm's `geminiPath`, else the installed npm package's bin (run with this node), else `gemini` on PATH. */
export function resolveGeminiCommand(geminiPath: string | null): GeminiCommand {
  if (geminiPath) return { command: geminiPath, leadingArgs: [] };
  installedCommand ??= findInstalledPackage();
  return installedCommand ?? { command: "gemini", leadingArgs: [] };
}

function findInstalledPackage(): GeminiCommand | null {
  try {
    const manifestPath = createRequire(import.meta.url).resolve(`${CLI_PACKAGE}/package.json`);
    const manifest = JSON.parse(fs.readFileSync(manifestPath, "utf8")) as { bin?: string | Record<string, string> };
    const bin = typeof manifest.bin === "string" ? manifest.bin : manifest.bin?.gemini;
    if (!bin) return null;
    return { command: process.execPath, leadingArgs: [path.resolve(path.dirname(manifestPath), bin)] };
  } catch {
    return null;
  }
}
