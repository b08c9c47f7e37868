import { describe, expect, it } from "vitest";
import { ValidationError } from "../../../errors";
import { toAnthropicRequest } from "./request";

const OPTIONS = { model: "claude-test" };
const HI = [{ role: "user", content: "hi" }];

function translate(body: Record<string, unknown>, options: Parameters<typeof toAnthropicRequest>[1] = OPTIONS) {
  return toAnthropicRequest(body, options);
}

function messagesOf(messages: unknown[]) {
  return translate({ messages }).messages as Array<{ role: string; content: unknown[] }>;
}

function rejection(body: Record<string, unknown>): ValidationError {
  try {
    translate(body);
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error("expected a ValidationError");
}

function expectRejected(body: Record<string, unknown>, param: string, detailCode: string | null = null) {
  const error = rejection(body);
  expect(error.code).toBe("invalid_request");
  expect({ param: error.param, detailCode: error.detailCode }).toEqual({ param, detailCode });
}

const text = (value: string) => ({ type: "text", text: value });

describe("toAnthropicRequest: top-level fields", () => {
  it("emits model, messages and max_tokens in that order, content as block arrays", async () => {
    const request = translate({ model: "alias", messages: HI });
    expect(request).toEqual({ model: "claude-test", messages: [{ role: "user", content: [text("hi")] }], max_tokens: 4096 });
    expect(Object.keys(request)).toEqual(["model", "messages", "max_tokens"]);
  });

  it("takes max_completion_tokens over max_tokens over the per-model default over 4096", async () => {
    expect(translate({ messages: HI, max_completion_tokens: 100, max_tokens: 200 }).max_tokens).toBe(100);
    expect(translate({ messages: HI, max_completion_tokens: null, max_tokens: 200 }).max_tokens).toBe(200);
    expect(translate({ messages: HI }, { model: "m", defaultMaxTokens: 32000 }).max_tokens).toBe(32000);
    expect(translate({ messages: HI, max_tokens: 50 }, { model: "m", defaultMaxTokens: 32000 }).max_tokens).toBe(50);
    expect(translate({ messages: HI }, { model: "m", defaultMaxTokens: null }).max_tokens).toBe(4096);
    expectRejected({ messages: HI, max_completion_tokens: 0 }, "max_completion_tokens");
    expectRejected({ messages: HI, max_tokens: "many" }, "max_tokens");
  });

  it("puts every field in a fixed order: model, system, messages, max_tokens, then the rest", async () => {
    const body = {
      metadata: { tag: "x" },
      user: "user-42",
      response_format: { type: "json_schema", json_schema: { name: "out", schema: { type: "object" } } },
      tool_choice: "auto",
      tools: [{ type: "function", function: { name: "f" } }],
      stream: true,
      temperature: 0.5,
      stop: ["END"],
      max_tokens: 10,
      messages: [{ role: "system", content: "be brief" }, ...HI],
      model: "ignored",
    };
    const request = translate(body);
    expect(Object.keys(request)).toEqual([
      "model",
      "system",
      "messages",
      "max_tokens",
      "stop_sequences",
      "temperature",
      "stream",
      "tools",
      "tool_choice",
      "output_config",
      "metadata",
    ]);
    expect(JSON.stringify(translate(body))).toBe(JSON.stringify(request));
  });

  it("accepts n = 1 or null without sending it and rejects n > 1", async () => {
    expect(translate({ messages: HI, n: 1 })).not.toHaveProperty("n");
    expect(translate({ messages: HI, n: null })).not.toHaveProperty("n");
    expectRejected({ messages: HI, n: 2 }, "n", "unsupported_value");
  });

  it("sends stream only when true and never stream_options", async () => {
    expect(translate({ messages: HI, stream: true, stream_options: { include_usage: true } })).toMatchObject({ stream: true });
    expect(translate({ messages: HI, stream: true, stream_options: { include_usage: true } })).not.toHaveProperty("stream_options");
    expect(translate({ messages: HI, stream: false })).not.toHaveProperty("stream");
  });

  it("maps stop to stop_sequences without empty or whitespace-only entries", async () => {
    expect(translate({ messages: HI, stop: "END" }).stop_sequences).toEqual(["END"]);
    expect(translate({ messages: HI, stop: ["a", "", "  ", "\n", " b "] }).stop_sequences).toEqual(["a", " b "]);
    expect(translate({ messages: HI, stop: ["\n", " "] })).not.toHaveProperty("stop_sequences");
    expect(translate({ messages: HI, stop: "\n" })).not.toHaveProperty("stop_sequences");
    expect(translate({ messages: HI, stop: null })).not.toHaveProperty("stop_sequences");
    expectRejected({ messages: HI, stop: ["ok", 3] }, "stop[1]");
  });

  it("clamps temperature to [0, 1]", async () => {
    expect(translate({ messages: HI, temperature: 1.7 }).temperature).toBe(1);
    expect(translate({ messages: HI, temperature: -0.5 }).temperature).toBe(0);
    expect(translate({ messages: HI, temperature: 0.3 }).temperature).toBe(0.3);
    expectRejected({ messages: HI, temperature: "hot" }, "temperature");
  });

  it("sends only temperature when both temperature and top_p are set", async () => {
    const both = translate({ messages: HI, temperature: 0.2, top_p: 0.9 });
    expect(both.temperature).toBe(0.2);
    expect(both).not.toHaveProperty("top_p");
    expect(translate({ messages: HI, top_p: 0.9 })).toMatchObject({ top_p: 0.9 });
    expect(translate({ messages: HI, temperature: null, top_p: 0.9 })).not.toHaveProperty("temperature");
  });

  it("follows the Llm's sampling capability: both parameters, one, or none", async () => {
    const withSampling = (sampling: "both" | "one" | "none") =>
      translate({ messages: HI, temperature: 0.2, top_p: 0.9 }, { ...OPTIONS, capabilities: { sampling, structuredOutputs: true } });
    expect(withSampling("both")).toMatchObject({ temperature: 0.2, top_p: 0.9 });
    expect(withSampling("one")).toMatchObject({ temperature: 0.2 });
    expect(withSampling("one")).not.toHaveProperty("top_p");
    const none = withSampling("none");
    expect(none).not.toHaveProperty("temperature");
    expect(none).not.toHaveProperty("top_p");
  });

  it("json_object becomes a JSON-object schema where the model has structured outputs, and is refused clearly where not", async () => {
    expect(translate({ messages: HI, response_format: { type: "json_object" } }).output_config).toEqual({
      format: { type: "json_schema", schema: { type: "object" } },
    });
    const plain = { ...OPTIONS, llmName: "claude-old", capabilities: { sampling: "one" as const, structuredOutputs: false } };
    for (const responseFormat of [{ type: "json_object" }, { type: "json_schema", json_schema: { name: "x", schema: { type: "object" } } }]) {
      let error: unknown;
      try {
        translate({ messages: HI, response_format: responseFormat }, plain);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).message).toBe(
        `response_format ${responseFormat.type}: llm 'claude-old' is not configured for structured outputs (its structuredOutputs capability is off), so JSON output cannot be guaranteed`,
      );
    }
    expect(translate({ messages: HI, response_format: { type: "text" } }, plain)).not.toHaveProperty("output_config");
  });

  it("maps safety_identifier ?? user to metadata.user_id and nothing else", async () => {
    expect(translate({ messages: HI, user: "user-42", metadata: { team: "a" } }).metadata).toEqual({ user_id: "user-42" });
    expect(translate({ messages: HI, user: "user-42", safety_identifier: "safe-1" }).metadata).toEqual({ user_id: "safe-1" });
    expect(translate({ messages: HI, metadata: { user_id: "x" } })).not.toHaveProperty("metadata");
  });

  it.each(["jane.doe@example.com", "user+tag@example.co.uk", "id:bob@corp.io", "+1 (555) 123-4567", "555-123-4567", "+442079460958"])(
    "omits metadata.user_id for %s (e-mail or phone number)",
    (user) => {
      expect(translate({ messages: HI, user })).not.toHaveProperty("metadata");
    },
  );

  it.each(["user-42", "admin@localhost", "12345", "a1b2c3d4-0000-4000-8000-000000000000"])("keeps user id %s", async (user) => {
    expect(translate({ messages: HI, user }).metadata).toEqual({ user_id: user });
  });

  it("drops the fields Anthropic ignores", async () => {
    const request = translate({
      messages: HI,
      logprobs: true,
      top_logprobs: 3,
      frequency_penalty: 0.5,
      presence_penalty: 0.5,
      logit_bias: { "50256": -100 },
      seed: 7,
      store: true,
      service_tier: "flex",
      prediction: { type: "content", content: "x" },
      verbosity: "low",
      prompt_cache_key: "k",
      prompt_cache_retention: "24h",
      modalities: ["text"],
      reasoning_effort: "high",
      metadata: { tag: "x" },
      parallel_tool_calls: false,
      tool_choice: "required",
      web_search_options: {},
    });
    expect(Object.keys(request)).toEqual(["model", "messages", "max_tokens"]);
  });

  it("rejects audio output and the legacy functions API", async () => {
    expectRejected({ messages: HI, audio: { voice: "alloy", format: "mp3" } }, "audio", "unsupported_value");
    expectRejected({ messages: HI, modalities: ["text", "audio"] }, "modalities", "unsupported_value");
    expectRejected({ messages: HI, functions: [{ name: "f" }] }, "functions", "unsupported_parameter");
    expectRejected({ messages: HI, function_call: "auto" }, "function_call", "unsupported_parameter");
  });

  it("maps json_schema response_format to output_config.format and ignores text", async () => {
    const schema = { type: "object", properties: { a: { type: "string" } }, required: ["a"], additionalProperties: false };
    expect(translate({ messages: HI, response_format: { type: "json_schema", json_schema: { name: "x", strict: true, schema } } }).output_config).toEqual({
      format: { type: "json_schema", schema },
    });
    expect(translate({ messages: HI, response_format: { type: "text" } })).not.toHaveProperty("output_config");
    expectRejected({ messages: HI, response_format: { type: "json_schema", json_schema: { name: "x" } } }, "response_format.json_schema.schema");
    expectRejected({ messages: HI, response_format: { type: "grammar" } }, "response_format.type", "unsupported_value");
  });

  it("passes a non-standard thinking object through verbatim", async () => {
    const thinking = { type: "enabled", budget_tokens: 2048 };
    expect(translate({ messages: HI, thinking }).thinking).toEqual(thinking);
  });
});

