import { z } from "zod";
import { ValidationError } from "../../../errors";
import { zodToValidationError } from "../../../validation";
import { isRecord } from "../../providers/anthropic/json";
import { checkMessageCount, parseJsonObject, type ChatRequest } from "../../request-body";

// OpenAI Responses requests: what the gateway checks itself (it keeps no state), and the
// translation to Chat Completions for providers that do not speak Responses.

const ResponsesBody = z
  .object({
    model: z.string({ message: "must name the llm to call" }).min(1, "must name the llm to call"),
    input: z.union([z.string(), z.array(z.record(z.string(), z.unknown()))], { message: "must be a string or an array of input items" }),
    instructions: z.string().nullish(),
    stream: z.boolean().nullish(),
    max_output_tokens: z.number().int().positive().nullish(),
    tools: z.array(z.record(z.string(), z.unknown())).nullish(),
  })
  .passthrough();

export type ResponsesBody = z.infer<typeof ResponsesBody> & Record<string, unknown>;

const STATELESS = "the gateway keeps no responses: send the whole conversation in `input` (and `store: false`)";

/** A Responses body, refusing what needs stored state; the rest goes to the provider as sent. */
export function parseResponsesBody(bytes: Buffer): ResponsesBody {
  const json = parseJsonObject(bytes);
  for (const field of ["previous_response_id", "conversation"]) {
    if (json[field] !== undefined && json[field] !== null) throw new ValidationError(`${field}: not supported; ${STATELESS}`, field, "unsupported_parameter");
  }
  if (json.background === true) throw new ValidationError(`background: not supported; ${STATELESS}`, "background", "unsupported_parameter");
  checkMessageCount(json, "input");
  const result = ResponsesBody.safeParse(json);
  if (!result.success) throw zodToValidationError(result.error);
  return result.data as ResponsesBody;
}

type ChatMessage = { role: string } & Record<string, unknown>;

/**
 * The request as Chat Completions: `instructions` and developer/system items become system
 * messages; message items keep their role; `function_call` items become an assistant message's
 * `tool_calls` and `function_call_output` items `tool` messages. Reasoning items are not sent
 * (their encrypted content means nothing to another provider), nor hosted tools (web search, file
 * search, ...), which only OpenAI runs.
 */
export function toChatRequest(body: ResponsesBody): ChatRequest {
  const messages: ChatMessage[] = [];
  if (body.instructions) messages.push({ role: "system", content: body.instructions });
  if (typeof body.input === "string") messages.push({ role: "user", content: body.input });
  else {
    body.input.forEach((item, index) => {
      addItem(messages, item, `input[${index}]`);
    });
  }
  if (messages.length === 0) throw new ValidationError("input: nothing to send", "input");
  const chat: ChatRequest = { model: body.model, messages };
  if (body.max_output_tokens) chat.max_tokens = body.max_output_tokens;
  for (const field of ["temperature", "top_p", "parallel_tool_calls"] as const) {
    if (body[field] !== undefined && body[field] !== null) chat[field] = body[field];
  }
  // The usage `response.completed` carries is asked for by the adapter, where the Llm allows it.
  if (body.stream === true) chat.stream = true;
  const tools = (body.tools ?? []).filter((tool) => tool.type === "function").map(chatTool);
  if (tools.length > 0) {
    chat.tools = tools;
    const choice = toolChoice(body.tool_choice);
    if (choice !== undefined) chat.tool_choice = choice;
  }
  const format = responseFormat(body.text);
  if (format) chat.response_format = format;
  return chat;
}

function addItem(messages: ChatMessage[], item: Record<string, unknown>, path: string): void {
  const type = item.type ?? (item.role !== undefined ? "message" : undefined);
  switch (type) {
    case "message":
      return addMessage(messages, item, path);
    case "function_call": {
      const call = {
        id: stringField(item, "call_id", path),
        type: "function",
        function: { name: stringField(item, "name", path), arguments: typeof item.arguments === "string" ? item.arguments : "{}" },
      };
      // Calls made in one turn are one assistant message, after any text it said.
      const last = messages.at(-1);
      if (last?.role === "assistant") last.tool_calls = [...((last.tool_calls as unknown[]) ?? []), call];
      else messages.push({ role: "assistant", content: null, tool_calls: [call] });
      return;
    }
    case "function_call_output":
      messages.push({ role: "tool", tool_call_id: stringField(item, "call_id", path), content: outputText(item.output, `${path}.output`) });
      return;
    case "reasoning":
      return;
    default:
      throw new ValidationError(`input item type '${String(type)}' is served only by OpenAI llms`, `${path}.type`, "unsupported_value");
  }
}

