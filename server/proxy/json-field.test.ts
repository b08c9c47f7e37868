import { describe, expect, it } from "vitest";
import { firstStringField, lastObjectField } from "./json-field";

describe("json-field", () => {
  const completion = JSON.stringify({
    id: "c",
    model: "gpt-4o-2024",
    choices: [{ message: { content: 'a "usage": {"prompt_tokens": 999} trick and } braces {' } }],
    usage: { prompt_tokens: 9, completion_tokens: 3, total_tokens: 12, details: { nested: "x}" } },
  });

  it("finds the top-level usage object despite look-alikes inside strings", async () => {
    expect(lastObjectField(completion, "usage")).toEqual({ prompt_tokens: 9, completion_tokens: 3, total_tokens: 12, details: { nested: "x}" } });
  });

  it("handles spaces and newlines after the colon, and null or missing usage", async () => {
    expect(lastObjectField('{"usage" :\n { "total_tokens" : 4 }}', "usage")).toEqual({ total_tokens: 4 });
    expect(lastObjectField('{"usage":null}', "usage")).toBeNull();
    expect(lastObjectField('{"id":"x"}', "usage")).toBeNull();
    expect(lastObjectField('{"usage":{"broken": }', "usage")).toBeNull();
  });

  it("reads a string field with escapes", async () => {
    expect(firstStringField(completion, "model")).toBe("gpt-4o-2024");
    expect(firstStringField('{"model": "a\\"b"}', "model")).toBe('a"b');
    expect(firstStringField('{"id":1}', "model")).toBeNull();
  });
});
