import { z } from "zod";
import { ValidationError } from "../../../errors";
import type { UpstreamProvider } from "../../../llms/providers";
import { zodToValidationError } from "../../../validation";
import { isRecord } from "../../providers/anthropic/json";
import { checkMessageCount, parseJsonObject, type ChatRequest } from "../../request-body";

// Anthropic Messages requests: what the gateway checks itself, and the translation to Chat
// Completions for providers that do not speak Messages (the inverse of the Anthropic adapter's).

const Block = z.object({ type: z.string().min(1, "must name the block type") }).passthrough();
const Message = z
  .object({
    // `system` turns are part of the Messages API since version 2026-10-21 (Claude Code sends them).
    role: z.enum(["user", "assistant", "system"], { message: "must be 'user', 'assistant' or 'system'" }),
    content: z.union([z.string(), z.array(Block)], { message: "must be a string or an array of content blocks" }),
  })
  .passthrough();
const TextBlock = z.object({ type: z.literal("text"), text: z.string() }).passthrough();

const CountTokensBody = z
  .object({
    model: z.string({ message: "must name the llm to call" }).min(1, "must name the llm to call"),
    messages: z.array(Message).min(1, "must contain at least one message"),
    system: z.union([z.string(), z.array(TextBlock)]).optional(),
    tools: z.array(z.object({ name: z.string().min(1) }).passthrough()).optional(),
  })
  .passthrough();

const MessagesBody = CountTokensBody.extend({
  max_tokens: z.number({ message: "is required (a positive whole number)" }).int("must be a whole number").positive("must be positive"),
  stream: z.boolean().optional(),
  stop_sequences: z.array(z.string()).optional(),
  temperature: z.number().optional(),
  top_p: z.number().optional(),
}).passthrough();

export type MessagesBody = z.infer<typeof MessagesBody> & Record<string, unknown>;

/** A Messages (or count_tokens) body, checked for what the gateway relies on; the rest goes to the provider as sent. */
export function parseMessagesBody(bytes: Buffer, countTokens: boolean): MessagesBody {
  const json = parseJsonObject(bytes);
  checkMessageCount(json, "messages");
  const result = (countTokens ? CountTokensBody : MessagesBody).safeParse(json);
  if (!result.success) throw zodToValidationError(result.error);
  return result.data as MessagesBody;
}

type ChatMessage = { role: string } & Record<string, unknown>;
type ChatPart = Record<string, unknown>;

/**
 * The request as Chat Completions: `system` becomes the first message; tool results become `tool`
 * messages ahead of the user's other content; `tool_use` blocks become `tool_calls`; images and
 * PDFs become image and file parts. Thinking blocks from earlier turns are not sent (Chat
 * Completions has no place for their signatures), nor `metadata`, `thinking` or `top_k`. Server
 * tools and blocks only Anthropic can serve are refused with the field that named them.
 */
export function toChatRequest(body: MessagesBody, provider: UpstreamProvider): ChatRequest {
  const messages: ChatMessage[] = [];
  const system = systemText(body.system);
  if (system !== "") messages.push({ role: "system", content: system });
  body.messages.forEach((message, index) => {
    const path = `messages[${index}]`;
    if (typeof message.content === "string") {
      if (message.content !== "") messages.push({ role: message.role, content: message.content });
    } else if (message.role === "system") {
      const text = systemText(message.content.map((block, blockIndex) => ({ text: stringField(block, "text", `${path}.content[${blockIndex}]`) })));
      if (text !== "") messages.push({ role: "system", content: text });
    } else if (message.role === "user") messages.push(...userMessages(message.content, path));
    else {
      const assistant = assistantMessage(message.content, path);
      if (assistant) messages.push(assistant);
    }
  });
  if (messages.length === 0) throw new ValidationError("messages: nothing to send once empty messages are left out", "messages");
  const chat: ChatRequest = { model: body.model, messages };
  // OpenAI's newer models take only max_completion_tokens; other providers know max_tokens.
  if (provider === "openai") chat.max_completion_tokens = body.max_tokens;
  else chat.max_tokens = body.max_tokens;
  if (body.stop_sequences && body.stop_sequences.length > 0) chat.stop = body.stop_sequences;
  if (body.temperature !== undefined) chat.temperature = body.temperature;
  if (body.top_p !== undefined) chat.top_p = body.top_p;
  // The usage a Messages stream ends with is asked for by the adapter, where the Llm allows it.
  if (body.stream === true) chat.stream = true;
  if (body.tools && body.tools.length > 0) {
    chat.tools = body.tools.map((tool, index) => chatTool(tool, `tools[${index}]`));
    Object.assign(chat, toolChoice(body.tool_choice));
  }
  for (const field of ["mcp_servers", "container"]) {
    if (body[field] !== undefined && body[field] !== null) {
      throw new ValidationError(`${field}: only Anthropic llms serve it`, field, "unsupported_parameter");
    }
  }
  return chat;
}

/** `system` as one string (text blocks joined with newlines). */
export function systemText(system: string | { text: string }[] | undefined): string {
  if (system === undefined) return "";
  if (typeof system === "string") return system;
  return system
    .map((block) => block.text)
    .filter((text) => text !== "")
    .join("\n");
}

