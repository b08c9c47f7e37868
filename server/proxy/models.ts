import { randomUUID } from "node:crypto";
import type { Store } from "../../db/store";
import { authenticate } from "../auth/authenticate";
import { getLlmCatalog } from "../llms/catalog";
import { can } from "../rbac/permissions";
import { AppError, UnauthenticatedError, ValidationError } from "../errors";
import type { LlmView } from "../llms/schemas";
import type { Principal } from "../auth/principal";
import type { ProxyRoute } from "./routes";
import { myUsage } from "../usage/mine";
import { routeStatus } from "../llms/route-status";
import { API_FRONTS } from "./apis/registry";
import { appErrorResponse, errorResponse, jsonResponse } from "./respond";
import { header, type HeaderMap, type ProxyResponse } from "./types";

function modelObject(llm: LlmView) {
  return { id: llm.name, object: "model", created: Math.floor(llm.createdAt / 1000), owned_by: llm.provider };
}

/** Answers with `answer(caller)`, or its error (never audited: nothing was asked of a provider). */
async function asCaller(store: Store, headers: HeaderMap, answer: (principal: Principal, catalog: Map<string, LlmView>) => unknown): Promise<ProxyResponse> {
  const requestId = randomUUID();
  try {
    const auth = await authenticate(store, { authorization: header(headers, "authorization"), cookie: header(headers, "cookie") });
    if (!auth.ok) throw new UnauthenticatedError();
    return jsonResponse(200, await answer(auth.principal, await getLlmCatalog(store)), { "x-request-id": requestId });
  } catch (error) {
    return errorResponse(error, requestId, { "x-request-id": requestId });
  }
}

/** `GET /api/v1/models`: the Llms the caller may run, in OpenAI's list format. */
function handleModels(store: Store, headers: HeaderMap): Promise<ProxyResponse> {
  return asCaller(store, headers, (principal, catalog) => ({
    object: "list",
    data: [...catalog.values()]
      .filter((llm) => can(principal.bindings, "run", "llms", llm.name))
      .sort((a, b) => a.name.localeCompare(b.name))
      .map(modelObject),
  }));
}

/**
 * The Llm `name` if the caller may run it: 403 is decided before the lookup, so a caller
 * learns nothing about names they may not run; 404 when they may and it does not exist.
 */
export function runnableLlm(catalog: Map<string, LlmView>, principal: Principal, name: string): LlmView {
  if (!can(principal.bindings, "run", "llms", name)) throw new AppError("forbidden", `missing permission run:llms:${name}`);
  const llm = catalog.get(name);
  if (!llm) throw new AppError("not_found", `llm '${name}' not found`);
  return llm;
}

/** `GET /api/v1/models/{id}`: one Llm the caller may run, decided as for inference. */
function handleModel(store: Store, headers: HeaderMap, id: string): Promise<ProxyResponse> {
  return asCaller(store, headers, (principal, catalog) => modelObject(runnableLlm(catalog, principal, id)));
}

/** `GET /api/v1/usage`: the caller's own limits (used, reserved, remaining, reset) and spend today and this month. */
function handleUsage(store: Store, headers: HeaderMap): Promise<ProxyResponse> {
  return asCaller(store, headers, (principal) => myUsage({ ctx: { principal, store, clientIp: null } }));
}

/** `GET /api/v1/llms/{name}/targets`: a route's targets and their state in this process (view on the route). */
function handleTargets(store: Store, headers: HeaderMap, name: string): Promise<ProxyResponse> {
  return asCaller(store, headers, async (principal) => ({ targets: await routeStatus({ ctx: { principal, store, clientIp: null }, input: { name } }) }));
}

/** Anthropic's paths answer in its error shape, so its SDKs and Claude Code show the message; the rest in OpenAI's. */
function frontFor(pathname: string) {
  return /\/messages(\/|$)/.test(pathname) ? API_FRONTS.messages : API_FRONTS.chat;
}

/** Any other `/api/v1` request: an error in the path's API shape and a request id, like every API answer. */
function handleUnmatched({ method, pathname, allow }: ProxyRoute & { kind: "unmatched" }): ProxyResponse {
  const requestId = randomUUID();
  const headers: Record<string, string> = { "x-request-id": requestId };
  const front = frontFor(pathname);
  if (allow)
    return front.errorResponse(new AppError("method_not_allowed", `${method} is not allowed on ${pathname}; use ${allow}`), requestId, { ...headers, allow });
  return front.errorResponse(new AppError("not_found", `No API endpoint ${method} ${pathname}`), requestId, headers);
}

/** `/api/v1/responses/{id}` (retrieve, delete, cancel, input items): the gateway stores no responses. */
function handleStoredResponse({ method, pathname }: ProxyRoute & { kind: "stored-response" }): ProxyResponse {
  const message = `${method} ${pathname}: the gateway keeps no responses (it is stateless); send the whole conversation in each request's input`;
  return appErrorResponse(new ValidationError(message, null, "unsupported_parameter"), { "x-request-id": randomUUID() });
}

/** An API call sent beside `/api/v1`: say where the API is, in the shape the client's SDK reads. */
function handleMisdirected({ method, pathname }: ProxyRoute & { kind: "misdirected" }): ProxyResponse {
  const requestId = randomUUID();
  const suggested = `/api/v1${pathname.replace(/^\/v1(?=\/|$)/, "")}`;
  const front = frontFor(pathname);
  // Anthropic's clients add /v1/messages to their base URL themselves.
  const baseUrl =
    front === API_FRONTS.messages
      ? "Anthropic clients (Claude Code's ANTHROPIC_BASE_URL, the Anthropic SDK's baseURL) take http(s)://<gateway>/api"
      : "Set your client's base URL to http(s)://<gateway>/api/v1";
  const message = `No API endpoint ${method} ${pathname}: the API is under /api/v1. ${baseUrl} (this call belongs at ${suggested}).`;
  return front.errorResponse(new AppError("not_found", message, { detailCode: "wrong_base_url" }), requestId, { "x-request-id": requestId });
}

/** The `/api/v1` routes other than inference, and the misdirected API paths. */
export async function handleApiRoute(store: Store, route: Exclude<ProxyRoute, { kind: "infer" }>, headers: HeaderMap): Promise<ProxyResponse> {
  if (route.kind === "models") return handleModels(store, headers);
  if (route.kind === "model") return handleModel(store, headers, route.id);
  if (route.kind === "usage") return handleUsage(store, headers);
  if (route.kind === "targets") return handleTargets(store, headers, route.llmName);
  if (route.kind === "misdirected") return handleMisdirected(route);
  if (route.kind === "stored-response") return handleStoredResponse(route);
  return handleUnmatched(route);
}
