import type { UpstreamProvider } from "../../llms/providers";
import { anthropicAdapter } from "./anthropic/adapter";
import { openaiCompatibleAdapter } from "./openai-compatible";
import type { ProviderAdapter } from "./types";
import { geminiCliAdapter } from "./gemini-cli";

export const PROVIDER_ADAPTERS = {
  openai: openaiCompatibleAdapter,
  vllm: openaiCompatibleAdapter,
  deepseek: openaiCompatibleAdapter,
  ollama: openaiCompatibleAdapter,
  anthropic: anthropicAdapter,
  "gemini-cli": geminiCliAdapter,
} satisfies Record<UpstreamProvider, ProviderAdapter>;
