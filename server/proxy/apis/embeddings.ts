import { z } from "zod";
import { zodToValidationError } from "../../validation";
import { checkMessageCount, parseJsonObject } from "../request-body";
import { errorResponse } from "../respond";
import type { ApiFront } from "./types";

const EmbeddingsBody = z
  .object({
    // Ignored on the path that names the Llm.
    model: z.unknown().optional(),
    input: z.union([z.string(), z.array(z.string()), z.array(z.number()), z.array(z.array(z.number()))], {
      message: "must be a string, an array of strings, or token arrays",
    }),
  })
  .passthrough();

/**
 * `POST /api/v1/embeddings` and `/api/v1/llms/{name}/embeddings`: OpenAI's embeddings API, passed
 * to OpenAI-compatible providers that have one; there is no translation for the others.
 */
export const embeddingsFront: ApiFront = {
  name: "embeddings",
  apiKeyHeader: false,
  parse(bytes) {
    const json = parseJsonObject(bytes);
    checkMessageCount(json, "input");
    const result = EmbeddingsBody.safeParse(json);
    if (!result.success) throw zodToValidationError(result.error);
    const body = result.data as Record<string, unknown>;
    const texts = Array.isArray(body.input) ? body.input : [body.input];
    return {
      api: "embeddings",
      body,
      model: body.model,
      stream: false,
      wantsUsage: false,
      // Embeddings read their input and write nothing: no output to reserve.
      estimate: { messages: texts.map((text) => ({ role: "user", content: typeof text === "string" ? text : JSON.stringify(text) })), max_tokens: 0 },
      forwardHeaders: {},
      toChat: null,
    };
  },
  present: (result) => result,
  errorResponse,
};
