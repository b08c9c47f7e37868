import { recordNow } from "../audit/record";
import type { Context } from "../context";
import { ForbiddenError } from "../errors";
import { can, permissionString, type Resource, type Verb } from "./permissions";

/** The first statement of every verb: throws (and audits) unless the caller holds the permission. */
export function authorize(ctx: Context, verb: Verb, resource: Resource, name: string | null = null): void {
  if (can(ctx.principal.bindings, verb, resource, name)) return;
  const permission = permissionString(verb, resource, name);
  recordNow({ event: "permission_denied", principal: ctx.principal, target: permission, clientIp: ctx.clientIp });
  throw new ForbiddenError(permission);
}

/** Keeps the items of a list the caller may view. */
export function filterViewable<T>(ctx: Context, resource: Resource, items: T[], nameOf: (item: T) => string): T[] {
  return items.filter((item) => can(ctx.principal.bindings, "view", resource, nameOf(item)));
}
