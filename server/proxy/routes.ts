/** The `/api/v1` paths (SPEC §7.1), matched without a framework router. */
export type ProxyRoute =
  | { kind: "infer"; llmName: string | null }
  | { kind: "models" }
  | { kind: "model"; id: string }
  /** Anything else under `/api/v1`: 405 naming `allow` when the path takes another method, else 404. */
  | { kind: "unmatched"; allow: "GET" | "POST" | null };

const LLM_PATH = /^\/api\/v1\/llms\/([^/]+)\/(infer|chat\/completions)$/;
const MODEL_PATH = /^\/api\/v1\/models\/([^/]+)$/;

export function matchProxyRoute(method: string, pathname: string): ProxyRoute | null {
  if (!pathname.startsWith("/api/v1/") && pathname !== "/api/v1") return null;
  if (pathname === "/api/v1/models") return method === "GET" ? { kind: "models" } : { kind: "unmatched", allow: "GET" };
  const model = MODEL_PATH.exec(pathname);
  if (model) return method === "GET" ? { kind: "model", id: decodedName(model[1]!) } : { kind: "unmatched", allow: "GET" };
  if (pathname === "/api/v1/chat/completions") return method === "POST" ? { kind: "infer", llmName: null } : { kind: "unmatched", allow: "POST" };
  const llm = LLM_PATH.exec(pathname);
  if (llm) return method === "POST" ? { kind: "infer", llmName: decodedName(llm[1]!) } : { kind: "unmatched", allow: "POST" };
  return { kind: "unmatched", allow: null };
}

function decodedName(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
