import type { ApiName } from "./apis/types";

/** The `/api/v1` paths, matched without a framework router. */
export type ProxyRoute =
  /** A call to an Llm in one of the APIs clients speak; `llmName` when the path names it, else the body's `model`. */
  | { kind: "infer"; api: ApiName; llmName: string | null }
  | { kind: "models" }
  | { kind: "model"; id: string }
  | { kind: "usage" }
  /** A route's targets and their state in this process. */
  | { kind: "targets"; llmName: string }
  /** A stored response (`/api/v1/responses/{id}...`): the gateway keeps none, and says so. */
  | { kind: "stored-response"; method: string; pathname: string }
  /** Anything else under `/api/v1`: 405 naming `allow` when the path takes another method, else 404. */
  | { kind: "unmatched"; method: string; pathname: string; allow: "GET" | "POST" | null }
  /** An API path outside `/api/v1` (a base URL without `/api`, or none): a JSON answer saying where the API is. */
  | { kind: "misdirected"; method: string; pathname: string };

// Where clients end up when their base URL misses `/api/v1`.
const MISDIRECTED_ROOTS = new Set(["/chat/completions", "/completions", "/messages", "/responses", "/embeddings"]);

/** The API paths whose body's `model` names the Llm. */
const BODY_NAMED_APIS = new Map<string, ApiName>([
  ["/api/v1/chat/completions", "chat"],
  ["/api/v1/messages", "messages"],
  ["/api/v1/messages/count_tokens", "count_tokens"],
  ["/api/v1/responses", "responses"],
  ["/api/v1/embeddings", "embeddings"],
]);

const LLM_PATH = /^\/api\/v1\/llms\/([^/]+)\/(infer|chat\/completions|embeddings)$/;
const MODEL_PATH = /^\/api\/v1\/models\/([^/]+)$/;
const TARGETS_PATH = /^\/api\/v1\/llms\/([^/]+)\/targets$/;

export function matchProxyRoute(method: string, pathname: string): ProxyRoute | null {
  if (pathname === "/v1" || pathname.startsWith("/v1/") || MISDIRECTED_ROOTS.has(pathname)) return { kind: "misdirected", method, pathname };
  if (!pathname.startsWith("/api/v1/") && pathname !== "/api/v1") return null;
  const unmatched = (allow: "GET" | "POST" | null): ProxyRoute => ({ kind: "unmatched", method, pathname, allow });
  if (pathname === "/api/v1/models") return method === "GET" ? { kind: "models" } : unmatched("GET");
  if (pathname === "/api/v1/usage") return method === "GET" ? { kind: "usage" } : unmatched("GET");
  const model = MODEL_PATH.exec(pathname);
  if (model) return method === "GET" ? { kind: "model", id: decodedName(model[1]!) } : unmatched("GET");
  const api = BODY_NAMED_APIS.get(pathname);
  if (api) return method === "POST" ? { kind: "infer", api, llmName: null } : unmatched("POST");
  if (pathname.startsWith("/api/v1/responses/")) return { kind: "stored-response", method, pathname };
  const targets = TARGETS_PATH.exec(pathname);
  if (targets) return method === "GET" ? { kind: "targets", llmName: decodedName(targets[1]!) } : unmatched("GET");
  const llm = LLM_PATH.exec(pathname);
  if (llm)
    return method === "POST" ? { kind: "infer", api: llm[2] === "embeddings" ? "embeddings" : "chat", llmName: decodedName(llm[1]!) } : unmatched("POST");
  return unmatched(null);
}

function decodedName(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
