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
