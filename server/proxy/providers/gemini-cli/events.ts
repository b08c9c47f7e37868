import { z } from "zod";
import type { TokenUsage } from "../../usage";

/*
 * `--output-format stream-json` writes one JSON event per line. Shapes as emitted by
 * @google/gemini-cli 0.61.0: bundle/gemini-3HFX2LNT.js (packages/cli/src/nonInteractiveCli.ts,
 * nonInteractiveCliAgentSession.ts, utils/errors.ts `handleError`) through `StreamJsonFormatter`
 * in bundle/chunk-JDPZ4CE3.js (packages/core/dist/src/output/stream-json-formatter.js, output/types.js
 * `JsonStreamEventType`). Recorded from the real CLI: __fixtures__/*.jsonl.
 */
const ErrorDetail = z.object({ type: z.string(), message: z.string() }).passthrough();
const Counts = z.object({ total_tokens: z.number(), input_tokens: z.number(), output_tokens: z.number() }).passthrough();

export const CliEvent = z.discriminatedUnion("type", [
  z.object({ type: z.literal("init"), session_id: z.string(), model: z.string() }).passthrough(),
  z.object({ type: z.literal("message"), role: z.enum(["user", "assistant"]), content: z.string(), delta: z.boolean().optional() }).passthrough(),
  z.object({ type: z.literal("tool_use"), tool_name: z.string(), tool_id: z.string(), parameters: z.unknown() }).passthrough(),
  z
    .object({
      type: z.literal("tool_result"),
      tool_id: z.string(),
      status: z.enum(["success", "error"]),
      output: z.string().optional(),
      error: ErrorDetail.optional(),
    })
    .passthrough(),
  z.object({ type: z.literal("error"), severity: z.enum(["warning", "error"]), message: z.string() }).passthrough(),
  z
    .object({
      type: z.literal("result"),
      status: z.enum(["success", "error"]),
      error: ErrorDetail.optional(),
      stats: Counts.extend({ models: z.record(z.string(), Counts).optional() })
        .passthrough()
        .optional(),
    })
    .passthrough(),
]);
export type CliEvent = z.infer<typeof CliEvent>;
type ResultEvent = Extract<CliEvent, { type: "result" }>;

/** One stdout line as an event; null for anything else (the CLI's stdout is not ours to trust). */
export function parseCliEvent(line: string): CliEvent | null {
  if (!line.startsWith("{")) return null;
  try {
    const parsed = CliEvent.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function usageFromResult(result: ResultEvent): TokenUsage | null {
  if (!result.stats) return null;
  return {
    promptTokens: result.stats.input_tokens,
    completionTokens: result.stats.output_tokens,
    totalTokens: result.stats.total_tokens,
    cacheReadTokens: null,
    cacheWriteTokens: null,
    cacheWrite1hTokens: null,
    reasoningTokens: null,
  };
}

/** The model that answered: the only key of `stats.models`, else null (routing may use several). */
export function modelFromResult(result: ResultEvent): string | null {
  const models = Object.keys(result.stats?.models ?? {});
  return models.length === 1 ? models[0]! : null;
}

/** What a run said, gathered as its events pass. */
export interface CliOutcome {
  model: string | null;
  result: ResultEvent | null;
  /** The last `error` event of severity `error` (an INVALID_STREAM ends this way with exit 0). */
  lastError: string | null;
}

export function newOutcome(): CliOutcome {
  return { model: null, result: null, lastError: null };
}

/** Records an event in the outcome; returns the assistant text it carries, if any. */
export function observe(outcome: CliOutcome, event: CliEvent): string | null {
  switch (event.type) {
    case "init":
      outcome.model = event.model;
      return null;
    case "message":
      return event.role === "assistant" ? event.content : null;
    case "error":
      if (event.severity === "error") outcome.lastError = event.message;
      return null;
    case "result":
      outcome.result = event;
      outcome.model = modelFromResult(event) ?? outcome.model;
      return null;
    default:
      // tool_use / tool_result: every tool is disabled, so these only report a refused call.
      return null;
  }
}
