import { versioned } from "../changes";
import type { LimitView } from "./schemas";
import { allLimits } from "./view";

/**
 * How a refusal by this limit is told: `quota` for a token or cost budget of a day or a month
 * (`insufficient_quota`), `rate` for every other windowed limit (`rate_limit_exceeded`),
 * `concurrent` for calls in flight.
 */
export type LimitKind = "rate" | "quota" | "concurrent";

export interface LimitRule {
  view: LimitView;
  kind: LimitKind;
}

/** The limits in force, indexed by what a call is: its user, its token, its Llm. */
export interface LimitRules {
  size: number;
  byUser: Map<string, LimitRule[]>;
  byToken: Map<number, LimitRule[]>;
  byLlm: Map<string, LimitRule[]>;
  defaults: LimitRule[];
  /** Which rules apply to a (user, token, Llm), worked out once per combination. */
  forCall: Map<string, LimitRule[]>;
}

function kindOf(view: LimitView): LimitKind {
  if (view.metric === "concurrent") return "concurrent";
  if (view.metric !== "requests" && (view.window === "day" || view.window === "month")) return "quota";
  return "rate";
}

function push<K>(map: Map<K, LimitRule[]>, key: K, rule: LimitRule): void {
  const list = map.get(key);
  if (list) list.push(rule);
  else map.set(key, [rule]);
}

/** Every limit, from memory; rebuilt when the configuration changes. */
export const getLimitRules = versioned<LimitRules>(async (store) => {
  const all = await store.read(allLimits);
  const rules: LimitRules = { size: all.length, byUser: new Map(), byToken: new Map(), byLlm: new Map(), defaults: [], forCall: new Map() };
  for (const { view, tokenId } of all) {
    const rule = { view, kind: kindOf(view) };
    if (view.scope.default) rules.defaults.push(rule);
    else if (tokenId !== null) push(rules.byToken, tokenId, rule);
    else if (view.scope.user) push(rules.byUser, view.scope.user, rule);
    else if (view.scope.llm) push(rules.byLlm, view.scope.llm, rule);
  }
  return rules;
});

/**
 * The limits a route's target adds to those of the route: the ones that name the target Llm (for
 * everyone, or for this user). Limits of the user, the token and the defaults count the call once,
 * at the route.
 */
export function targetRulesFor(rules: LimitRules, user: string, llm: string): LimitRule[] {
  const key = `${user}\u0000\u0001${llm}`;
  let found = rules.forCall.get(key);
  if (!found) {
    found = [...(rules.byUser.get(user) ?? []).filter((rule) => rule.view.scope.llm === llm), ...(rules.byLlm.get(llm) ?? [])];
    rules.forCall.set(key, found);
  }
  return found;
}

/** The limits that count a call by `user` (through `tokenId`, if any) to `llm`. */
export function rulesFor(rules: LimitRules, user: string, tokenId: number | null, llm: string): LimitRule[] {
  const key = `${user}\u0000${tokenId ?? ""}\u0000${llm}`;
  let found = rules.forCall.get(key);
  if (!found) {
    found = [
      ...(rules.byUser.get(user) ?? []).filter((rule) => rule.view.scope.llm === undefined || rule.view.scope.llm === llm),
      ...(tokenId === null ? [] : (rules.byToken.get(tokenId) ?? [])),
      ...(rules.byLlm.get(llm) ?? []),
      ...rules.defaults,
    ];
    rules.forCall.set(key, found);
  }
  return found;
}
