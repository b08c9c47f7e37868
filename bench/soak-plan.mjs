// What the soak calls and what each call must produce. One Llm per (provider, behaviour): the
// behaviour is the first path segment of its URL on the soak upstream (bench/soak-upstream.mjs).

export const FAULTS = {
  openai: ["e500", "e429", "reset", "malformed", "hang", "stall", "refused"],
  anthropic: ["e500", "e429", "e529", "reset", "malformed", "hang", "stall", "refused"],
};
const PREFIX = { openai: "o", anthropic: "a" };
/** Llms whose upstream goes silent: the gateway must give up on them after this. */
export const FAULT_TIMEOUT_MS = 1000;

/** Every Llm the soak creates: `{ name, provider, behaviour }`. */
export function soakLlms() {
  return Object.entries(FAULTS).flatMap(([provider, faults]) =>
    ["ok", "long", ...faults].map((behaviour) => ({ name: `${PREFIX[provider]}-${behaviour}`, provider, behaviour })),
  );
}

/**
 * A random call: 60 % healthy, 35 % a random fault, 5 % a long stream the client aborts after
 * its first token; 70 % of calls stream. Providers half and half.
 */
export function pickScenario(random) {
  const provider = random() < 0.5 ? "openai" : "anthropic";
  const roll = random();
  if (roll < 0.05) return { llm: `${PREFIX[provider]}-long`, provider, behaviour: "long", stream: true, abort: true };
  const faults = FAULTS[provider];
  const behaviour = roll < 0.65 ? "ok" : faults[Math.floor(random() * faults.length)];
  return { llm: `${PREFIX[provider]}-${behaviour}`, provider, behaviour, stream: random() < 0.7, abort: false };
}

const endsDone = (text) => (text.trimEnd().endsWith("data: [DONE]") ? null : "stream did not end with [DONE]");
const endsWithError = (text) => {
  if (text.includes("[DONE]")) return "a failed stream sent [DONE]";
  const last = text.trimEnd().split(/\n\n/).at(-1) ?? "";
  return last.startsWith('data: {"error":') ? null : "a failed stream did not end with an error frame";
};
const isJsonError = (text) => (text.startsWith('{"error":{') ? null : "not an OpenAI error body");
const anything = () => null;

/** The status the client must see and the audit row must hold, whether the row carries an error, and a body check. */
export function expectedOutcome({ provider, behaviour, stream, abort }) {
  const anthropic = provider === "anthropic";
  if (abort) return { status: 499, error: "*", check: anything };
  switch (behaviour) {
    case "ok":
      return { status: 200, error: "0", check: stream ? endsDone : anything };
    case "e500":
      return { status: 500, error: "1", check: isJsonError };
    case "e429":
      return { status: 429, error: "1", check: isJsonError };
    case "e529":
      return { status: 503, error: "1", check: isJsonError };
    case "reset":
      return stream ? { status: 200, error: "1", check: endsWithError } : { status: 502, error: "1", check: isJsonError };
    case "malformed":
      // Pass-through relays the bytes as they came; the translator must refuse them.
      if (!anthropic) return { status: 200, error: "0", check: stream ? endsDone : anything };
      return stream ? { status: 200, error: "1", check: endsWithError } : { status: 502, error: "1", check: isJsonError };
    case "hang":
      return { status: 504, error: "1", check: isJsonError };
    case "stall":
      return stream ? { status: 200, error: "1", check: endsWithError } : { status: 504, error: "1", check: isJsonError };
    case "refused":
      return { status: 502, error: "1", check: isJsonError };
    default:
      throw new Error(`unknown behaviour ${behaviour}`);
  }
}
