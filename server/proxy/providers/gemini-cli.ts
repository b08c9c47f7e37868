import { AppError } from "../../errors";
import type { ProviderAdapter } from "./types";

/** The gemini-cli provider runs the Gemini CLI as a subprocess; until it lands, calls are refused clearly. */
export const geminiCliAdapter: ProviderAdapter = {
  async call() {
    throw new AppError("invalid_request", "the gemini-cli provider is not available in this version", { detailCode: "unsupported_provider" });
  },
};
