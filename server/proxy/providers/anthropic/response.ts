import { toFinishReason, type FinishReason } from "./stop-reason";
import { toOpenAIUsage, type AnthropicUsage, type OpenAIUsage } from "./usage";
import { isRecord } from "./json";

export interface ChatCompletionToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

export interface ChatCompletionMessage {
  role: "assistant";
  content: string | null;
  refusal: null;
  tool_calls?: ChatCompletionToolCall[];
  reasoning_content?: string;
}

export interface ChatCompletion {
  id: string;
  object: "chat.completion";
  created: number;
  model: string;
  choices: [{ index: 0; message: ChatCompletionMessage; logprobs: null; finish_reason: FinishReason }];
  usage: OpenAIUsage;
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/** An Anthropic `Message` as an OpenAI `chat.completion`. `created` is the gateway clock. */
export function toChatCompletion(message: Record<string, unknown>, created: number): ChatCompletion {
  const blocks = Array.isArray(message.content) ? message.content.filter(isRecord) : [];
  let content = "";
  let hasText = false;
  let reasoning: string | undefined;
  const toolCalls: ChatCompletionToolCall[] = [];

  for (const block of blocks) {
    if (block.type === "text") {
      // Text blocks are split around citations, so they join without a separator.
      content += text(block.text);
      hasText = true;
    } else if (block.type === "thinking") {
      reasoning = (reasoning ?? "") + text(block.thinking);
    } else if (block.type === "tool_use") {
      toolCalls.push({
        id: text(block.id),
        type: "function",
        function: { name: text(block.name), arguments: JSON.stringify(block.input ?? {}) },
      });
    }
  }

  const assistantMessage: ChatCompletionMessage = {
    role: "assistant",
    // No text → null beside tool calls (OpenAI's own shape), "" otherwise.
    content: hasText ? content : toolCalls.length > 0 ? null : "",
    refusal: null,
  };
  if (toolCalls.length > 0) assistantMessage.tool_calls = toolCalls;
  if (reasoning !== undefined) assistantMessage.reasoning_content = reasoning;

  const stopReason = typeof message.stop_reason === "string" ? message.stop_reason : null;
  return {
    id: text(message.id),
    object: "chat.completion",
    created,
    model: text(message.model),
    choices: [{ index: 0, message: assistantMessage, logprobs: null, finish_reason: toFinishReason(stopReason) }],
    usage: toOpenAIUsage(isRecord(message.usage) ? (message.usage as AnthropicUsage) : null),
  };
}
