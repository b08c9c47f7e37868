import type { Context } from "../context";
import { canSome, RESOURCES, VERBS, type Resource, type Verb } from "../rbac/permissions";
import type { Binding } from "../rbac/permissions";

export interface Me {
  name: string;
  via: "token" | "session" | "cli";
  bindings: readonly Binding[];
  /** For each resource, the verbs the caller holds on at least one instance (drives the console's navigation). */
  capabilities: Record<Resource, Verb[]>;
}

/** The signed-in caller: always allowed (everyone may view themselves). */
export function getMe({ ctx }: { ctx: Context }): Me {
  const capabilities = Object.fromEntries(
    RESOURCES.map((resource) => [resource, VERBS.filter((verb) => canSome(ctx.principal.bindings, verb, resource))]),
  ) as Record<Resource, Verb[]>;
  return { name: ctx.principal.userName, via: ctx.principal.via, bindings: ctx.principal.bindings, capabilities };
}
