import type { Store } from "../../db/store";
import { authenticate } from "../auth/authenticate";
import { appErrorToOpenAI, isAppError, UNAUTHENTICATED_MESSAGE, openaiErrorBody } from "../errors";
import { authorize } from "../rbac/authorize";
import { registry } from "./metrics";

const JSON_HEADERS = { "content-type": "application/json", "x-content-type-options": "nosniff" };

/** `GET /metrics`: Prometheus text for a bearer token with `view:audit`; a denial is audited like any other. */
export async function metricsResponse(
  store: Store,
  authorization: string | null,
  clientIp: string | null,
): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  const auth = authorization ? await authenticate(store, { authorization, cookie: null }) : null;
  if (!auth?.ok) return { status: 401, headers: JSON_HEADERS, body: JSON.stringify(openaiErrorBody(UNAUTHENTICATED_MESSAGE, "authentication_error")) };
  try {
    authorize({ principal: auth.principal, clientIp, store }, "view", "audit");
  } catch (error) {
    if (!isAppError(error)) throw error;
    const { status, body } = appErrorToOpenAI(error);
    return { status, headers: JSON_HEADERS, body: JSON.stringify(body) };
  }
  return { status: 200, headers: { "content-type": registry.contentType, "x-content-type-options": "nosniff" }, body: await registry.metrics() };
}
