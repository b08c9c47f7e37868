import { DEFAULT_CAPABILITIES, type LlmCapabilities } from "../../../llms/schemas";
import { ValidationError } from "../../../errors";
import { isRecord } from "./json";
import { toAnthropicMessages } from "./request-messages";
import { toAnthropicTools } from "./request-tools";

export interface AnthropicRequestOptions {
  /** The upstream model id, after gateway routing and alias resolution. */
  model: string;
  /** Per-model default for `max_tokens`; 4096 when not configured. */
  defaultMaxTokens?: number | null;
  /** What the model accepts (the Llm's capabilities); defaults: one sampling parameter, structured outputs. */
  capabilities?: Required<LlmCapabilities>;
  /** The Llm's name, for messages that refuse a request its model cannot serve. */
  llmName?: string;
}

const FALLBACK_MAX_TOKENS = 4096;

// Anthropic 400s on a metadata.user_id that looks like an e-mail address or a phone number.
const EMAIL_PATTERN = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;
const PHONE_PATTERN = /^\+?[\d\s().-]+$/;

function isAbsent(value: unknown): value is null | undefined {
  return value === undefined || value === null;
}

function rejectUnsupported(body: Record<string, unknown>): void {
  if (!isAbsent(body.n) && body.n !== 1) throw new ValidationError("n must be 1 for this provider", "n", "unsupported_value");
  if (!isAbsent(body.audio)) throw new ValidationError("audio output is not supported by this provider", "audio", "unsupported_value");
  if (Array.isArray(body.modalities) && body.modalities.includes("audio")) {
    throw new ValidationError("audio output is not supported by this provider", "modalities", "unsupported_value");
  }
  for (const legacy of ["functions", "function_call"]) {
    if (!isAbsent(body[legacy])) throw new ValidationError(`${legacy} is not supported; use tools`, legacy, "unsupported_parameter");
  }
}

function maxTokens(body: Record<string, unknown>, defaultMaxTokens: number | null | undefined): number {
  const param = !isAbsent(body.max_completion_tokens) ? "max_completion_tokens" : "max_tokens";
  const requested = body[param];
  if (isAbsent(requested)) return defaultMaxTokens ?? FALLBACK_MAX_TOKENS;
  if (typeof requested !== "number" || !Number.isInteger(requested) || requested < 1) {
    throw new ValidationError(`${param} must be a positive integer`, param);
  }
  return requested;
}

function stopSequences(stop: unknown): string[] | undefined {
  if (isAbsent(stop)) return undefined;
  if (typeof stop !== "string" && !Array.isArray(stop)) throw new ValidationError("stop must be a string or an array of strings", "stop");
  const entries: unknown[] = typeof stop === "string" ? [stop] : stop;
  const kept = entries.filter((entry, index): entry is string => {
    if (typeof entry !== "string") throw new ValidationError("stop entries must be strings", `stop[${index}]`);
    // Anthropic only accepts stop sequences with non-whitespace characters.
    return entry.trim() !== "";
  });
  return kept.length > 0 ? kept : undefined;
}

function number(body: Record<string, unknown>, param: string): number | undefined {
  const value = body[param];
  if (isAbsent(value)) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value)) throw new ValidationError(`${param} must be a number`, param);
  return value;
}

/**
 * Per the model's `sampling` capability: temperature clamped to [0, 1]; `one` sends only
 * temperature when both are given (newer models 400 on both), `both` sends both, `none` neither
 * (models that take no sampling parameters 400 on any value but the default).
 */
function sampling(body: Record<string, unknown>, capability: LlmCapabilities["sampling"]): { temperature?: number; top_p?: number } {
  const temperature = number(body, "temperature");
  const topP = number(body, "top_p");
  if (capability === "none") return {};
  const clamped = temperature === undefined ? {} : { temperature: Math.min(1, Math.max(0, temperature)) };
  if (capability === "both") return { ...clamped, ...(topP === undefined ? {} : { top_p: topP }) };
  if (temperature !== undefined) return clamped;
  return topP !== undefined ? { top_p: topP } : {};
}

/**
 * Per the model's `structured_outputs` capability: `json_schema` becomes
 * `output_config.format`, and `json_object` a schema for any JSON object. A model without
 * structured outputs cannot be held to JSON: the request is refused rather than answered in prose.
 */
function outputConfig(responseFormat: unknown, structuredOutputs: boolean, llmName: string): Record<string, unknown> | undefined {
  if (isAbsent(responseFormat)) return undefined;
  const type = isRecord(responseFormat) ? responseFormat.type : undefined;
  if (type === "text") return undefined;
  if (type !== "json_schema" && type !== "json_object") {
    throw new ValidationError("response_format.type must be text, json_object or json_schema", "response_format.type", "unsupported_value");
  }
  if (!structuredOutputs) {
    throw new ValidationError(
      `response_format ${type}: llm '${llmName}' is not configured for structured outputs (its structuredOutputs capability is off), so JSON output cannot be guaranteed`,
      "response_format.type",
      "unsupported_value",
    );
  }
  if (type === "json_object") return { format: { type: "json_schema", schema: { type: "object" } } };
  const schema = isRecord(responseFormat) && isRecord(responseFormat.json_schema) ? responseFormat.json_schema.schema : undefined;
  if (!isRecord(schema)) throw new ValidationError("response_format.json_schema.schema must be an object", "response_format.json_schema.schema");
  return { format: { type: "json_schema", schema } };
}

function userId(body: Record<string, unknown>): string | undefined {
  const value = body.safety_identifier ?? body.user;
  if (typeof value !== "string" || value === "") return undefined;
  const looksLikePhone = PHONE_PATTERN.test(value) && value.replace(/\D/g, "").length >= 7;
  return EMAIL_PATTERN.test(value) || looksLikePhone ? undefined : value;
}

/** An OpenAI Chat Completions body as an Anthropic Messages request (anthropic-version 2023-06-01). */
export function toAnthropicRequest(body: Record<string, unknown>, options: AnthropicRequestOptions): Record<string, unknown> {
  rejectUnsupported(body);
  const { system, messages } = toAnthropicMessages(body.messages);
  const request: Record<string, unknown> = { model: options.model };
  if (system !== undefined) request.system = system;
  request.messages = messages;
  request.max_tokens = maxTokens(body, options.defaultMaxTokens);

  const stop = stopSequences(body.stop);
  if (stop) request.stop_sequences = stop;
  const capabilities = options.capabilities ?? DEFAULT_CAPABILITIES;
  Object.assign(request, sampling(body, capabilities.sampling));
  if (body.stream === true) request.stream = true;
  Object.assign(request, toAnthropicTools(body));
  const config = outputConfig(body.response_format, capabilities.structuredOutputs, options.llmName ?? options.model);
  if (config) request.output_config = config;
  const user = userId(body);
  // Only user_id: Anthropic rejects any other metadata key, so OpenAI `metadata` is never merged in.
  if (user) request.metadata = { user_id: user };
  // Non-standard `thinking` passes through verbatim (an extension LiteLLM and Portkey share).
  if (isRecord(body.thinking)) request.thinking = body.thinking;
  return request;
}