function addMessage(messages: ChatMessage[], item: Record<string, unknown>, path: string): void {
  const role = item.role;
  if (role === "assistant") {
    const text =
      typeof item.content === "string"
        ? item.content
        : contentParts(item.content, `${path}.content`)
            .map((part) => part.text ?? "")
            .join("");
    if (text !== "") messages.push({ role: "assistant", content: text });
    return;
  }
  if (role !== "user" && role !== "system" && role !== "developer") {
    throw new ValidationError("must be 'user', 'assistant', 'system' or 'developer'", `${path}.role`);
  }
  // Not every provider knows the developer role; every one knows system.
  const chatRole = role === "user" ? "user" : "system";
  if (typeof item.content === "string") {
    if (item.content !== "") messages.push({ role: chatRole, content: item.content });
    return;
  }
  const parts = contentParts(item.content, `${path}.content`);
  if (parts.length === 0) return;
  const textOnly = parts.every((part) => part.type === "text");
  messages.push({ role: chatRole, content: textOnly || chatRole === "system" ? parts.map((part) => part.text ?? "").join("\n") : parts });
}

type ChatPart = { type: string; text?: string } & Record<string, unknown>;

function contentParts(content: unknown, path: string): ChatPart[] {
  if (!Array.isArray(content)) throw new ValidationError("must be a string or an array of content parts", path);
  const parts: ChatPart[] = [];
  content.forEach((part: unknown, index) => {
    const at = `${path}[${index}]`;
    if (!isRecord(part)) throw new ValidationError("must be a content part", at);
    switch (part.type) {
      case "input_text":
      case "output_text":
        if (typeof part.text === "string" && part.text !== "") parts.push({ type: "text", text: part.text });
        return;
      case "refusal":
        if (typeof part.refusal === "string" && part.refusal !== "") parts.push({ type: "text", text: part.refusal });
        return;
      case "input_image":
        if (typeof part.image_url !== "string")
          throw new ValidationError("an image must have an image_url (file ids are OpenAI's own)", at, "unsupported_value");
        parts.push({ type: "image_url", image_url: { url: part.image_url, ...(typeof part.detail === "string" ? { detail: part.detail } : {}) } });
        return;
      case "input_file":
        if (typeof part.file_data !== "string")
          throw new ValidationError("a file must carry its file_data (file ids are OpenAI's own)", at, "unsupported_value");
        parts.push({ type: "file", file: { file_data: part.file_data, ...(typeof part.filename === "string" ? { filename: part.filename } : {}) } });
        return;
      default:
        throw new ValidationError(`content part type '${String(part.type)}' is served only by OpenAI llms`, `${at}.type`, "unsupported_value");
    }
  });
  return parts;
}

/** A function call's output as a tool message's text. */
function outputText(output: unknown, path: string): string {
  if (typeof output === "string") return output;
  return contentParts(output, path)
    .map((part) => part.text ?? "")
    .join("\n");
}

function chatTool(tool: Record<string, unknown>): Record<string, unknown> {
  const fn: Record<string, unknown> = { name: tool.name, parameters: isRecord(tool.parameters) ? tool.parameters : { type: "object", properties: {} } };
  if (typeof tool.description === "string") fn.description = tool.description;
  if (typeof tool.strict === "boolean") fn.strict = tool.strict;
  return { type: "function", function: fn };
}

function toolChoice(choice: unknown): unknown {
  if (choice === "auto" || choice === "none" || choice === "required") return choice;
  if (isRecord(choice) && choice.type === "function" && typeof choice.name === "string") return { type: "function", function: { name: choice.name } };
  return undefined;
}

/** `text.format` as Chat Completions' `response_format`. */
function responseFormat(text: unknown): Record<string, unknown> | null {
  const format = isRecord(text) && isRecord(text.format) ? text.format : null;
  if (!format || format.type === "text") return null;
  if (format.type === "json_object") return { type: "json_object" };
  if (format.type === "json_schema") {
    const { type: _type, ...schema } = format;
    return { type: "json_schema", json_schema: schema };
  }
  return null;
}

function stringField(item: Record<string, unknown>, field: string, path: string): string {
  const value = item[field];
  if (typeof value !== "string" || value === "") throw new ValidationError("must be a non-empty string", `${path}.${field}`);
  return value;
}