describe("toAnthropicRequest: messages → system + messages", () => {
  it("hoists system and developer messages from any position, joined with one newline", async () => {
    const request = translate({
      messages: [
        { role: "system", content: "You are terse." },
        { role: "user", content: "Q1" },
        { role: "developer", content: [text("Answer in French."), text(""), text("No emoji.")] },
        { role: "assistant", content: "R1" },
        { role: "system", content: "" },
        { role: "system", content: "Late rule." },
        { role: "user", content: "Q2" },
      ],
    });
    expect(request.system).toBe("You are terse.\nAnswer in French.\nNo emoji.\nLate rule.");
    expect(request.messages).toEqual([
      { role: "user", content: [text("Q1")] },
      { role: "assistant", content: [text("R1")] },
      { role: "user", content: [text("Q2")] },
    ]);
  });

  it("omits system when every system text is empty, and rejects a conversation with nothing else", async () => {
    expect(translate({ messages: [{ role: "system", content: "" }, ...HI] })).not.toHaveProperty("system");
    expectRejected({ messages: [{ role: "system", content: "only rules" }] }, "messages");
  });

  it("rejects missing, empty or all-empty messages", async () => {
    expectRejected({}, "messages");
    expectRejected({ messages: [] }, "messages");
    expectRejected(
      {
        messages: [
          { role: "user", content: "" },
          { role: "assistant", content: "   " },
        ],
      },
      "messages",
    );
  });

  it("drops empty messages and merges the neighbours they separated", async () => {
    expect(
      messagesOf([
        { role: "user", content: "first" },
        { role: "assistant", content: "" },
        { role: "user", content: [text("")] },
        { role: "assistant", content: null },
        { role: "user", content: "second" },
      ]),
    ).toEqual([{ role: "user", content: [text("first"), text("second")] }]);
  });

  it("merges consecutive same-role turns", async () => {
    expect(
      messagesOf([
        { role: "user", content: "a" },
        { role: "user", content: [text("b"), text(" ")] },
        { role: "assistant", content: "c" },
        { role: "assistant", content: "d" },
        { role: "user", content: "e" },
      ]),
    ).toEqual([
      { role: "user", content: [text("a"), text("b"), text(" ")] },
      { role: "assistant", content: [text("c"), text("d")] },
      { role: "user", content: [text("e")] },
    ]);
  });

  it("groups parallel tool results in one user turn, tool_result blocks first, and a following user text joins it", async () => {
    const messages = messagesOf([
      { role: "user", content: "weather in Paris and Rome?" },
      {
        role: "assistant",
        content: "",
        tool_calls: [
          { id: "call_p", type: "function", function: { name: "weather", arguments: '{"city":"Paris"}' } },
          { id: "call_r", type: "function", function: { name: "weather", arguments: '{"city":"Rome"}' } },
        ],
      },
      { role: "user", content: "also, be quick" },
      { role: "tool", tool_call_id: "call_p", content: "18C" },
      { role: "tool", tool_call_id: "call_r", content: "" },
      { role: "user", content: "thanks" },
    ]);
    expect(messages).toEqual([
      { role: "user", content: [text("weather in Paris and Rome?")] },
      {
        role: "assistant",
        content: [
          { type: "tool_use", id: "call_p", name: "weather", input: { city: "Paris" } },
          { type: "tool_use", id: "call_r", name: "weather", input: { city: "Rome" } },
        ],
      },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "call_p", content: "18C" },
          { type: "tool_result", tool_use_id: "call_r", content: "" },
          text("also, be quick"),
          text("thanks"),
        ],
      },
    ]);
  });

  it("puts tool_use blocks last in a merged assistant turn", async () => {
    expect(
      messagesOf([
        { role: "user", content: "go" },
        { role: "assistant", content: "Step one.", tool_calls: [{ id: "call_1", type: "function", function: { name: "f", arguments: "{}" } }] },
        { role: "assistant", content: [text("Step two.")] },
        { role: "tool", tool_call_id: "call_1", content: "ok" },
      ])[1],
    ).toEqual({
      role: "assistant",
      content: [text("Step one."), text("Step two."), { type: "tool_use", id: "call_1", name: "f", input: {} }],
    });
  });

  it("strips trailing whitespace from the final assistant text only", async () => {
    const messages = messagesOf([
      { role: "user", content: "a" },
      { role: "assistant", content: "kept  \n" },
      { role: "user", content: "b" },
      { role: "assistant", content: [text("Sure: "), text("here it is \n\t ")] },
    ]);
    expect(messages[1]).toEqual({ role: "assistant", content: [text("kept  \n")] });
    expect(messages[3]).toEqual({ role: "assistant", content: [text("Sure: "), text("here it is")] });
  });

  it("drops a final assistant text block or turn that is only whitespace", async () => {
    expect(
      messagesOf([
        { role: "user", content: "a" },
        { role: "assistant", content: [text("Prefix:"), text("  ")] },
      ])[1],
    ).toEqual({
      role: "assistant",
      content: [text("Prefix:")],
    });
    expect(
      messagesOf([
        { role: "user", content: "a" },
        { role: "assistant", content: " \n " },
      ]),
    ).toEqual([{ role: "user", content: [text("a")] }]);
  });

  it("keeps a leading assistant turn", async () => {
    expect(
      messagesOf([
        { role: "assistant", content: "Hello, how can I help?" },
        { role: "user", content: "hi", name: "bob" },
      ]),
    ).toEqual([
      { role: "assistant", content: [text("Hello, how can I help?")] },
      { role: "user", content: [text("hi")] },
    ]);
  });

  it("rejects unknown roles, including legacy function", async () => {
    expectRejected({ messages: [...HI, { role: "function", name: "f", content: "x" }] }, "messages[1].role", "unsupported_value");
    expectRejected({ messages: [{ role: "narrator", content: "x" }] }, "messages[0].role", "unsupported_value");
  });
});

