import { openaiCompletion, openaiStreamFrames, sendJson, sendSse, sleep, startFakeUpstream, type FakeUpstream } from "../tests/helpers/fake-upstream";

/** The answer the fake model streams, in these pieces, so a spec can watch it grow. */
export const STREAMED_PIECES = ["Hello", " from", " the", " fake", " upstream", ", streamed", " token", " by", " token."];
export const STREAMED_TEXT = STREAMED_PIECES.join("");
export const PIECE_DELAY_MS = 150;

/**
 * An OpenAI-compatible upstream on 127.0.0.1: streams `STREAMED_PIECES` as SSE chunks with
 * small delays, answers non-stream requests, and misbehaves on request for two model ids:
 * `upstream-500` fails before the first byte, `cut-midstream` drops the connection mid-answer.
 */
export async function startFakeOpenAI(): Promise<FakeUpstream> {
  const upstream = await startFakeUpstream();
  upstream.handle(async (request, response) => {
    // Lets specs (in another process) check what the gateway sent upstream, e.g. the resolved key.
    if (request.url === "/__requests") {
      const calls = upstream.requests.filter((entry) => entry.url.endsWith("/chat/completions"));
      return sendJson(
        response,
        200,
        calls.map((entry) => ({
          url: entry.url,
          authorization: entry.headers.authorization ?? null,
          model: entry.json?.model ?? null,
          stream: entry.json?.stream ?? false,
        })),
      );
    }
    if (request.method !== "POST" || !request.url.endsWith("/chat/completions"))
      return sendJson(response, 404, { error: { message: "not found", type: "invalid_request_error" } });
    const model = String(request.json?.model ?? "");
    if (model === "upstream-500")
      return sendJson(response, 500, { error: { message: "the fake model is overloaded", type: "server_error", param: null, code: null } });
    if (request.json?.stream !== true) return sendJson(response, 200, openaiCompletion(STREAMED_TEXT, model), { "x-request-id": "req_fake_json" });
    const frames = openaiStreamFrames(request, STREAMED_PIECES, model);
    if (model === "cut-midstream") {
      response.writeHead(200, { "content-type": "text/event-stream" });
      for (const frame of frames.slice(0, 3)) {
        response.write(frame);
        await sleep(PIECE_DELAY_MS);
      }
      response.destroy();
      return;
    }
    await sendSse(response, frames, { delayMs: PIECE_DELAY_MS, headers: { "x-request-id": "req_fake_stream" } });
  });
  return upstream;
}
