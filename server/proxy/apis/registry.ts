import { chatFront } from "./chat";
import { embeddingsFront } from "./embeddings";
import { responsesFront } from "./responses/front";
import { countTokensFront, messagesFront } from "./messages/front";
import type { ApiFront, ApiName } from "./types";

export const API_FRONTS = {
  chat: chatFront,
  messages: messagesFront,
  count_tokens: countTokensFront,
  responses: responsesFront,
  embeddings: embeddingsFront,
} satisfies Record<ApiName, ApiFront>;
