import { parseChatRequest } from "../request-body";
import { errorResponse } from "../respond";
import type { ApiFront } from "./types";

/** `POST /api/v1/chat/completions` (and the paths that name the Llm): OpenAI Chat Completions, the gateway's own wire. */
export const chatFront: ApiFront = {
  name: "chat",
  apiKeyHeader: false,
  parse(bytes) {
    const chat = parseChatRequest(bytes);
    return {
      api: "chat",
      body: chat,
      model: chat.model,
      stream: chat.stream === true,
      wantsUsage: chat.stream_options?.include_usage === true,
      estimate: chat,
      forwardHeaders: {},
      toChat: () => chat,
    };
  },
  present: (result) => result,
  errorResponse,
};
