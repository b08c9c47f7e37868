import { ValidationError } from "../../../errors";
import { isRecord } from "./json";
import { contentBlocks, type AnthropicBlock } from "./request-content";

export interface AnthropicMessage {
  role: "user" | "assistant";
  content: AnthropicBlock[];
}

function toolArguments(value: unknown, path: string): Record<string, unknown> {
  if (value === undefined || value === null || (typeof value === "string" && value.trim() === "")) return {};
  let input: unknown;
  try {
    input = typeof value === "string" ? JSON.parse(value) : undefined;
  } catch {
    input = undefined;
  }
  // History with broken tool-call JSON is refused instead of silently rewritten.
  if (!isRecord(input)) throw new ValidationError("function.arguments must be a JSON object encoded as a string", path);
  return input;
}

function toolUseBlock(call: unknown, path: string): AnthropicBlock {
  if (!isRecord(call)) throw new ValidationError("tool calls must be objects", path);
  if (call.type !== "function") {
    throw new ValidationError(`tool call type '${String(call.type)}' is not supported`, `${path}.type`, "unsupported_value");
  }
  if (typeof call.id !== "string" || call.id === "") throw new ValidationError("tool call id must be a non-empty string", `${path}.id`);
  const fn = isRecord(call.function) ? call.function : {};
  if (typeof fn.name !== "string" || fn.name === "") {
    throw new ValidationError("function.name must be a non-empty string", `${path}.function.name`);
  }
  return { type: "tool_use", id: call.id, name: fn.name, input: toolArguments(fn.arguments, `${path}.function.arguments`) };
}

function assistantBlocks(message: Record<string, unknown>, path: string): AnthropicBlock[] {
  if (message.function_call !== undefined && message.function_call !== null) {
    throw new ValidationError("function_call is not supported; use tool_calls", `${path}.function_call`, "unsupported_parameter");
  }
  const blocks = contentBlocks(message.content, `${path}.content`, "assistant");
  const toolCalls = message.tool_calls ?? [];
  if (!Array.isArray(toolCalls)) throw new ValidationError("tool_calls must be an array", `${path}.tool_calls`);
  return [...blocks, ...toolCalls.map((call, index) => toolUseBlock(call, `${path}.tool_calls[${index}]`))];
}

function toolResultBlock(message: Record<string, unknown>, path: string): AnthropicBlock {
  if (typeof message.tool_call_id !== "string" || message.tool_call_id === "") {
    throw new ValidationError("tool_call_id must be a non-empty string", `${path}.tool_call_id`);
  }
  // A string result goes through verbatim, even "": the gateway never drops a tool result.
  const content = typeof message.content === "string" ? message.content : contentBlocks(message.content ?? [], `${path}.content`, "text");
  return { type: "tool_result", tool_use_id: message.tool_call_id, content };
}

/** Stable partition: blocks matching `first` keep their order and move ahead of the rest. */
function partition(blocks: AnthropicBlock[], first: (block: AnthropicBlock) => boolean): AnthropicBlock[] {
  return [...blocks.filter(first), ...blocks.filter((block) => !first(block))];
}

/** Anthropic 400s a final assistant turn ending in whitespace; strip it, dropping what becomes empty. */
function stripFinalPrefill(turns: AnthropicMessage[]): void {
  const last = turns.at(-1);
  if (last?.role !== "assistant") return;
  for (let block = last.content.at(-1); block?.type === "text"; block = last.content.at(-1)) {
    const text = String(block.text).trimEnd();
    if (text !== "") {
      block.text = text;
      break;
    }
    last.content.pop();
  }
  if (last.content.length === 0) turns.pop();
}

/** OpenAI `messages` → Anthropic top-level `system` string and user/assistant `messages`. */
export function toAnthropicMessages(messages: unknown): { system: string | undefined; messages: AnthropicMessage[] } {
  if (!Array.isArray(messages) || messages.length === 0) {
    throw new ValidationError("messages must be a non-empty array", "messages");
  }
  const systemTexts: string[] = [];
  const turns: AnthropicMessage[] = [];

  messages.forEach((message: unknown, index) => {
    const path = `messages[${index}]`;
    if (!isRecord(message)) throw new ValidationError("each message must be an object", path);
    const role = message.role;
    if (role === "system" || role === "developer") {
      // Hoisted from any position; empty texts never reach `system`.
      for (const block of contentBlocks(message.content, `${path}.content`, "text")) systemTexts.push(String(block.text));
      return;
    }
    let blocks: AnthropicBlock[];
    if (role === "user") blocks = contentBlocks(message.content, `${path}.content`, "user");
    else if (role === "assistant") blocks = assistantBlocks(message, path);
    else if (role === "tool") blocks = [toolResultBlock(message, path)];
    else throw new ValidationError(`message role '${String(role)}' is not supported`, `${path}.role`, "unsupported_value");

    if (blocks.length === 0) return; // An empty message is dropped and its neighbours merge.
    const anthropicRole = role === "assistant" ? "assistant" : "user";
    const previous = turns.at(-1);
    if (previous?.role === anthropicRole) previous.content.push(...blocks);
    else turns.push({ role: anthropicRole, content: blocks });
  });

  for (const turn of turns) {
    // tool_result must lead the user turn; tool_use must close the assistant turn.
    turn.content =
      turn.role === "user" ? partition(turn.content, (block) => block.type === "tool_result") : partition(turn.content, (block) => block.type !== "tool_use");
  }
  stripFinalPrefill(turns);
  if (turns.length === 0) throw new ValidationError("messages must contain at least one non-empty user or assistant message", "messages");
  return { system: systemTexts.length > 0 ? systemTexts.join("\n") : undefined, messages: turns };
}