describe("toAnthropicRequest: content parts", () => {
  const PNG = "iVBORw0KGgo=";

  function userParts(parts: unknown[]) {
    const [message] = messagesOf([{ role: "user", content: parts }]);
    if (!message) throw new Error("expected one message");
    return message;
  }

  it("drops empty text parts and keeps whitespace-only ones", async () => {
    expect(userParts([text(""), text(" "), text("x")])).toEqual({ role: "user", content: [text(" "), text("x")] });
  });

  it("maps base64 data URLs to image blocks, lower-casing and fixing jpg, dropping detail", async () => {
    expect(
      userParts([
        { type: "image_url", image_url: { url: `data:image/png;base64,${PNG}`, detail: "high" } },
        { type: "image_url", image_url: { url: `data:IMAGE/JPG;base64,${PNG}` } },
        { type: "image_url", image_url: { url: `data:image/webp;base64,${PNG}` } },
        { type: "image_url", image_url: { url: `data:image/gif;base64,${PNG}` } },
      ]).content,
    ).toEqual([
      { type: "image", source: { type: "base64", media_type: "image/png", data: PNG } },
      { type: "image", source: { type: "base64", media_type: "image/jpeg", data: PNG } },
      { type: "image", source: { type: "base64", media_type: "image/webp", data: PNG } },
      { type: "image", source: { type: "base64", media_type: "image/gif", data: PNG } },
    ]);
  });

  it("maps a PDF data URL to a document block", async () => {
    expect(userParts([{ type: "image_url", image_url: { url: "data:application/pdf;base64,JVBERi0=" } }]).content).toEqual([
      { type: "document", source: { type: "base64", media_type: "application/pdf", data: "JVBERi0=" } },
    ]);
  });

  it("maps http(s) image URLs to url sources without fetching them", async () => {
    expect(userParts([{ type: "image_url", image_url: { url: "https://example.com/cat" } }]).content).toEqual([
      { type: "image", source: { type: "url", url: "https://example.com/cat" } },
    ]);
  });

  it.each([
    "data:image/png,rawbytes",
    "data:image/svg+xml;base64,PHN2Zz4=",
    "data:image/png;base64,",
    "data:;base64,AAAA",
    "ftp://example.com/a.png",
    "not a url",
  ])("rejects %s with the part's JSON path", async (url) => {
    expectRejected(
      {
        messages: [
          { role: "user", content: "x" },
          { role: "assistant", content: "y" },
          { role: "user", content: [text("look"), text("here"), { type: "image_url", image_url: { url } }] },
        ],
      },
      "messages[2].content[2].image_url.url",
      "unsupported_value",
    );
  });

  it("maps file parts with file_data to document or image blocks and rejects file_id", async () => {
    expect(
      userParts([
        { type: "file", file: { filename: "a.pdf", file_data: "data:application/pdf;base64,JVBERi0=" } },
        { type: "file", file: { file_data: `data:image/png;base64,${PNG}` } },
      ]).content,
    ).toEqual([
      { type: "document", source: { type: "base64", media_type: "application/pdf", data: "JVBERi0=" } },
      { type: "image", source: { type: "base64", media_type: "image/png", data: PNG } },
    ]);
    expectRejected(
      { messages: [{ role: "user", content: [{ type: "file", file: { file_id: "file-abc" } }] }] },
      "messages[0].content[0].file.file_id",
      "unsupported_value",
    );
    expectRejected(
      { messages: [{ role: "user", content: [{ type: "file", file: { file_data: "data:text/plain;base64,aGk=" } }] }] },
      "messages[0].content[0].file.file_data",
      "unsupported_value",
    );
  });

  it("rejects input_audio and unknown parts", async () => {
    expectRejected(
      { messages: [{ role: "user", content: [{ type: "input_audio", input_audio: { data: "AAAA", format: "wav" } }] }] },
      "messages[0].content[0].type",
      "unsupported_value",
    );
    expectRejected({ messages: [{ role: "user", content: [text("a"), { type: "video" }] }] }, "messages[0].content[1].type", "unsupported_value");
  });

  it("turns an assistant refusal part into text", async () => {
    expect(
      messagesOf([...HI, { role: "assistant", content: [{ type: "refusal", refusal: "I can't help with that." }] }, { role: "user", content: "ok" }])[1],
    ).toEqual({
      role: "assistant",
      content: [text("I can't help with that.")],
    });
  });
});

