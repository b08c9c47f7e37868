// A fast fake provider for benchmarks: every answer is serialised ahead of time.
// Path: /s/{chunks}/{delayMs}/v1/chat/completions (OpenAI) or /s/{chunks}/{delayMs}/v1/messages (Anthropic).
import http from "node:http";
import { anthropicFrames, openaiFrames } from "./frames.mjs";

const port = Number(process.argv[2] ?? 0);
const cache = new Map();

const OPENAI_JSON = Buffer.from(
  JSON.stringify({
    id: "chatcmpl-bench",
    object: "chat.completion",
    created: 1700000000,
    model: "bench-model",
    choices: [{ index: 0, message: { role: "assistant", content: "Hello from the benchmark upstream." }, logprobs: null, finish_reason: "stop" }],
    usage: { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 },
  }),
);
const ANTHROPIC_JSON = Buffer.from(
  JSON.stringify({
    id: "msg_bench",
    type: "message",
    role: "assistant",
    model: "bench-claude",
    content: [{ type: "text", text: "Hello from the benchmark upstream." }],
    stop_reason: "end_turn",
    usage: { input_tokens: 12, output_tokens: 7 },
  }),
);

function frames(kind, chunks, withUsage) {
  const key = `${kind}:${chunks}:${withUsage}`;
  let value = cache.get(key);
  if (!value) cache.set(key, (value = kind === "anthropic" ? anthropicFrames(chunks) : openaiFrames(chunks, withUsage)));
  return value;
}

const server = http.createServer((request, response) => {
  const parts = request.url.split("/");
  const chunks = Number(parts[2]);
  const delay = Number(parts[3]);
  const kind = request.url.endsWith("/messages") ? "anthropic" : "openai";
  const body = [];
  request.on("data", (chunk) => body.push(chunk));
  request.on("end", () => {
    const text = Buffer.concat(body).toString();
    if (!text.includes('"stream":true')) {
      const payload = kind === "anthropic" ? ANTHROPIC_JSON : OPENAI_JSON;
      response.writeHead(200, { "content-type": "application/json", "content-length": payload.length, "x-request-id": "up-1" });
      return response.end(payload);
    }
    const list = frames(kind, chunks, text.includes('"include_usage":true'));
    response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    let index = 0;
    const next = () => {
      if (response.destroyed) return;
      if (index === list.length) return response.end();
      response.write(list[index++]);
      if (delay > 0) setTimeout(next, delay);
      else next();
    };
    next();
  });
});
server.keepAliveTimeout = 60_000;
server.listen(port, "127.0.0.1", () => process.send?.({ port: server.address().port }));
