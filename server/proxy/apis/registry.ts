import { chatFront } from "./chat";
import { countTokensFront, messagesFront } from "./messages/front";
import type { ApiFront, ApiName } from "./types";

export const API_FRONTS = {
  chat: chatFront,
  messages: messagesFront,
  count_tokens: countTokensFront,
} satisfies Record<ApiName, ApiFront>;
