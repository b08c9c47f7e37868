export type FinishReason = "stop" | "length" | "tool_calls" | "content_filter";

const FINISH_REASONS: Record<string, FinishReason> = {
  end_turn: "stop",
  stop_sequence: "stop",
  pause_turn: "stop",
  max_tokens: "length",
  model_context_window_exceeded: "length",
  tool_use: "tool_calls",
  refusal: "content_filter",
};

/** Anthropic `stop_reason` → OpenAI `finish_reason`; unknown values become "stop". */
export function toFinishReason(stopReason: string | null | undefined): FinishReason {
  // OpenAI clients type finish_reason as a closed union, so never leak a provider value.
  if (!stopReason || !Object.hasOwn(FINISH_REASONS, stopReason)) return "stop";
  return FINISH_REASONS[stopReason] ?? "stop";
}

const STOP_REASONS: Record<string, string> = {
  stop: "end_turn",
  length: "max_tokens",
  tool_calls: "tool_use",
  function_call: "tool_use",
  content_filter: "refusal",
};

/** OpenAI `finish_reason` → Anthropic `stop_reason` (the inverse, for Messages clients); unknown values become "end_turn". */
export function toStopReason(finishReason: unknown): string {
  if (typeof finishReason !== "string" || !Object.hasOwn(STOP_REASONS, finishReason)) return "end_turn";
  return STOP_REASONS[finishReason] ?? "end_turn";
}
