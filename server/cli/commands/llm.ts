import { createLlm } from "../../llms/create";
import type { CreateLlmInput, RouteTarget, UpdateLlmInput } from "../../llms/schemas";
import { updateLlm } from "../../llms/update";
import { UsageError, type CommandGroup, type FlagKind, type Invocation } from "../args";
import { writeLine } from "../output";

// The fields create and update share; on update an absent flag keeps the field, `none` clears it.
const FIELD_FLAGS = {
  provider: "text",
  model: "text",
  url: "text",
  "api-key-ref": "text",
  "max-tokens": "text",
  "timeout-ms": "text",
  "gemini-path": "text",
  "max-concurrency": "text",
  description: "text",
  "stream-usage": "text",
  sampling: "text",
  "structured-outputs": "text",
  "price-input": "text",
  "price-output": "text",
  "price-cache-read": "text",
  "price-cache-write": "text",
  target: "list",
  "max-attempts": "text",
  "failure-threshold": "text",
  "cooldown-s": "text",
  affinity: "text",
} as const satisfies Record<string, FlagKind>;

const CLEAR = "none";

/** The given flags as verb input: `none` clears an optional field; the verb validates the rest. */
function fieldInput(invocation: Invocation): Omit<UpdateLlmInput, "name"> {
  const input: Omit<UpdateLlmInput, "name"> = {};
  const text = (flag: string) => invocation.text(flag);
  const cleared = (flag: string) => text(flag) === CLEAR;
  const number = (flag: string): number | null | undefined => {
    const value = text(flag);
    if (value === undefined || value === CLEAR) return value === CLEAR ? null : undefined;
    if (!/^\d+$/.test(value)) throw new UsageError(`--${flag} must be a whole number (or ${CLEAR})`, "llm");
    return Number(value);
  };
  if (text("provider") !== undefined) input.provider = text("provider") as CreateLlmInput["provider"];
  if (text("model") !== undefined) input.model = text("model");
  if (text("url") !== undefined) input.url = cleared("url") ? null : text("url");
  if (text("description") !== undefined) input.description = cleared("description") ? null : text("description");
  if (text("gemini-path") !== undefined) input.geminiPath = cleared("gemini-path") ? null : text("gemini-path");
  const apiKeyRef = text("api-key-ref");
  if (apiKeyRef !== undefined) {
    const slash = apiKeyRef.indexOf("/");
    if (apiKeyRef !== CLEAR && slash <= 0) throw new UsageError("--api-key-ref takes SECRET/KEY (or none)", "llm");
    input.apiKeyRef = apiKeyRef === CLEAR ? null : { secret: apiKeyRef.slice(0, slash), key: apiKeyRef.slice(slash + 1) };
  }
  const maxTokens = number("max-tokens");
  if (maxTokens !== undefined) input.defaults = maxTokens === null ? null : { max_tokens: maxTokens };
  const timeoutMs = number("timeout-ms");
  if (timeoutMs !== undefined) input.timeoutMs = timeoutMs;
  const maxConcurrency = number("max-concurrency");
  if (maxConcurrency !== undefined) input.maxConcurrency = maxConcurrency;
  const onOff = (flag: string): boolean | undefined => {
    const value = text(flag);
    if (value !== undefined && value !== "on" && value !== "off") throw new UsageError(`--${flag} takes on or off`, "llm");
    return value === undefined ? undefined : value === "on";
  };
  input.streamUsage = onOff("stream-usage");
  const sampling = text("sampling");
  if (sampling !== undefined && sampling !== "both" && sampling !== "one" && sampling !== "none")
    throw new UsageError("--sampling takes both, one or none", "llm");
  const structuredOutputs = onOff("structured-outputs");
  if (sampling !== undefined || structuredOutputs !== undefined) input.capabilities = { sampling, structuredOutputs };
  input.pricing = pricingInput(invocation);
  input.routing = routingInput(invocation, number);
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)) as typeof input;
}

const PRICE_FLAGS = { input: "price-input", output: "price-output", cacheRead: "price-cache-read", cacheWrite: "price-cache-write" } as const;

/**
 * The price flags (USD per million tokens) as `pricing`: `--price-input none` (or output) returns
 * the Llm to the bundled price table; `none` on a cache price removes it (it then costs the input price).
 */
