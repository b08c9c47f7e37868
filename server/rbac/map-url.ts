import { RESOURCES, type Resource, type Verb } from "./permissions";

export interface RequiredPermission {
  verb: Verb;
  resource: Resource;
  /** null = the collection; for `POST /api/v1/chat/completions` the name comes from the body. */
  name: string | null;
}

const METHOD_VERBS: Record<string, Verb> = { GET: "view", HEAD: "view", POST: "create", PUT: "edit", PATCH: "edit", DELETE: "delete" };

/** Maps an HTTP API call to the permission it needs; null when the path is not a resource API. */
export function mapUrlToPermission(method: string, path: string): RequiredPermission | null {
  const segments = path.split("?")[0]!.split("/").filter(Boolean);
  if (segments[0] !== "api" || segments[1] !== "v1") return null;
  const rest = segments.slice(2).map(decodeURIComponent);
  const upper = method.toUpperCase();
  if (upper === "POST" && rest.length === 2 && rest[0] === "chat" && rest[1] === "completions") {
    return { verb: "run", resource: "llms", name: null };
  }
  if (rest[0] === "models" && rest.length === 1 && upper === "GET") return { verb: "run", resource: "llms", name: null };
  if (rest[0] === "llms" && rest.length >= 3 && upper === "POST") {
    const tail = rest.slice(2).join("/");
    if (tail === "infer" || tail === "chat/completions") return { verb: "run", resource: "llms", name: rest[1]! };
  }
  const resource = rest[0] as Resource | undefined;
  const verb = METHOD_VERBS[upper];
  if (!resource || !RESOURCES.includes(resource) || !verb || rest.length > 2) return null;
  return { verb, resource, name: rest[1] ?? null };
}
