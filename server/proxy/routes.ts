/** The `/api/v1` inference paths (SPEC §7.1), matched without a framework router. */
export type ProxyRoute = { kind: "infer"; llmName: string | null } | { kind: "models" };

export function matchProxyRoute(method: string, pathname: string): ProxyRoute | null {
  if (!pathname.startsWith("/api/v1/")) return null;
  if (pathname === "/api/v1/models") return method === "GET" ? { kind: "models" } : null;
  if (pathname === "/api/v1/chat/completions") return method === "POST" ? { kind: "infer", llmName: null } : null;
  const match = /^\/api\/v1\/llms\/([^/]+)\/(infer|chat\/completions)$/.exec(pathname);
  if (!match || method !== "POST") return null;
  let name: string;
  try {
    name = decodeURIComponent(match[1]!);
  } catch {
    name = match[1]!;
  }
  return { kind: "infer", llmName: name };
}