/** A user turn: its tool results as `tool` messages first (they answer the previous turn's calls), then the rest. */
function userMessages(blocks: Record<string, unknown>[], path: string): ChatMessage[] {
  const toolMessages: ChatMessage[] = [];
  const parts: ChatPart[] = [];
  blocks.forEach((block, index) => {
    const at = `${path}.content[${index}]`;
    if (block.type === "tool_result") {
      const { text, media } = toolResultContent(block.content, at);
      toolMessages.push({ role: "tool", tool_call_id: stringField(block, "tool_use_id", at), content: text });
      // A tool message carries text only; pictures a tool returned follow in the user message.
      parts.push(...media);
    } else if (block.type === "thinking" || block.type === "redacted_thinking") {
      // Not the user's to send; nothing to translate.
    } else {
      const part = contentPart(block, at);
      if (part) parts.push(part);
    }
  });
  const user: ChatMessage[] = parts.length === 0 ? [] : [{ role: "user", content: partsContent(parts) }];
  return [...toolMessages, ...user];
}

/** Text-only content as one string (every provider takes that); otherwise the parts. */
function partsContent(parts: ChatPart[]): string | ChatPart[] {
  return parts.every((part) => part.type === "text") ? parts.map((part) => part.text).join("\n") : parts;
}

function toolResultContent(content: unknown, path: string): { text: string; media: ChatPart[] } {
  if (content === undefined || content === null) return { text: "", media: [] };
  if (typeof content === "string") return { text: content, media: [] };
  if (!Array.isArray(content)) throw new ValidationError("must be a string or an array of content blocks", `${path}.content`);
  const texts: string[] = [];
  const media: ChatPart[] = [];
  content.forEach((block: unknown, index) => {
    const at = `${path}.content[${index}]`;
    if (!isRecord(block)) throw new ValidationError("must be a content block", at);
    const part = contentPart(block, at);
    if (!part) return;
    if (part.type === "text") texts.push(part.text as string);
    else media.push(part);
  });
  return { text: texts.join("\n"), media };
}

/** One user content block as a Chat Completions part (null: nothing to send). */
function contentPart(block: Record<string, unknown>, path: string): ChatPart | null {
  switch (block.type) {
    case "text": {
      const text = stringField(block, "text", path);
      return text === "" ? null : { type: "text", text };
    }
    case "image":
      return { type: "image_url", image_url: { url: imageUrl(block.source, `${path}.source`) } };
    case "document":
      return documentPart(block.source, `${path}.source`);
    default:
      throw new ValidationError(`content block type '${String(block.type)}' is served only by Anthropic llms`, `${path}.type`, "unsupported_value");
  }
}

function imageUrl(source: unknown, path: string): string {
  if (isRecord(source) && source.type === "base64" && typeof source.media_type === "string" && typeof source.data === "string") {
    return `data:${source.media_type};base64,${source.data}`;
  }
  if (isRecord(source) && source.type === "url" && typeof source.url === "string") return source.url;
  throw new ValidationError("an image must have a base64 or url source", path, "unsupported_value");
}

function documentPart(source: unknown, path: string): ChatPart {
  if (isRecord(source) && source.type === "base64" && source.media_type === "application/pdf" && typeof source.data === "string") {
    return { type: "file", file: { filename: "document.pdf", file_data: `data:application/pdf;base64,${source.data}` } };
  }
  if (isRecord(source) && source.type === "text" && typeof source.data === "string") return { type: "text", text: source.data };
  throw new ValidationError("a document must be a base64 PDF or plain text", path, "unsupported_value");
}

/** An assistant turn: its text as `content`, its `tool_use` blocks as `tool_calls`; null when it has neither. */
function assistantMessage(blocks: Record<string, unknown>[], path: string): ChatMessage | null {
  const texts: string[] = [];
  const toolCalls: Record<string, unknown>[] = [];
  blocks.forEach((block, index) => {
    const at = `${path}.content[${index}]`;
    if (block.type === "text") texts.push(stringField(block, "text", at));
    else if (block.type === "tool_use") {
      toolCalls.push({
        id: stringField(block, "id", at),
        type: "function",
        function: { name: stringField(block, "name", at), arguments: JSON.stringify(block.input ?? {}) },
      });
    } else if (block.type !== "thinking" && block.type !== "redacted_thinking") {
      throw new ValidationError(`content block type '${String(block.type)}' is served only by Anthropic llms`, `${at}.type`, "unsupported_value");
    }
  });
  const text = texts.join("");
  if (text === "" && toolCalls.length === 0) return null;
  return { role: "assistant", content: text === "" ? null : text, ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}) };
}

function chatTool(tool: Record<string, unknown>, path: string): Record<string, unknown> {
  if (tool.type !== undefined && tool.type !== "custom") {
    throw new ValidationError(`tool type '${String(tool.type)}' is a server tool only Anthropic llms serve`, `${path}.type`, "unsupported_value");
  }
  const parameters = isRecord(tool.input_schema) ? tool.input_schema : { type: "object", properties: {} };
  return {
    type: "function",
    function: { name: tool.name, ...(typeof tool.description === "string" ? { description: tool.description } : {}), parameters },
  };
}

function toolChoice(choice: unknown): Record<string, unknown> {
  if (!isRecord(choice)) return {};
  const chat: Record<string, unknown> = {};
  if (choice.type === "auto") chat.tool_choice = "auto";
  else if (choice.type === "any") chat.tool_choice = "required";
  else if (choice.type === "none") chat.tool_choice = "none";
  else if (choice.type === "tool" && typeof choice.name === "string") chat.tool_choice = { type: "function", function: { name: choice.name } };
  else throw new ValidationError("must be auto, any, tool (with a name) or none", "tool_choice.type", "unsupported_value");
  if (choice.disable_parallel_tool_use === true && choice.type !== "none") chat.parallel_tool_calls = false;
  return chat;
}

function stringField(block: Record<string, unknown>, field: string, path: string): string {
  const value = block[field];
  if (typeof value !== "string") throw new ValidationError("must be a string", `${path}.${field}`);
  return value;
}
