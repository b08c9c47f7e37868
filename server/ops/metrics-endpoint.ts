import type { Store } from "../../db/store";
import { authenticate } from "../auth/authenticate";
import { appErrorToOpenAI, isAppError, UNAUTHENTICATED_MESSAGE, openaiErrorBody } from "../errors";
import { authorize } from "../rbac/authorize";
import { allTargetStates } from "../routing/targets";
import { registry, routeTargetCooldown, routeTargetFailures, routeTargetInFlight, routeTargetState } from "./metrics";

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
  exportTargetStates(store);
  return { status: 200, headers: { "content-type": registry.contentType, "x-content-type-options": "nosniff" }, body: await registry.metrics() };
}

const STATE_VALUE = { available: 0, cooling: 1, probe: 2, probing: 3 } as const;

/** Route target state lives in memory; it is copied into the gauges when they are read. */
function exportTargetStates(store: Store): void {
  const now = Date.now();
  for (const gauge of [routeTargetState, routeTargetCooldown, routeTargetInFlight, routeTargetFailures]) gauge.reset();
  for (const { route, target, state } of allTargetStates(store)) {
    const labels = { route, target };
    routeTargetState.set(labels, STATE_VALUE[state.status(now)]);
    routeTargetCooldown.set(labels, Math.max(0, (state.coolUntil - now) / 1000));
    routeTargetInFlight.set(labels, state.inFlight);
    routeTargetFailures.set(labels, state.failures);
  }
}
