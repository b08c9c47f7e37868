import path from "node:path";

/** `geminiPath` names a program the gateway runs, so only the operator's list (GATEWAY_GEMINI_PATHS) is allowed. */
export function isAllowedGeminiPath(geminiPath: string, allowed: readonly string[]): boolean {
  return path.isAbsolute(geminiPath) && allowed.includes(geminiPath);
}
