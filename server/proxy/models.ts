import { randomUUID } from "node:crypto";
import { authenticate } from "../auth/authenticate";
import { getLlmCatalog } from "../llms/catalog";
import { can } from "../rbac/permissions";
import { UnauthenticatedError } from "../errors";
import { errorResponse, jsonResponse } from "./respond";
import { header, type HeaderMap, type ProxyResponse } from "./types";

/** `GET /api/v1/models`: the Llms the caller may run, in OpenAI's list format. */
export function handleModels(headers: HeaderMap): ProxyResponse {
  const requestId = randomUUID();
  const auth = authenticate({ authorization: header(headers, "authorization"), cookie: header(headers, "cookie") });
  if (!auth.ok) return errorResponse(new UnauthenticatedError(), requestId, { "x-request-id": requestId });
  const data = [...getLlmCatalog().values()]
    .filter((llm) => can(auth.principal.bindings, "run", "llms", llm.name))
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((llm) => ({ id: llm.name, object: "model", created: Math.floor(llm.createdAt / 1000), owned_by: llm.provider }));
  return jsonResponse(200, { object: "list", data }, { "x-request-id": requestId });
}
