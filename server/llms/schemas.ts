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
  route: null,
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

export const ROUTE_DEFAULTS = { maxAttempts: 3, failureThreshold: 3, cooldownS: 30 } as const;

/** One Llm a route may send a call to: lower groups are tried first; within a group, by weight. */
export const RouteTarget = z
  .object({
    llm: ResourceName,
    group: z.number().int("must be a whole number").min(0, "must be 0 or more").max(100, "must be at most 100").optional(),
    weight: z.number().finite().positive("must be more than 0").max(1000, "must be at most 1000").optional(),
  })
  .strict();
export type RouteTarget = z.infer<typeof RouteTarget>;

const RoutingFields = {
  targets: z.array(RouteTarget).min(1, "a route needs at least one target").max(50, "at most 50 targets"),
  /** Attempts per call, the first included. */
  maxAttempts: z.number().int().min(1, "must be at least 1").max(10, "must be at most 10").optional(),
  /** Failures in a row that put a target in cooldown. */
  failureThreshold: z.number().int().min(1, "must be at least 1").max(100, "must be at most 100").optional(),
  cooldownS: z.number().int().min(1, "must be at least 1").max(86_400, "must be at most 86400").optional(),
  /** `session`: calls with the same session id and user go to the same available target. */
  affinity: z.enum(["session"]).nullish(),
};
export const LlmRouting = z.object(RoutingFields).strict();
export type LlmRouting = z.infer<typeof LlmRouting>;
/** On update the fields given replace those set (`targets` as a whole). */
const LlmRoutingChange = z.object({ ...RoutingFields, targets: RoutingFields.targets.optional() }).strict();

/** A route's settings with every default filled in. */
export interface RoutingView {
  targets: Required<RouteTarget>[];
  maxAttempts: number;
  failureThreshold: number;
  cooldownS: number;
  affinity: "session" | null;
}

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
  routing: LlmRouting.nullish(),
};

/** `model` is required of every provider but `route`, which has targets instead (checked with the other cross-field rules). */
export const CreateLlmInput = z.object({ name: ResourceName, ...LlmFields, model: LlmFields.model.optional() });
export type CreateLlmInput = z.input<typeof CreateLlmInput>;

export const UpdateLlmInput = z.object({
  name: ResourceName,
  ...LlmFields,
  provider: LlmFields.provider.optional(),
  model: LlmFields.model.optional(),
  pricing: LlmPricingChange.nullish(),
  routing: LlmRoutingChange.nullish(),
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
  /** A route's targets and settings; null for every other provider. */
  routing: RoutingView | null;
  createdAt: number;
  updatedAt: number;
}
