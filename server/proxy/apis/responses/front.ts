import { isRecord } from "../../providers/anthropic/json";
import type { AttemptOutcome, UpstreamResult } from "../../providers/types";
import { errorResponse } from "../../respond";
import type { ChunkSink } from "../../types";
import type { ApiFront, ApiName, ApiRequest } from "../types";
import { parseResponsesBody, toChatRequest, type ResponsesBody } from "./request";
import { toResponse } from "./response";
import { createResponsesStreamTranslator } from "./stream";

const encoder = new TextEncoder();

/** A Chat Completions answer as a Response; errors keep OpenAI's error shape, which Responses shares. */
function present(result: UpstreamResult, wire: ApiName, request: ApiRequest, _requestId: string, outcome: AttemptOutcome): UpstreamResult {
  if (wire !== "chat" || (result.kind === "complete" && (result.status < 200 || result.status >= 300))) return result;
  const body = request.body as ResponsesBody;
  if (result.kind === "complete") {
    let completion: unknown;
    try {
      completion = JSON.parse(Buffer.from(result.body).toString("utf8"));
    } catch {
      completion = null;
    }
    if (!isRecord(completion)) {
      outcome.error = "The provider answered 200 with a body that is not a JSON object";
      const error = { error: { message: outcome.error, type: "api_error", param: null, code: null } };
      return { ...result, status: 502, body: encoder.encode(JSON.stringify(error)) };
    }
    return { ...result, body: encoder.encode(JSON.stringify(toResponse(completion, body))) };
  }
  const inner = result.body;
  return {
    ...result,
    body: async (sink: ChunkSink) => {
      const translator = createResponsesStreamTranslator(body);
      await inner({
        write: (chunk) => {
          const text = translator.write(chunk);
          return text === "" || sink.write(encoder.encode(text));
        },
        drain: () => sink.drain(),
      });
      const tail = translator.end();
      if (tail !== "") sink.write(encoder.encode(tail));
      outcome.error ??= translator.error();
    },
  };
}

/** `POST /api/v1/responses`: OpenAI's Responses API, stateless, for the Codex CLI and the Agents SDK. */
export const responsesFront: ApiFront = {
  name: "responses",
  apiKeyHeader: false,
  parse(bytes) {
    const body = parseResponsesBody(bytes);
    let chat: ReturnType<typeof toChatRequest> | null = null;
    // Every item counts toward the estimate, whatever its kind.
    const input = typeof body.input === "string" ? [{ role: "user", content: body.input }] : body.input.map((item) => ({ role: "user", ...item }));
    return {
      api: "responses",
      body,
      model: body.model,
      stream: body.stream === true,
      estimate: {
        messages: [{ role: "system", content: body.instructions ?? "" }, ...input],
        tools: body.tools ?? undefined,
        max_tokens: body.max_output_tokens ?? undefined,
      },
      forwardHeaders: {},
      toChat: () => (chat ??= toChatRequest(body)),
    };
  },
  present,
  errorResponse,
};
