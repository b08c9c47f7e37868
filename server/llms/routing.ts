import { eq } from "drizzle-orm";
import { rows, type Program, type Scope } from "../../db/program";
import type { Context } from "../context";
import { ConflictError, ValidationError } from "../errors";
import { authorize } from "../rbac/authorize";
import { ROUTE_DEFAULTS, type LlmRouting, type RoutingView, type UpdateLlmInput } from "./schemas";

type RoutingChange = NonNullable<UpdateLlmInput["routing"]>;

/** A stored routing column with every default filled in. */
export function toRoutingView(stored: string | null): RoutingView | null {
  if (!stored) return null;
  const routing = JSON.parse(stored) as LlmRouting;
  return {
    targets: routing.targets.map((target) => ({ llm: target.llm, group: target.group ?? 0, weight: target.weight ?? 1 })),
    maxAttempts: routing.maxAttempts ?? ROUTE_DEFAULTS.maxAttempts,
    failureThreshold: routing.failureThreshold ?? ROUTE_DEFAULTS.failureThreshold,
    cooldownS: routing.cooldownS ?? ROUTE_DEFAULTS.cooldownS,
    affinity: routing.affinity ?? null,
  };
}

/** The routing column after a change: the fields given replace those set; null clears it. */
export function storedRouting(current: string | null, change: RoutingChange | null): string | null {
  if (change === null) return null;
  const merged = { ...(current ? (JSON.parse(current) as LlmRouting) : {}), ...change };
  const routing = Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== null && value !== undefined));
  if (!routing.targets) throw new ValidationError("routing.targets: a route needs at least one target", "routing.targets");
  return JSON.stringify(routing);
}

/** Editing a route means choosing where its callers' calls go: the editor must be able to see each target. */
export function authorizeRouteTargets(ctx: Context, routing: string | null): void {
  for (const target of toRoutingView(routing)?.targets ?? []) authorize(ctx, "view", "llms", target.llm, "to send a route's calls to it");
}

/**
 * What a route may be and what only a route may have: targets that exist, each named once, none
 * a route itself (nor this one); no url, key or model of its own.
 */
export function* checkRouting(
  scope: Scope,
  llm: { name: string; provider: string; model: string; url: string | null; apiKeyRef: unknown; geminiPath: string | null; routing: string | null },
): Program<void> {
  if (llm.provider !== "route") {
    if (llm.routing) throw new ValidationError(`routing: only a route llm has targets (this one is ${llm.provider})`, "routing");
    if (!llm.model) throw new ValidationError("model: must not be empty", "model");
    return;
  }
  if (llm.model) throw new ValidationError("model: a route has no model of its own; its targets have", "model");
  if (llm.url) throw new ValidationError("url: a route takes no url; its targets have them", "url");
  if (llm.apiKeyRef) throw new ValidationError("apiKeyRef: a route takes no key; its targets have them", "apiKeyRef");
  if (llm.geminiPath) throw new ValidationError("geminiPath: a route takes none", "geminiPath");
  const routing = toRoutingView(llm.routing);
  if (!routing) throw new ValidationError("routing.targets: a route needs at least one target", "routing.targets");
  const { db, t } = scope;
  const providers = new Map((yield* rows(db.select({ name: t.llms.name, provider: t.llms.provider }).from(t.llms))).map((row) => [row.name, row.provider]));
  const seen = new Set<string>();
  for (const [index, target] of routing.targets.entries()) {
    const field = `routing.targets.${index}.llm`;
    if (target.llm === llm.name) throw new ValidationError(`${field}: a route cannot target itself`, field);
    if (seen.has(target.llm)) throw new ValidationError(`${field}: llm '${target.llm}' is named twice`, field);
    seen.add(target.llm);
    const provider = providers.get(target.llm);
    if (provider === undefined) throw new ValidationError(`${field}: llm '${target.llm}' does not exist`, field);
    if (provider === "route") throw new ValidationError(`${field}: '${target.llm}' is a route; a route cannot target a route`, field);
  }
}

/** An Llm that routes send calls to cannot be deleted or turned into a route until they stop naming it. */
export function* checkNotTargeted(scope: Scope, name: string, change: "deleted" | "made a route"): Program<void> {
  const { db, t } = scope;
  const routes = yield* rows(db.select({ name: t.llms.name, routing: t.llms.routing }).from(t.llms).where(eq(t.llms.provider, "route")));
  const naming = routes.filter((route) => toRoutingView(route.routing)?.targets.some((target) => target.llm === name)).map((route) => route.name);
  if (naming.length > 0) {
    throw new ConflictError(
      `llm '${name}' is a target of route ${naming.map((route) => `'${route}'`).join(", ")}; it cannot be ${change} until the route stops naming it`,
    );
  }
}
