import { recordSoon } from "../audit/record";
import type { Context } from "../context";
import { ForbiddenError } from "../errors";
import { can, permissionString, ROLE_VERBS, type Resource, type Role, type Verb } from "./permissions";

/**
 * The first statement of every verb: throws (and audits) unless the caller holds the permission.
 * `purpose` says what the permission was needed for, when the verb alone does not make it plain.
 */
export function authorize(ctx: Context, verb: Verb, resource: Resource, name: string | null = null, purpose: string | null = null): void {
  if (can(ctx.principal.bindings, verb, resource, name)) return;
  deny(ctx, permissionString(verb, resource, name), purpose);
}

/** Like `authorize`, for acts that need a whole role (every verb it grants) on the instance. */
export function authorizeRole(ctx: Context, role: Role, resource: Resource, name: string, purpose: string | null = null): void {
  if (ROLE_VERBS[role].every((verb) => can(ctx.principal.bindings, verb, resource, name))) return;
  deny(ctx, `${role}:${resource}:${name}`, purpose);
}

function deny(ctx: Context, permission: string, purpose: string | null): never {
  recordSoon(ctx.store, { event: "permission_denied", principal: ctx.principal, target: permission, clientIp: ctx.clientIp });
  throw new ForbiddenError(permission, purpose);
}

/** Keeps the items of a list the caller may view. */
export function filterViewable<T>(ctx: Context, resource: Resource, items: T[], nameOf: (item: T) => string): T[] {
  return items.filter((item) => can(ctx.principal.bindings, "view", resource, nameOf(item)));
}
