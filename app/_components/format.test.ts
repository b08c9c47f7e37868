import { describe, expect, it } from "vitest";
import { formatDuration, formatRelative, fromLocalInputValue, toLocalInputValue } from "./format";

describe("format", () => {
  it("formats durations at a readable precision", async () => {
    expect(formatDuration(null)).toBe("—");
    expect(formatDuration(12.4)).toBe("12 ms");
    expect(formatDuration(1530)).toBe("1.53 s");
    expect(formatDuration(75_000)).toBe("1 min 15 s");
  });

  it("formats relative times both ways", async () => {
    const now = 1_700_000_000_000;
    expect(formatRelative(now - 3000, now)).toBe("just now");
    expect(formatRelative(now - 5 * 60_000, now)).toBe("5 min ago");
    expect(formatRelative(now + 2 * 86_400_000, now)).toBe("in 2 d");
  });

  it("round-trips datetime-local values to the minute", async () => {
    const ms = new Date(2025, 2, 4, 5, 6).getTime();
    expect(fromLocalInputValue(toLocalInputValue(ms))).toBe(ms);
    expect(fromLocalInputValue("")).toBeNull();
  });
});
