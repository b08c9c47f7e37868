import { ValidationError } from "../../../errors";
import { isRecord } from "./json";

export interface AnthropicTool {
  name: string;
  description?: string;
  input_schema: unknown;
}

type ToolChoice = Record<string, unknown>;

function toAnthropicTool(tool: unknown, path: string): AnthropicTool {
  if (!isRecord(tool) || tool.type !== "function") {
    throw new ValidationError("only tools of type 'function' are supported", `${path}.type`, "unsupported_value");
  }
  const fn = isRecord(tool.function) ? tool.function : {};
  if (typeof fn.name !== "string" || fn.name === "") {
    throw new ValidationError("function.name must be a non-empty string", `${path}.function.name`);
  }
  return {
    name: fn.name,
    ...(typeof fn.description === "string" ? { description: fn.description } : {}),
    // The schema goes verbatim: filtering or rebuilding it loses anyOf, $defs, descriptions.
    input_schema: fn.parameters ?? { type: "object", properties: {} },
  };
}

/** `allowed_tools` narrows the tool list itself; its mode becomes auto/any. */
function allowedTools(choice: Record<string, unknown>, tools: AnthropicTool[]): { tools: AnthropicTool[]; choice: ToolChoice } {
  const allowed = isRecord(choice.allowed_tools) ? choice.allowed_tools : {};
  const modes: Record<string, string> = { auto: "auto", required: "any" };
  const mode = typeof allowed.mode === "string" && Object.hasOwn(modes, allowed.mode) ? modes[allowed.mode] : undefined;
  if (!mode) {
    throw new ValidationError("allowed_tools.mode must be 'auto' or 'required'", "tool_choice.allowed_tools.mode", "unsupported_value");
  }
  if (!Array.isArray(allowed.tools) || allowed.tools.length === 0) {
    throw new ValidationError("allowed_tools.tools must be a non-empty array", "tool_choice.allowed_tools.tools");
  }
  const names = new Set<string>();
  allowed.tools.forEach((entry: unknown, index) => {
    const path = `tool_choice.allowed_tools.tools[${index}]`;
    const name = isRecord(entry) && entry.type === "function" && isRecord(entry.function) ? entry.function.name : undefined;
    if (typeof name !== "string") throw new ValidationError("allowed tools must be {type:'function', function:{name}}", path, "unsupported_value");
    if (!tools.some((tool) => tool.name === name)) throw new ValidationError(`allowed tool '${name}' is not in tools`, path);
    names.add(name);
  });
  return { tools: tools.filter((tool) => names.has(tool.name)), choice: { type: mode } };
}

function toAnthropicChoice(choice: unknown, tools: AnthropicTool[]): { tools: AnthropicTool[]; choice: ToolChoice | undefined } {
  if (choice === undefined || choice === null) return { tools, choice: undefined };
  const simple: Record<string, string> = { auto: "auto", required: "any", none: "none" };
  if (typeof choice === "string" && Object.hasOwn(simple, choice)) return { tools, choice: { type: simple[choice] } };
  if (isRecord(choice) && choice.type === "function") {
    const name = isRecord(choice.function) ? choice.function.name : undefined;
    if (typeof name !== "string" || name === "") throw new ValidationError("function.name must be a non-empty string", "tool_choice.function.name");
    return { tools, choice: { type: "tool", name } };
  }
  if (isRecord(choice) && choice.type === "allowed_tools") return allowedTools(choice, tools);
  throw new ValidationError("tool_choice must be auto, required, none, a function or allowed_tools", "tool_choice", "unsupported_value");
}

/** `tools`, `tool_choice` and `parallel_tool_calls` → Anthropic `tools` and `tool_choice`. */
export function toAnthropicTools(body: Record<string, unknown>): { tools?: AnthropicTool[]; tool_choice?: ToolChoice } {
  if (body.tools === undefined || body.tools === null) return {};
  if (!Array.isArray(body.tools)) throw new ValidationError("tools must be an array", "tools");
  // Without tools, tool_choice and parallel_tool_calls mean nothing upstream.
  if (body.tools.length === 0) return {};
  const converted = body.tools.map((tool: unknown, index) => toAnthropicTool(tool, `tools[${index}]`));
  const { tools, choice } = toAnthropicChoice(body.tool_choice, converted);
  if (body.parallel_tool_calls !== false || choice?.type === "none") {
    return choice ? { tools, tool_choice: choice } : { tools };
  }
  return { tools, tool_choice: { ...(choice ?? { type: "auto" }), disable_parallel_tool_use: true } };
}
