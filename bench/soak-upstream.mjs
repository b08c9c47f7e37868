// The soak test's fake provider (a child process): every answer is serialised ahead of time, and
// the first path segment picks the behaviour, so each Llm always fails the same way:
//   /{behaviour}/v1/chat/completions (OpenAI) or /{behaviour}/v1/messages (Anthropic)
// ok | long (streams paced to outlive a client abort) | e500 | e429 | e529 | reset | malformed | hang | stall
// It counts requests still open; the parent asks with {type:"stats"} and can {type:"close-idle"}.
import http from "node:http";
import { anthropicFrames, openaiFrames } from "./frames.mjs";

const port = Number(process.argv[2] ?? 0);
const PACING = { ok: { chunks: 20, delayMs: 20 }, long: { chunks: 100, delayMs: 20 } };
const sse = (text) => Buffer.from(text);

const SOAK_IDS = { openai: { id: "chatcmpl-soak", model: "soak-model" }, anthropic: { id: "msg_soak", model: "soak-claude" } };
const STREAMS = {
  openai: {
    ok: openaiFrames(PACING.ok.chunks, false, SOAK_IDS.openai),
    okUsage: openaiFrames(PACING.ok.chunks, true, SOAK_IDS.openai),
    long: openaiFrames(PACING.long.chunks, false, SOAK_IDS.openai),
    longUsage: openaiFrames(PACING.long.chunks, true, SOAK_IDS.openai),
  },
  anthropic: { ok: anthropicFrames(PACING.ok.chunks, SOAK_IDS.anthropic), long: anthropicFrames(PACING.long.chunks, SOAK_IDS.anthropic) },
};
const JSON_ANSWERS = {
  openai: sse(
    JSON.stringify({
      id: "chatcmpl-soak",
      object: "chat.completion",
      created: 1700000000,
      model: "soak-model",
      choices: [{ index: 0, message: { role: "assistant", content: "Hello from the soak upstream." }, finish_reason: "stop" }],
      usage: { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 },
    }),
  ),
  anthropic: sse(
    JSON.stringify({
      id: "msg_soak",
      type: "message",
      role: "assistant",
      model: "soak-claude",
      content: [{ type: "text", text: "Hello from the soak upstream." }],
      stop_reason: "end_turn",
      usage: { input_tokens: 12, output_tokens: 7 },
    }),
  ),
};
const ERRORS = {
  openai: {
    e500: [500, {}, sse('{"error":{"message":"The server had an error","type":"server_error","param":null,"code":null}}')],
    e429: [429, { "retry-after": "1" }, sse('{"error":{"message":"Rate limit reached","type":"requests","param":null,"code":"rate_limit_exceeded"}}')],
  },
  anthropic: {
    e500: [500, {}, sse('{"type":"error","error":{"type":"api_error","message":"Internal server error"}}')],
    e429: [429, { "retry-after": "1" }, sse('{"type":"error","error":{"type":"rate_limit_error","message":"Rate limited"}}')],
    e529: [529, {}, sse('{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}')],
  },
};
const MALFORMED_SSE = sse('data: {"choices":[{"delta":{"content":"broken\n\nevent: content_block_delta\ndata: {not json at all\n\n');
const SSE_HEAD = { "content-type": "text/event-stream", "cache-control": "no-cache" };
const JSON_HEAD = { "content-type": "application/json" };

let open = 0;
let total = 0;

function paced(response, frames, delayMs) {
  let index = 0;
  const next = () => {
    if (response.destroyed) return;
    if (index === frames.length) return response.end();
    response.write(frames[index++]);
    setTimeout(next, delayMs);
  };
  next();
}

function answer(behaviour, kind, stream, wantsUsage, response) {
  const frames = STREAMS[kind];
  if (behaviour === "ok" || behaviour === "long") {
    if (!stream) return response.writeHead(200, JSON_HEAD).end(JSON_ANSWERS[kind]);
    const list = kind === "openai" && wantsUsage ? frames[`${behaviour}Usage`] : frames[behaviour];
    response.writeHead(200, SSE_HEAD);
    return paced(response, list, PACING[behaviour].delayMs);
  }
  const error = ERRORS[kind][behaviour];
  if (error) return response.writeHead(error[0], { ...JSON_HEAD, ...error[1] }).end(error[2]);
  if (behaviour === "reset") {
    // Two frames (or half a JSON body), then the connection is cut.
    response.writeHead(200, stream ? SSE_HEAD : JSON_HEAD);
    response.write(stream ? Buffer.concat(frames.ok.slice(0, 2)) : JSON_ANSWERS[kind].subarray(0, 20));
    return setTimeout(() => response.destroy(), 5);
  }
  if (behaviour === "malformed") {
    if (!stream) return response.writeHead(200, JSON_HEAD).end(JSON_ANSWERS[kind].subarray(0, 30));
    response.writeHead(200, SSE_HEAD);
    response.write(Buffer.concat(frames.ok.slice(0, 2)));
    return response.end(kind === "openai" ? Buffer.concat([MALFORMED_SSE, frames.ok.at(-1)]) : MALFORMED_SSE);
  }
  if (behaviour === "stall") {
    response.writeHead(200, stream ? SSE_HEAD : JSON_HEAD);
    return response.write(stream ? Buffer.concat(frames.ok.slice(0, 2)) : JSON_ANSWERS[kind].subarray(0, 20));
  }
  if (behaviour === "hang") return; // the gateway's timeout must let go of it
  response.writeHead(404, JSON_HEAD).end('{"error":{"message":"unknown behaviour"}}');
}

const server = http.createServer((request, response) => {
  open += 1;
  total += 1;
  response.on("close", () => (open -= 1));
  const behaviour = request.url.split("/")[1];
  const kind = request.url.endsWith("/messages") ? "anthropic" : "openai";
  const body = [];
  request.on("data", (chunk) => body.push(chunk));
  request.on("end", () => {
    const text = Buffer.concat(body).toString();
    answer(behaviour, kind, text.includes('"stream":true'), text.includes('"include_usage":true'), response);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(port, "127.0.0.1", () => process.send?.({ type: "listening", port: server.address().port }));
process.on("message", (message) => {
  if (message.type === "close-idle") server.closeIdleConnections();
  if (message.type === "stats" || message.type === "close-idle") process.send?.({ type: "stats", open, total });
});
