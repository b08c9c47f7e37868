import { authenticate } from "../auth/authenticate";
import { UNAUTHENTICATED_MESSAGE, openaiErrorBody } from "../errors";
import { can } from "../rbac/permissions";
import { registry } from "./metrics";

/** `GET /metrics`: Prometheus text for a bearer token with `view:audit`. */
export async function metricsResponse(authorization: string | null): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  const auth = authorization ? authenticate({ authorization, cookie: null }) : null;
  if (!auth?.ok) return { status: 401, headers: { "content-type": "application/json" }, body: JSON.stringify(openaiErrorBody(UNAUTHENTICATED_MESSAGE, "authentication_error")) };
  if (!can(auth.principal.bindings, "view", "audit")) {
    return { status: 403, headers: { "content-type": "application/json" }, body: JSON.stringify(openaiErrorBody("missing permission view:audit", "permission_error")) };
  }
  return { status: 200, headers: { "content-type": registry.contentType }, body: await registry.metrics() };
}