function pricingInput(invocation: Invocation): UpdateLlmInput["pricing"] {
  const given = Object.entries(PRICE_FLAGS).filter(([, flag]) => invocation.text(flag) !== undefined);
  if (given.length === 0) return undefined;
  if (invocation.text("price-input") === CLEAR || invocation.text("price-output") === CLEAR) return null;
  const pricing: Record<string, number | null> = {};
  for (const [field, flag] of given) {
    const value = invocation.text(flag)!;
    if (value === CLEAR) pricing[field] = null;
    else if (/^-?\d+(\.\d+)?$/.test(value)) pricing[field] = Number(value);
    else throw new UsageError(`--${flag} takes USD per million tokens, e.g. 2.5 (or ${CLEAR})`, "llm");
  }
  return pricing;
}

/** `--target LLM[,group=G][,weight=W]` (repeated) and the route settings, as `routing`; on update the flags given replace those set. */
function routingInput(invocation: Invocation, number: (flag: string) => number | null | undefined): UpdateLlmInput["routing"] {
  const routing: NonNullable<UpdateLlmInput["routing"]> = {};
  const targets = invocation.list("target");
  if (targets.length > 0) routing.targets = targets.map(parseTarget);
  for (const [field, flag] of [
    ["maxAttempts", "max-attempts"],
    ["failureThreshold", "failure-threshold"],
    ["cooldownS", "cooldown-s"],
  ] as const) {
    const value = number(flag);
    // `none` returns a setting to its default.
    if (value !== undefined) routing[field] = value ?? undefined;
  }
  const affinity = invocation.text("affinity");
  if (affinity !== undefined) {
    if (affinity !== "session" && affinity !== CLEAR) throw new UsageError(`--affinity takes session (or ${CLEAR})`, "llm");
    routing.affinity = affinity === CLEAR ? null : "session";
  }
  return Object.keys(routing).length === 0 ? undefined : routing;
}

function parseTarget(spec: string): RouteTarget {
  const [llm = "", ...options] = spec.split(",");
  const target: RouteTarget = { llm };
  for (const option of options) {
    const [key, value = ""] = option.split("=");
    if ((key !== "group" && key !== "weight") || !/^\d+(\.\d+)?$/.test(value)) {
      throw new UsageError(`--target takes LLM[,group=G][,weight=W]; '${option}' is neither`, "llm");
    }
    target[key] = Number(value);
  }
  return target;
}

// Continuation lines: the usage printer indents only an entry's first line, by two spaces.
const FIELDS_USAGE =
  "        [--max-tokens N] [--timeout-ms N] [--gemini-path PATH] [--max-concurrency N] [--description TEXT]\n" +
  "          [--stream-usage on|off] [--sampling both|one|none] [--structured-outputs on|off]\n" +
  "          [--price-input USD --price-output USD [--price-cache-read USD] [--price-cache-write USD]]   # USD per million tokens\n" +
  "          [--target LLM[,group=G][,weight=W]]... [--max-attempts N] [--failure-threshold N] [--cooldown-s N] [--affinity session]   # provider route";

export const llmCommands: CommandGroup = {
  name: "llm",
  usage: [
    "llm create NAME --provider P --model M [--url URL] [--api-key-ref SECRET/KEY]   # a route: --target instead of --model",
    FIELDS_USAGE,
    "llm update NAME [--provider P] [--model M] [--url URL|none] [--api-key-ref SECRET/KEY|none]   # none clears a field",
    FIELDS_USAGE,
  ],
  commands: {
    create: {
      arguments: ["NAME"],
      flags: FIELD_FLAGS,
      requiredFlags: ["provider"],
      async run(invocation, ctx) {
        const llm = await createLlm({ ctx, input: { name: invocation.argument(0), ...fieldInput(invocation) } as CreateLlmInput });
        writeLine(`llm ${llm.name} created`);
      },
    },
    update: {
      arguments: ["NAME"],
      flags: FIELD_FLAGS,
      async run(invocation, ctx) {
        const fields = fieldInput(invocation);
        if (Object.keys(fields).length === 0) throw new UsageError("llm update needs at least one field flag", "llm");
        const llm = await updateLlm({ ctx, input: { name: invocation.argument(0), ...fields } });
        writeLine(`llm ${llm.name} updated`);
      },
    },
  },
};
