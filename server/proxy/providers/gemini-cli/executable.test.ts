import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { resolveGeminiCommand } from "./executable";

function installedBin(): string | null {
  try {
    const manifestPath = createRequire(import.meta.url).resolve("@google/gemini-cli/package.json");
    const manifest = createRequire(import.meta.url)(manifestPath) as { bin: Record<string, string> };
    return path.resolve(path.dirname(manifestPath), manifest.bin.gemini!);
  } catch {
    return null;
  }
}

describe("resolveGeminiCommand", () => {
  it("runs the Llm's geminiPath as it is when GATEWAY_GEMINI_PATHS lists it, and refuses it otherwise", async () => {
    const allowed = ["/opt/gemini/bin/gemini"];
    expect(resolveGeminiCommand("/opt/gemini/bin/gemini", allowed)).toEqual({ command: "/opt/gemini/bin/gemini", leadingArgs: [] });
    expect(() => resolveGeminiCommand("/bin/sh", allowed)).toThrow("not listed in GATEWAY_GEMINI_PATHS");
  });

  it("defaults to the installed package's bin run by this node, else `gemini` on PATH", async () => {
    const bin = installedBin();
    const expected = bin ? { command: process.execPath, leadingArgs: [bin] } : { command: "gemini", leadingArgs: [] };
    expect(resolveGeminiCommand(null, [])).toEqual(expected);
  });
});
