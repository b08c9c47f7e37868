import type { Provider } from "../../../server/llms/providers";
import { DEFAULT_URLS, ROUTE_DEFAULTS, type CreateLlmInput, type LlmView, type UpdateLlmInput } from "../../../server/llms/schemas";

export const ANTHROPIC_DEFAULT_MAX_TOKENS = "4096";

export const PROVIDER_INFO: Record<Provider, { label: string; modelPlaceholder: string; takesUrl: boolean; needsUrl: boolean; openaiCompatible: boolean }> = {
  openai: { label: "OpenAI", modelPlaceholder: "gpt-4o-mini", takesUrl: true, needsUrl: false, openaiCompatible: true },
  vllm: { label: "vLLM", modelPlaceholder: "meta-llama/Llama-3.1-8B-Instruct", takesUrl: true, needsUrl: true, openaiCompatible: true },
  deepseek: { label: "DeepSeek", modelPlaceholder: "deepseek-chat", takesUrl: true, needsUrl: false, openaiCompatible: true },
  ollama: { label: "Ollama", modelPlaceholder: "llama3.2", takesUrl: true, needsUrl: false, openaiCompatible: true },
  anthropic: { label: "Anthropic", modelPlaceholder: "claude-sonnet-4-5", takesUrl: true, needsUrl: false, openaiCompatible: false },
  "gemini-cli": { label: "Gemini CLI", modelPlaceholder: "gemini-2.5-pro", takesUrl: false, needsUrl: false, openaiCompatible: false },
  route: { label: "Route", modelPlaceholder: "", takesUrl: false, needsUrl: false, openaiCompatible: false },
};

export function urlPlaceholder(provider: Provider): string {
  return DEFAULT_URLS[provider] ?? "http://vllm.internal:8000/v1";
}

/** Everything the form edits, as strings the inputs hold. */
export interface LlmFormState {
  name: string;
  provider: Provider;
  model: string;
  url: string;
  secret: string;
  key: string;
  description: string;
  maxTokens: string;
  timeoutMs: string;
  streamUsage: boolean;
  geminiPath: string;
  maxConcurrency: string;
  sampling: "both" | "one" | "none";
  structuredOutputs: boolean;
  /** USD per million tokens; all empty: the bundled price table. */
  priceInput: string;
  priceOutput: string;
  priceCacheRead: string;
  priceCacheWrite: string;
  /** A route's targets, in the order shown. */
  targets: TargetRow[];
  maxAttempts: string;
  failureThreshold: string;
  cooldownS: string;
  /** Session affinity. */
  affinity: boolean;
}

export interface TargetRow {
  llm: string;
  group: string;
  weight: string;
}

const NEW_TARGET: TargetRow = { llm: "", group: "0", weight: "1" };

export function initialLlmForm(llm?: LlmView | null): LlmFormState {
  if (!llm) {
    return {
      name: "",
      provider: "openai",
      model: "",
      url: "",
      secret: "",
      key: "",
      description: "",
      maxTokens: "",
      timeoutMs: "",
      streamUsage: true,
      geminiPath: "",
      maxConcurrency: "",
      sampling: "one",
      structuredOutputs: true,
      priceInput: "",
      priceOutput: "",
      priceCacheRead: "",
      priceCacheWrite: "",
      targets: [],
      maxAttempts: String(ROUTE_DEFAULTS.maxAttempts),
      failureThreshold: String(ROUTE_DEFAULTS.failureThreshold),
      cooldownS: String(ROUTE_DEFAULTS.cooldownS),
      affinity: false,
    };
  }
  const text = (value: number | string | null | undefined) => (value === null || value === undefined ? "" : String(value));
  return {
    name: llm.name,
    provider: llm.provider,
    model: llm.model,
    url: text(llm.url),
    secret: llm.apiKeyRef?.secret ?? "",
    key: llm.apiKeyRef?.key ?? "",
    description: text(llm.description),
    maxTokens: text(llm.defaults.max_tokens),
    timeoutMs: text(llm.timeoutMs),
    streamUsage: llm.streamUsage,
    geminiPath: text(llm.geminiPath),
    maxConcurrency: text(llm.maxConcurrency),
    sampling: llm.capabilities.sampling,
    structuredOutputs: llm.capabilities.structuredOutputs,
    priceInput: text(llm.pricing?.input),
    priceOutput: text(llm.pricing?.output),
    priceCacheRead: text(llm.pricing?.cacheRead),
    priceCacheWrite: text(llm.pricing?.cacheWrite),
    targets: (llm.routing?.targets ?? []).map((target) => ({ llm: target.llm, group: String(target.group), weight: String(target.weight) })),
    maxAttempts: String(llm.routing?.maxAttempts ?? ROUTE_DEFAULTS.maxAttempts),
    failureThreshold: String(llm.routing?.failureThreshold ?? ROUTE_DEFAULTS.failureThreshold),
    cooldownS: String(llm.routing?.cooldownS ?? ROUTE_DEFAULTS.cooldownS),
    affinity: llm.routing?.affinity === "session",
  };
}

