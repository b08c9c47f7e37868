// Pre-serialised provider streams shared by the benchmark and soak upstreams.

/** An OpenAI chat.completion.chunk stream of `chunks` content deltas (plus the usage chunk when asked). */
export function openaiFrames(chunks, withUsage, { id = "chatcmpl-bench", model = "bench-model" } = {}) {
  const base = `{"id":"${id}","object":"chat.completion.chunk","created":1700000000,"model":"${model}","choices":[`;
  const frames = [`data: ${base}{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}\n\n`];
  for (let index = 0; index < chunks; index += 1) frames.push(`data: ${base}{"index":0,"delta":{"content":"tok${index} "},"finish_reason":null}]}\n\n`);
  frames.push(`data: ${base}{"index":0,"delta":{},"finish_reason":"stop"}]}\n\n`);
  if (withUsage) frames.push(`data: ${base}],"usage":{"prompt_tokens":12,"completion_tokens":${chunks},"total_tokens":${12 + chunks}}}\n\n`);
  frames.push("data: [DONE]\n\n");
  return frames.map((frame) => Buffer.from(frame));
}

/** An Anthropic Messages SSE stream with `chunks` text deltas. */
export function anthropicFrames(chunks, { id = "msg_bench", model = "bench-claude" } = {}) {
  const event = (payload) => Buffer.from(`event: ${payload.type}\ndata: ${JSON.stringify(payload)}\n\n`);
  const frames = [
    event({
      type: "message_start",
      message: { id, type: "message", role: "assistant", model, content: [], stop_reason: null, usage: { input_tokens: 12, output_tokens: 1 } },
    }),
    event({ type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }),
  ];
  for (let index = 0; index < chunks; index += 1)
    frames.push(event({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: `tok${index} ` } }));
  frames.push(event({ type: "content_block_stop", index: 0 }));
  frames.push(event({ type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: chunks } }));
  frames.push(event({ type: "message_stop" }));
  return frames;
}
