import { describe, expect, it } from "vitest";
import { toFinishReason } from "./stop-reason";

describe("toFinishReason", () => {
  it.each([
    ["end_turn", "stop"],
    ["stop_sequence", "stop"],
    ["pause_turn", "stop"],
    ["max_tokens", "length"],
    ["model_context_window_exceeded", "length"],
    ["tool_use", "tool_calls"],
    ["refusal", "content_filter"],
  ])("maps %s to %s", async (stopReason, finishReason) => {
    expect(toFinishReason(stopReason)).toBe(finishReason);
  });

  it.each([null, undefined, "", "some_future_reason", "toString", "__proto__"])("maps %s to stop, never a raw value", async (stopReason) => {
    expect(toFinishReason(stopReason)).toBe("stop");
  });
});
