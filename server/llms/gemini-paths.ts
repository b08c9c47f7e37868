import path from "node:path";
import { getConfig } from "../config";

/** `geminiPath` names a program the gateway runs, so only the operator's list is allowed. */
export function isAllowedGeminiPath(geminiPath: string): boolean {
  return path.isAbsolute(geminiPath) && getConfig().geminiPaths.includes(geminiPath);
}