describe("toAnthropicRequest: tool calls and results", () => {
  function withToolCall(call: Record<string, unknown>) {
    return { messages: [...HI, { role: "assistant", content: null, tool_calls: [call] }, { role: "tool", tool_call_id: "call_1", content: "r" }] };
  }

  it("parses arguments into input; empty, null or whitespace arguments become {}", async () => {
    for (const [argumentsText, input] of [
      ['{"a":[1,{"b":null}]}', { a: [1, { b: null }] }],
      ["", {}],
      ["  ", {}],
      [null, {}],
    ] as const) {
      const messages = translate(withToolCall({ id: "call_1", type: "function", function: { name: "f", arguments: argumentsText } })).messages as Array<{
        content: unknown[];
      }>;
      expect(messages[1]?.content).toEqual([{ type: "tool_use", id: "call_1", name: "f", input }]);
    }
  });

  it.each(['{"a":', "[1,2]", '"text"', "42", "null"])("rejects arguments %s", async (argumentsText) => {
    expectRejected(
      withToolCall({ id: "call_1", type: "function", function: { name: "f", arguments: argumentsText } }),
      "messages[1].tool_calls[0].function.arguments",
    );
  });

  it("rejects non-function tool calls", async () => {
    expectRejected(withToolCall({ id: "call_1", type: "custom", custom: { name: "f", input: "x" } }), "messages[1].tool_calls[0].type", "unsupported_value");
  });

  it("passes string tool results verbatim and keeps text-part results as blocks without empty parts or is_error", async () => {
    const messages = messagesOf([
      ...HI,
      {
        role: "assistant",
        tool_calls: [
          { id: "call_1", type: "function", function: { name: "f", arguments: "{}" } },
          { id: "call_2", type: "function", function: { name: "g", arguments: "{}" } },
        ],
      },
      { role: "tool", tool_call_id: "call_1", content: " " },
      { role: "tool", tool_call_id: "call_2", content: [text("part 1"), text(""), text("part 2")] },
    ]);
    expect(messages[2]).toEqual({
      role: "user",
      content: [
        { type: "tool_result", tool_use_id: "call_1", content: " " },
        { type: "tool_result", tool_use_id: "call_2", content: [text("part 1"), text("part 2")] },
      ],
    });
  });

  it("rejects a tool message without tool_call_id", async () => {
    expectRejected({ messages: [...HI, { role: "tool", content: "r" }] }, "messages[1].tool_call_id");
  });
});