/** Switching provider fills the defaults it needs (max_tokens for anthropic) and drops what it cannot take. */
export function withProvider(state: LlmFormState, provider: Provider): LlmFormState {
  const next = { ...state, provider };
  // Defaults this form filled in for the previous provider go with it; typed values stay.
  if (state.provider === "anthropic" && provider !== "anthropic" && next.maxTokens === ANTHROPIC_DEFAULT_MAX_TOKENS) next.maxTokens = "";
  if (state.provider === "gemini-cli" && provider !== "gemini-cli" && next.maxConcurrency === "2") next.maxConcurrency = "";
  if (provider === "anthropic" && !next.maxTokens) next.maxTokens = ANTHROPIC_DEFAULT_MAX_TOKENS;
  if (!PROVIDER_INFO[provider].takesUrl) next.url = "";
  if (provider === "gemini-cli" && !next.maxConcurrency) next.maxConcurrency = "2";
  if (provider === "route" && next.targets.length === 0) next.targets = [{ ...NEW_TARGET }];
  return next;
}

type FieldErrors = Partial<Record<keyof LlmFormState, string>>;

function parseCount(value: string, field: keyof LlmFormState, errors: FieldErrors): number | null {
  const trimmed = value.trim();
  if (!trimmed) return null;
  if (!/^\d+$/.test(trimmed)) {
    errors[field] = "must be a whole number";
    return null;
  }
  return Number(trimmed);
}

const PRICE_FIELDS = ["priceInput", "priceOutput", "priceCacheRead", "priceCacheWrite"] as const;

/** The Llm's own prices, or null (all empty) for the bundled price table; input and output go together. */
function parsePricing(state: LlmFormState, errors: FieldErrors): CreateLlmInput["pricing"] {
  if (PRICE_FIELDS.every((field) => !state[field].trim())) return null;
  const price = (field: (typeof PRICE_FIELDS)[number], required: boolean): number | null => {
    const value = state[field].trim();
    if (!value) {
      if (required) errors[field] = "needed with the other prices";
      return null;
    }
    if (!/^\d+(\.\d+)?$/.test(value)) {
      errors[field] = "USD per million tokens, e.g. 2.5";
      return null;
    }
    return Number(value);
  };
  const input = price("priceInput", true);
  const output = price("priceOutput", true);
  const cacheRead = price("priceCacheRead", false);
  const cacheWrite = price("priceCacheWrite", false);
  return input === null || output === null ? null : { input, output, cacheRead, cacheWrite };
}

/**
 * The tRPC input for the form, or the errors the browser can tell without asking the server.
 * Optional fields left empty become null, which clears them on update.
 */
