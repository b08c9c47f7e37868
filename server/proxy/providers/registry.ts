import type { UpstreamProvider } from "../../llms/providers";
import { anthropicAdapter } from "./anthropic/adapter";
import { openaiAdapter, openaiCompatibleAdapter, openaiCompatibleWithEmbeddings } from "./openai-compatible";
import type { ProviderAdapter } from "./types";
import { geminiCliAdapter } from "./gemini-cli";

export const PROVIDER_ADAPTERS = {
  openai: openaiAdapter,
  vllm: openaiCompatibleWithEmbeddings,
  // DeepSeek has no embeddings API.
  deepseek: openaiCompatibleAdapter,
  ollama: openaiCompatibleWithEmbeddings,
  anthropic: anthropicAdapter,
  "gemini-cli": geminiCliAdapter,
} satisfies Record<UpstreamProvider, ProviderAdapter>;