describe("toAnthropicRequest: tools and tool_choice", () => {
  const weather = {
    type: "function",
    function: {
      name: "weather",
      description: "Current weather",
      strict: true,
      parameters: { type: "object", properties: { city: { anyOf: [{ type: "string" }, { type: "null" }] } }, $defs: { x: {} }, additionalProperties: false },
    },
  };
  const time = { type: "function", function: { name: "time" } };

  function withTools(extra: Record<string, unknown>) {
    return translate({ messages: HI, tools: [weather, time], ...extra });
  }

  it("passes the schema verbatim, omits an absent description and defaults a missing schema", async () => {
    expect(withTools({}).tools).toEqual([
      { name: "weather", description: "Current weather", input_schema: weather.function.parameters },
      { name: "time", input_schema: { type: "object", properties: {} } },
    ]);
    expect(Object.keys((withTools({}).tools as object[])[0] as object)).toEqual(["name", "description", "input_schema"]);
    expect(withTools({})).not.toHaveProperty("tool_choice");
  });

  it("rejects non-function tools", async () => {
    expectRejected({ messages: HI, tools: [{ type: "custom", custom: { name: "x" } }] }, "tools[0].type", "unsupported_value");
  });

  it.each([
    ["auto", { type: "auto" }],
    ["required", { type: "any" }],
    ["none", { type: "none" }],
    [
      { type: "function", function: { name: "weather" } },
      { type: "tool", name: "weather" },
    ],
  ])("maps tool_choice %j to %j and still sends the tools", async (toolChoice, expected) => {
    const request = withTools({ tool_choice: toolChoice });
    expect(request.tool_choice).toEqual(expected);
    expect(request.tools).toHaveLength(2);
  });

  it("narrows the tools for allowed_tools and maps its mode", async () => {
    const allowed = (mode: string) => ({ type: "allowed_tools", allowed_tools: { mode, tools: [{ type: "function", function: { name: "time" } }] } });
    expect(withTools({ tool_choice: allowed("auto") })).toMatchObject({ tools: [{ name: "time" }], tool_choice: { type: "auto" } });
    expect(withTools({ tool_choice: allowed("required") })).toMatchObject({ tools: [{ name: "time" }], tool_choice: { type: "any" } });
    expectRejected({ messages: HI, tools: [weather], tool_choice: allowed("required") }, "tool_choice.allowed_tools.tools[0]");
    expectRejected({ messages: HI, tools: [weather], tool_choice: allowed("sometimes") }, "tool_choice.allowed_tools.mode", "unsupported_value");
  });

  it("adds disable_parallel_tool_use for parallel_tool_calls: false, except with none", async () => {
    expect(withTools({ parallel_tool_calls: false }).tool_choice).toEqual({ type: "auto", disable_parallel_tool_use: true });
    expect(withTools({ parallel_tool_calls: false, tool_choice: "required" }).tool_choice).toEqual({ type: "any", disable_parallel_tool_use: true });
    expect(withTools({ parallel_tool_calls: false, tool_choice: { type: "function", function: { name: "time" } } }).tool_choice).toEqual({
      type: "tool",
      name: "time",
      disable_parallel_tool_use: true,
    });
    expect(withTools({ parallel_tool_calls: false, tool_choice: "none" }).tool_choice).toEqual({ type: "none" });
    expect(withTools({ parallel_tool_calls: true, tool_choice: "auto" }).tool_choice).toEqual({ type: "auto" });
    expect(withTools({ parallel_tool_calls: true })).not.toHaveProperty("tool_choice");
  });

  it("drops tool_choice and parallel_tool_calls without tools; an empty tools array counts as none", async () => {
    const request = translate({ messages: HI, tools: [], tool_choice: "required", parallel_tool_calls: false });
    expect(Object.keys(request)).toEqual(["model", "messages", "max_tokens"]);
  });

  it("rejects an unknown tool_choice", async () => {
    expectRejected({ messages: HI, tools: [weather], tool_choice: "sometimes" }, "tool_choice", "unsupported_value");
  });
});