export function toLlmInput(state: LlmFormState): { input: CreateLlmInput & UpdateLlmInput; errors: null } | { input: null; errors: FieldErrors } {
  if (state.provider === "route") return toRouteInput(state);
  const errors: FieldErrors = {};
  const info = PROVIDER_INFO[state.provider];
  if (!state.name.trim()) errors.name = "a name is required";
  if (!state.model.trim()) errors.model = "a model is required";
  if (info.needsUrl && !state.url.trim()) errors.url = `a ${info.label} llm needs a URL`;
  if (state.secret && !state.key.trim()) errors.key = "choose the key that holds the API key";
  const maxTokens = state.provider === "gemini-cli" ? null : parseCount(state.maxTokens, "maxTokens", errors);
  const timeoutMs = parseCount(state.timeoutMs, "timeoutMs", errors);
  const maxConcurrency = state.provider === "gemini-cli" ? parseCount(state.maxConcurrency, "maxConcurrency", errors) : null;
  const pricing = parsePricing(state, errors);
  if (Object.keys(errors).length > 0) return { input: null, errors };
  const optional = (value: string) => (value.trim() ? value.trim() : null);
  return {
    errors: null,
    input: {
      name: state.name.trim(),
      provider: state.provider,
      model: state.model.trim(),
      url: info.takesUrl ? optional(state.url) : null,
      apiKeyRef: state.secret ? { secret: state.secret, key: state.key.trim() } : null,
      description: optional(state.description),
      defaults: maxTokens !== null ? { max_tokens: maxTokens } : null,
      timeoutMs,
      streamUsage: state.streamUsage,
      geminiPath: state.provider === "gemini-cli" ? optional(state.geminiPath) : null,
      maxConcurrency,
      // What the model accepts matters where the gateway translates (anthropic).
      capabilities: state.provider === "anthropic" ? { sampling: state.sampling, structuredOutputs: state.structuredOutputs } : null,
      pricing,
      routing: null,
    },
  };
}

/** A route's input: its targets and settings; it has no model, URL, key or prices of its own. */
function toRouteInput(state: LlmFormState): { input: CreateLlmInput & UpdateLlmInput; errors: null } | { input: null; errors: FieldErrors } {
  const errors: FieldErrors = {};
  if (!state.name.trim()) errors.name = "a name is required";
  const targets = state.targets.filter((target) => target.llm || target.group.trim() !== "0" || target.weight.trim() !== "1");
  if (targets.length === 0) errors.targets = "choose at least one target";
  else if (targets.some((target) => !target.llm)) errors.targets = "choose an Llm in every row (or remove the row)";
  else if (targets.some((target) => !/^\d+$/.test(target.group.trim()))) errors.targets = "a group is a whole number, 0 first";
  else if (targets.some((target) => !/^\d+(\.\d+)?$/.test(target.weight.trim()) || Number(target.weight) <= 0)) errors.targets = "a weight is a number above 0";
  const maxAttempts = parseCount(state.maxAttempts, "maxAttempts", errors);
  const failureThreshold = parseCount(state.failureThreshold, "failureThreshold", errors);
  const cooldownS = parseCount(state.cooldownS, "cooldownS", errors);
  if (Object.keys(errors).length > 0) return { input: null, errors };
  return {
    errors: null,
    input: {
      name: state.name.trim(),
      provider: "route",
      url: null,
      apiKeyRef: null,
      geminiPath: null,
      defaults: null,
      pricing: null,
      description: state.description.trim() ? state.description.trim() : null,
      routing: {
        targets: targets.map((target) => ({ llm: target.llm, group: Number(target.group), weight: Number(target.weight) })),
        maxAttempts: maxAttempts ?? ROUTE_DEFAULTS.maxAttempts,
        failureThreshold: failureThreshold ?? ROUTE_DEFAULTS.failureThreshold,
        cooldownS: cooldownS ?? ROUTE_DEFAULTS.cooldownS,
        affinity: state.affinity ? "session" : null,
      },
    },
  };
}

export function newTargetRow(): TargetRow {
  return { ...NEW_TARGET };
}

/** Maps a server field (`apiKeyRef.key`, `defaults.max_tokens`) to the form field showing it. */
export const SERVER_FIELDS: Record<string, keyof LlmFormState> = {
  name: "name",
  provider: "provider",
  model: "model",
  url: "url",
  "apiKeyRef.secret": "secret",
  "apiKeyRef.key": "key",
  apiKeyRef: "secret",
  description: "description",
  "defaults.max_tokens": "maxTokens",
  defaults: "maxTokens",
  timeoutMs: "timeoutMs",
  geminiPath: "geminiPath",
  maxConcurrency: "maxConcurrency",
  "pricing.input": "priceInput",
  "pricing.output": "priceOutput",
  "pricing.cacheRead": "priceCacheRead",
  "pricing.cacheWrite": "priceCacheWrite",
  pricing: "priceInput",
  "routing.targets": "targets",
  "routing.maxAttempts": "maxAttempts",
  "routing.failureThreshold": "failureThreshold",
  "routing.cooldownS": "cooldownS",
  routing: "targets",
};
