import { openaiErrorBody } from "../../../errors";
import type { AttemptOutcome, UpstreamResult } from "../../providers/types";
import { errorResponse } from "../../respond";
import { presentChatAnswer } from "../chat-answer";
import type { ApiFront, ApiName, ApiRequest } from "../types";
import { parseResponsesBody, toChatRequest, type ResponsesBody } from "./request";
import { toResponse } from "./response";
import { createResponsesStreamTranslator } from "./stream";

/** A Chat Completions answer as a Response; errors keep OpenAI's error shape, which Responses shares. */
function present(result: UpstreamResult, wire: ApiName, request: ApiRequest, _requestId: string, outcome: AttemptOutcome): UpstreamResult {
  if (wire !== "chat" || (result.kind === "complete" && (result.status < 200 || result.status >= 300))) return result;
  const body = request.body as ResponsesBody;
  return presentChatAnswer(result, outcome, {
    whole: (completion) => toResponse(completion, body),
    stream: () => createResponsesStreamTranslator(body),
    error: (message) => openaiErrorBody(message, "api_error"),
  });
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
      // `response.completed` carries the usage.
      wantsUsage: true,
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
