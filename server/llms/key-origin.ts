import type { Provider } from "./providers";
import { DEFAULT_URLS } from "./schemas";

/** The gemini-cli provider hands its key to the Gemini CLI, which sends it to Google's API. */
export const GEMINI_API_ORIGIN = "https://generativelanguage.googleapis.com";

/** The origin (`scheme://host[:port]`) an Llm sends its key to ("" for a route, which sends none). */
export function keyOrigin(provider: Provider, url: string | null): string {
  if (provider === "route") return "";
  if (provider === "gemini-cli") return GEMINI_API_ORIGIN;
  return new URL(url ?? DEFAULT_URLS[provider] ?? "").origin;
}
