export const VERBS = ["view", "create", "edit", "delete", "run"] as const;
export type Verb = (typeof VERBS)[number];

export const RESOURCES = ["llms", "secrets", "users", "tokens", "rolebindings", "audit", "limits"] as const;
export type Resource = (typeof RESOURCES)[number];

export const ROLES = ["view", "edit", "run", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_VERBS: Record<Role, readonly Verb[]> = {
  view: ["view"],
  edit: ["view", "create", "edit", "delete"],
  run: ["run"],
  admin: VERBS,
};

export interface Binding {
  role: Role;
  /** A resource or `*` for every resource. */
  resource: Resource | "*";
  /** null = every instance. */
  name: string | null;
}

export function permissionString(verb: Verb, resource: Resource, name?: string | null): string {
  return name ? `${verb}:${resource}:${name}` : `${verb}:${resource}`;
}

function grants(binding: Binding, verb: Verb, resource: Resource, name: string | null): boolean {
  if (!ROLE_VERBS[binding.role].includes(verb)) return false;
  if (binding.resource !== "*" && binding.resource !== resource) return false;
  // A name-scoped binding grants only that instance; an unnamed check needs an unscoped binding.
  return binding.name === null || binding.name === name;
}

/** Deny by default: true only when some binding grants `verb` on `resource[:name]`. */
export function can(bindings: readonly Binding[], verb: Verb, resource: Resource, name: string | null = null): boolean {
  return bindings.some((binding) => grants(binding, verb, resource, name));
}

/** True when some binding could grant `verb` on at least one instance (used to show navigation). */
export function canSome(bindings: readonly Binding[], verb: Verb, resource: Resource): boolean {
  return bindings.some((binding) => ROLE_VERBS[binding.role].includes(verb) && (binding.resource === "*" || binding.resource === resource));
}

/** Every (verb, resource, name) a binding grants, expanded over `*`. */
export function expandBinding(binding: Binding): Array<{ verb: Verb; resource: Resource; name: string | null }> {
  const resources = binding.resource === "*" ? RESOURCES : [binding.resource];
  return resources.flatMap((resource) => ROLE_VERBS[binding.role].map((verb) => ({ verb, resource, name: binding.name })));
}

/** No escalation: the holder must already have every permission the binding would grant. */
export function holdsEverything(holder: readonly Binding[], granted: readonly Binding[]): boolean {
  return granted.every((binding) => expandBinding(binding).every((p) => can(holder, p.verb, p.resource, p.name)));
}

/** What two bindings grant together (both must allow it), or null when nothing. */
function intersectBinding(a: Binding, b: Binding): Binding | null {
  const verbs = ROLE_VERBS[a.role].filter((verb) => ROLE_VERBS[b.role].includes(verb));
  // Role verb sets nest or are disjoint, so a shared set is always one role's.
  const role = ROLES.find((candidate) => ROLE_VERBS[candidate].length === verbs.length && verbs.every((verb) => ROLE_VERBS[candidate].includes(verb)));
  if (!role || verbs.length === 0) return null;
  if (a.resource !== "*" && b.resource !== "*" && a.resource !== b.resource) return null;
  if (a.name !== null && b.name !== null && a.name !== b.name) return null;
  return { role, resource: a.resource === "*" ? b.resource : a.resource, name: a.name ?? b.name };
}

/** The bindings a scoped token acts with: only what its user holds and its scopes allow. */
export function scopeBindings(held: readonly Binding[], scopes: readonly Binding[]): Binding[] {
  return held.flatMap((binding) => scopes.map((scope) => intersectBinding(binding, scope)).filter((result): result is Binding => result !== null));
}

/** `role:resource[:name]`, e.g. `run:llms:gpt`, `view:audit`, `admin:*`; null when it is not one. */
export function parseScope(text: string): Binding | null {
  const [role, resource, name, ...rest] = text.split(":");
  if (rest.length > 0 || !ROLES.includes(role as Role)) return null;
  if (resource !== "*" && !RESOURCES.includes(resource as Resource)) return null;
  if (name !== undefined && !/^[a-z0-9][a-z0-9._-]{0,62}$/.test(name)) return null;
  return { role: role as Role, resource: resource as Binding["resource"], name: name ?? null };
}

export function scopeString(binding: Binding): string {
  return binding.name === null ? `${binding.role}:${binding.resource}` : `${binding.role}:${binding.resource}:${binding.name}`;
}
