import { z } from "zod";
import { SecretKeyName } from "../secrets/schemas";
import { ResourceName } from "../validation";

import { PROVIDERS, type Provider } from "./providers";

/** Base URLs used when an Llm sets none; vllm has no default (and gemini-cli needs none). */
export const DEFAULT_URLS: Record<Provider, string | null> = {
  openai: "https://api.openai.com/v1",
  vllm: null,
  deepseek: "https://api.deepseek.com/v1",
  ollama: "http://localhost:11434/v1",
  anthropic: "https://api.anthropic.com/v1",
  "gemini-cli": null,
};

const HttpUrl = z
  .string()
  .trim()
  .url("must be a URL")
  .refine((value) => /^https?:\/\//i.test(value), "must start with http:// or https://")
  .refine((value) => !new URL(value).username && !new URL(value).password, "must not contain credentials; use apiKeyRef")
  .refine((value) => !value.includes("?") && !value.includes("#"), "must not contain a query or a fragment");

export const ApiKeyRef = z.object({ secret: ResourceName, key: SecretKeyName });
export type ApiKeyRef = z.infer<typeof ApiKeyRef>;

export const LlmDefaults = z.object({ max_tokens: z.number().int().positive().max(1_000_000).optional() }).strict();
export type LlmDefaults = z.infer<typeof LlmDefaults>;

/** What a model accepts where models of one provider differ; absent fields keep the defaults. */
export const LlmCapabilities = z
  .object({
    /** Sampling parameters the model takes: `both` temperature and top_p, `one` of them (temperature wins), or `none`. */
    sampling: z.enum(["both", "one", "none"]).optional(),
    /** The model takes a JSON schema for its output (anthropic `output_config.format`). */
    structuredOutputs: z.boolean().optional(),
  })
  .strict();
export type LlmCapabilities = z.infer<typeof LlmCapabilities>;
export const DEFAULT_CAPABILITIES: Required<LlmCapabilities> = { sampling: "one", structuredOutputs: true };

const Price = z.number().finite().min(0, "must not be negative").max(100_000, "must be at most 100000 (USD per million tokens)");

/**
 * USD per million tokens; 0 is a real price. Cache reads and writes cost the input price unless
 * given. On update the fields given replace those set, and null removes a cache price.
 */
export const LlmPricing = z.object({ input: Price, output: Price, cacheRead: Price.nullish(), cacheWrite: Price.nullish() }).strict();
export type LlmPricing = z.infer<typeof LlmPricing>;
const LlmPricingChange = LlmPricing.partial();

const LlmFields = {
  provider: z.enum(PROVIDERS),
  model: z.string().trim().min(1, "must not be empty").max(200),
  url: HttpUrl.nullish(),
  apiKeyRef: ApiKeyRef.nullish(),
  description: z.string().trim().max(500).nullish(),
  defaults: LlmDefaults.nullish(),
  timeoutMs: z.number().int().min(1000).max(3_600_000).nullish(),
  streamUsage: z.boolean().optional(),
  geminiPath: z.string().trim().min(1).max(1000).nullish(),
  maxConcurrency: z.number().int().min(1).max(1000).nullish(),
  capabilities: LlmCapabilities.nullish(),
  pricing: LlmPricing.nullish(),
};

export const CreateLlmInput = z.object({ name: ResourceName, ...LlmFields });
export type CreateLlmInput = z.input<typeof CreateLlmInput>;

export const UpdateLlmInput = z.object({
  name: ResourceName,
  ...LlmFields,
  provider: LlmFields.provider.optional(),
  model: LlmFields.model.optional(),
  pricing: LlmPricingChange.nullish(),
});
export type UpdateLlmInput = z.input<typeof UpdateLlmInput>;

export const LlmNameInput = z.object({ name: ResourceName });
export type LlmNameInput = z.infer<typeof LlmNameInput>;

export interface LlmView {
  name: string;
  provider: Provider;
  model: string;
  url: string | null;
  /** The URL calls go to: `url` or the provider's default. */
  effectiveUrl: string | null;
  /** The origin its key is sent to (checked against the Secret's allowed origins at every call). */
  keyOrigin: string;
  apiKeyRef: ApiKeyRef | null;
  description: string | null;
  defaults: LlmDefaults;
  timeoutMs: number | null;
  streamUsage: boolean;
  geminiPath: string | null;
  maxConcurrency: number | null;
  capabilities: Required<LlmCapabilities>;
  /** Its own prices; null: the bundled price table by provider and model. */
  pricing: LlmPricing | null;
  createdAt: number;
  updatedAt: number;
}
