import { ValidationError } from "../../../errors";
import type { ChatRequest } from "../../request-body";

const MAX_PROMPT_BYTES = 8 * 1024 * 1024;
// What the CLI acts on at the start of a prompt instead of sending it to the model (leading blanks included).
const COMMAND_PREFIX = /^\s*[/@!]/;

/**
 * The CLI takes one prompt, so the OpenAI messages become one text:
 *
 * - `system` and `developer` messages come first, in order, under a `[System]` header;
 * - then every other message in order, each a header line and its text, blocks separated by a
 *   blank line: `[User]`, `[Assistant]`, `[Assistant tool call <name>]` (arguments JSON) and
 *   `[Tool result <tool_call_id>]`.
 *
 * A lone user message without system text is sent as it is, with no header, unless it starts
 * with a character the CLI reads as a command of its own (`/` slash commands, `@` file
 * inclusion, `!` shell mode): then it goes under `[User]` too. Only text content is accepted;
 * sampling options have no CLI flag and are ignored.
 */
export function buildPrompt(request: ChatRequest): string {
  if (request.n !== undefined && request.n !== null && request.n > 1) {
    throw new ValidationError("n: the gemini-cli provider returns one choice", "n", "unsupported_value");
  }
  if (Array.isArray(request.tools) && request.tools.length > 0) {
    throw new ValidationError("tools: the gemini-cli provider does not support function calling", "tools", "unsupported_parameter");
  }
  const system: string[] = [];
  const conversation: { header: string; text: string }[] = [];
  request.messages.forEach((message, index) => {
    const text = messageText(message.content, index);
    if (message.role === "system" || message.role === "developer") {
      system.push(text);
    } else if (message.role === "user") {
      conversation.push({ header: "[User]", text });
    } else if (message.role === "assistant") {
      if (text !== "") conversation.push({ header: "[Assistant]", text });
      for (const call of toolCalls(message.tool_calls)) conversation.push(call);
    } else if (message.role === "tool") {
      const id = typeof message.tool_call_id === "string" && message.tool_call_id !== "" ? ` ${message.tool_call_id}` : "";
      conversation.push({ header: `[Tool result${id}]`, text });
    } else {
      throw new ValidationError(`messages[${index}].role: unsupported role '${message.role}'`, `messages[${index}].role`, "unsupported_value");
    }
  });
  const onlyUser = conversation.length === 1 && conversation[0]!.header === "[User]" && !COMMAND_PREFIX.test(conversation[0]!.text);
  const blocks = system.length > 0 ? [`[System]\n${system.join("\n\n")}`] : [];
  for (const entry of conversation) blocks.push(`${entry.header}\n${entry.text}`);
  const prompt = system.length === 0 && onlyUser ? conversation[0]!.text : blocks.join("\n\n");
  // The CLI silently truncates stdin past 8 MiB (packages/cli/src/utils/readStdin.ts); refuse instead.
  if (Buffer.byteLength(prompt) > MAX_PROMPT_BYTES) {
    throw new ValidationError(
      `messages: the conversation is longer than the Gemini CLI accepts (${MAX_PROMPT_BYTES} bytes)`,
      "messages",
      "context_length_exceeded",
    );
  }
  return prompt;
}

function messageText(content: unknown, index: number): string {
  if (content === undefined || content === null) return "";
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) throw new ValidationError(`messages[${index}].content: must be a string or an array of parts`, `messages[${index}].content`);
  return content
    .map((part: unknown, partIndex) => {
      const record = (part ?? {}) as Record<string, unknown>;
      if (record.type === "text" && typeof record.text === "string") return record.text;
      if (record.type === "refusal" && typeof record.refusal === "string") return record.refusal;
      throw new ValidationError(
        `messages[${index}].content[${partIndex}]: the gemini-cli provider accepts text content only`,
        `messages[${index}].content[${partIndex}]`,
        "unsupported_content",
      );
    })
    .join("");
}

function toolCalls(value: unknown): { header: string; text: string }[] {
  if (!Array.isArray(value)) return [];
  return value.map((call: unknown) => {
    const fn = ((call ?? {}) as { function?: { name?: unknown; arguments?: unknown } }).function ?? {};
    const name = typeof fn.name === "string" ? fn.name : "unknown";
    return { header: `[Assistant tool call ${name}]`, text: typeof fn.arguments === "string" ? fn.arguments : "{}" };
  });
}
