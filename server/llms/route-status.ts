import type { Context } from "../context";
import { NotFoundError, ValidationError } from "../errors";
import { authorize } from "../rbac/authorize";
import { routeStates } from "../routing/targets";
import { parseInput } from "../validation";
import { getLlmCatalog } from "./catalog";
import { LlmNameInput } from "./schemas";

/** One target of a route as this replica sees it. */
export interface RouteTargetStatus {
  llm: string;
  group: number;
  weight: number;
  /** `available`; `cooling` until `coolingUntil`; `probe`: the next call tries it; `probing`: that call is in flight. */
  state: "available" | "cooling" | "probe" | "probing";
  coolingUntil: number | null;
  inFlight: number;
  /** Failures in a row. */
  failures: number;
  recentErrors: Array<{ at: number; message: string }>;
}

/**
 * The state of a route's targets in this replica (cooldowns are per replica): what the console's
 * route page shows. Needs view on the route; the targets' names are part of its settings.
 */
export async function routeStatus({ ctx, input }: { ctx: Context; input: LlmNameInput }): Promise<RouteTargetStatus[]> {
  authorize(ctx, "view", "llms", input.name);
  const { name } = parseInput(LlmNameInput, input);
  const llm = (await getLlmCatalog(ctx.store)).get(name);
  if (!llm) throw new NotFoundError("llm", name);
  if (!llm.routing) throw new ValidationError(`llm '${name}' is not a route`, "name");
  const states = routeStates(ctx.store, name);
  const now = Date.now();
  return llm.routing.targets.map((target) => {
    const state = states.get(target.llm);
    const status = state?.status(now) ?? "available";
    return {
      ...target,
      state: status,
      coolingUntil: state && state.coolUntil > now ? state.coolUntil : null,
      inFlight: state?.inFlight ?? 0,
      failures: state?.failures ?? 0,
      recentErrors: state ? [...state.recentErrors].reverse() : [],
    };
  });
}
