import type { Store } from "../../db/store";
import type { RoutingView } from "../llms/schemas";

// What this replica knows of each route's targets: failures in a row, cooldown, the probe after
// it, calls in flight and recent errors. Deliberately per replica: a target that fails for one
// replica cools down there, and nothing waits on the database to find out.

const RECENT_ERRORS = 5;

export interface TargetError {
  at: number;
  message: string;
}

export class TargetState {
  failures = 0;
  /** Date.now() until which the target is skipped; 0 when it is not cooling down. */
  coolUntil = 0;
  /** A probe call is in flight: the target takes no other call until it ends. */
  probing = false;
  inFlight = 0;
  readonly recentErrors: TargetError[] = [];

  /** `available`, `probe` (cooldown over: one call may try it), or unavailable (`cooling`, `probing`). */
  status(now: number): "available" | "probe" | "cooling" | "probing" {
    if (this.coolUntil === 0) return "available";
    if (now < this.coolUntil) return "cooling";
    return this.probing ? "probing" : "probe";
  }

  succeeded(): void {
    this.failures = 0;
    this.coolUntil = 0;
    this.probing = false;
  }

  /**
   * A failure that says nothing against the request: counts towards cooldown, and a 429 that asked
   * for a wait (`retryAfterMs`) cools the target at once. A cooldown lasts the route's cooldown, or
   * the provider's wait when longer, and a new failure never shortens one already running.
   */
  failed(routing: RoutingView, message: string, failure: { retryAfterMs: number | null; rateLimited: boolean }, now: number): void {
    this.failures += 1;
    this.recentErrors.push({ at: now, message });
    if (this.recentErrors.length > RECENT_ERRORS) this.recentErrors.shift();
    const wasProbe = this.probing;
    this.probing = false;
    if (this.failures >= routing.failureThreshold || (failure.rateLimited && failure.retryAfterMs !== null) || wasProbe) {
      const wait = Math.max(routing.cooldownS * 1000, failure.retryAfterMs ?? 0);
      this.coolUntil = Math.max(this.coolUntil, now + wait);
    }
  }
}

// On globalThis: the lean server and Next's bundle each load their own copy of this module, and
// the console (Next) shows the state the calls (lean server) left.
const STATES = Symbol.for("llm-gateway.route-target-states");
const holder = globalThis as { [STATES]?: WeakMap<Store, Map<string, TargetState>> };
holder[STATES] ??= new WeakMap();
const states = holder[STATES];

/** One route's target's state in this replica (created on first use). */
export function targetState(store: Store, route: string, target: string): TargetState {
  let byTarget = states.get(store);
  if (!byTarget) {
    byTarget = new Map();
    states.set(store, byTarget);
  }
  const key = `${route}\u0000${target}`;
  let state = byTarget.get(key);
  if (!state) {
    state = new TargetState();
    byTarget.set(key, state);
  }
  return state;
}

/** Every target state this replica holds for a route, by target (for the console and metrics). */
export function routeStates(store: Store, route: string): Map<string, TargetState> {
  const found = new Map<string, TargetState>();
  const prefix = `${route}\u0000`;
  for (const [key, state] of states.get(store) ?? []) if (key.startsWith(prefix)) found.set(key.slice(prefix.length), state);
  return found;
}

/** Every route's target states in this replica (for `/metrics`). */
export function allTargetStates(store: Store): Array<{ route: string; target: string; state: TargetState }> {
  return [...(states.get(store) ?? [])].map(([key, state]) => {
    const [route = "", target = ""] = key.split("\u0000");
    return { route, target, state };
  });
}

export interface Candidate {
  llm: string;
  group: number;
  weight: number;
  state: TargetState;
}

/**
 * The next target to try among `candidates` (each available, or due a probe): the lowest group
 * that has one; within it, by weight, and of two weighted picks the one with fewer calls in
 * flight. With affinity, a session's calls go to the same target while it stays available
 * (rendezvous hashing, so losing one target moves only its own sessions).
 */
export function pickTarget(candidates: Candidate[], affinityKey: string | null, random: () => number = Math.random): Candidate | null {
  if (candidates.length === 0) return null;
  const lowest = Math.min(...candidates.map((candidate) => candidate.group));
  const group = candidates.filter((candidate) => candidate.group === lowest);
  if (group.length === 1) return group[0]!;
  if (affinityKey !== null) return rendezvous(group, affinityKey);
  const first = weightedPick(group, random);
  const rest = group.filter((candidate) => candidate !== first);
  const second = weightedPick(rest, random);
  return second.state.inFlight < first.state.inFlight ? second : first;
}

function weightedPick(candidates: Candidate[], random: () => number): Candidate {
  const total = candidates.reduce((sum, candidate) => sum + candidate.weight, 0);
  let point = random() * total;
  for (const candidate of candidates) {
    point -= candidate.weight;
    if (point < 0) return candidate;
  }
  return candidates[candidates.length - 1]!;
}

/** Weighted rendezvous hashing: the highest `-weight / ln(hash)` wins. */
function rendezvous(candidates: Candidate[], key: string): Candidate {
  let best = candidates[0]!;
  let bestScore = Number.NEGATIVE_INFINITY;
  for (const candidate of candidates) {
    const unit = (fnv1a(`${key}\u0000${candidate.llm}`) + 1) / 4294967297;
    const score = -candidate.weight / Math.log(unit);
    if (score > bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  // A final mix so keys that differ in their last characters spread over the whole range.
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  return hash >>> 0;
}
