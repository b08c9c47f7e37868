import { randomUUID } from "node:crypto";
import type { Store } from "../../db/store";
import type { Principal } from "../auth/principal";
import { AppError } from "../errors";
import type { LlmView } from "../llms/schemas";
import { log } from "../ops/log";
import { limitClaims, limitRefusals } from "../ops/metrics";
import type { ChatRequest } from "../proxy/request-body";
import type { TokenUsage } from "../proxy/usage";
import { estimateCall, type CallEstimate } from "./estimate";
import { exchange, sweepLimitState, type ExchangeItem } from "./exchange";
import { getLimitRules, rulesFor, targetRulesFor, type LimitRule } from "./rules";
import type { LimitMetric } from "./schemas";
import { describeLimit } from "./describe";
import { counterKey, resetDuration, windowAt } from "./windows";

// Limits are enforced from memory. Each replica holds a grant per counter (a limit, a subject, a
// window): room the database has handed it, never more in total than the limit's max minus the
// settled usage. A call is admitted when every counter it touches has room left in this replica's
// grant, and reserves it; when the call ends its reservation is settled to what it used. Every
// sync the replica publishes settled usage and gives back spare room; it asks the database for
// more only when a call does not fit in what it holds. So replicas cannot overshoot a limit
// together; only a call that uses more than it reserved can (see README, "Limits").
const SWEEP_EVERY_SYNCS = 40;
/** Syncs without demand after which a counter's room is given back and the counter forgotten. */
const IDLE_SYNCS = 20;
/** How many sync intervals a call may wait for room other replicas hold but do not use. */
const CLAIM_WAIT_SYNCS = 3;
const EPSILON = 1e-9;

class Counter {
  /** Room this replica holds for the counter (the database's figure for it). */
  grant = 0;
  /** Usage settled here and not yet published. */
  pending = 0;
  /** Held by this replica's calls in flight. */
  reserved = 0;
  /** Settled usage of every replica as of the last exchange (this replica's included once published). */
  used = 0;
  othersGranted = 0;
  othersReserved = 0;
  /** Reserved since the last sync, and in the sync before: what this replica expects to need. */
  demand = 0;
  lastDemand = 0;
  idleSyncs = 0;
  /** `reserved` as the database last heard it. */
  publishedReserved = 0;

  constructor(
    public rule: LimitRule,
    readonly subject: string,
    readonly subjectUser: string | null,
    readonly windowStart: number,
    readonly windowEnd: number | null,
  ) {}

  get available(): number {
    return this.grant - this.pending - this.reserved;
  }

  /** What every replica has settled or holds for calls in flight, as far as this replica knows. */
  get committed(): number {
    return this.used + this.pending + this.reserved + this.othersReserved;
  }
}

/** `claim`: room for calls waiting; `sync`: the periodic one; `release`: give back every spare. */
type ExchangeMode = "claim" | "sync" | "release";
const MODE_RANK: Record<ExchangeMode, number> = { claim: 0, sync: 1, release: 2 };

interface Entry {
  counter: Counter;
  amount: number;
}

/** A call's reservations, settled once when the call ends. */
export interface Admission {
  meter: Meter;
  entries: Entry[];
  /** `x-ratelimit-*` for the tightest request and token limits that apply. */
  headers: Record<string, string>;
}

/** A refusal by a limit: 429 with `Retry-After` and the `x-ratelimit-*` headers. */
export class LimitRefusal extends AppError {
  constructor(
    message: string,
    readonly rule: LimitRule,
    readonly quota: boolean,
    retryAfterSeconds: number | null,
    headers: Record<string, string>,
  ) {
    super(quota ? "quota_exceeded" : "limit_exceeded", message, {
      headers,
      retryAfterSeconds,
      detailCode: quota ? "insufficient_quota" : "rate_limit_exceeded",
      retryable: retryAfterSeconds !== null,
    });
  }
}

function amountOf(metric: LimitMetric, estimate: () => CallEstimate): number {
  switch (metric) {
    case "requests":
    case "concurrent":
      return 1;
    case "input_tokens":
      return estimate().inputTokens;
    case "output_tokens":
      return estimate().outputTokens;
    case "total_tokens":
      return estimate().inputTokens + estimate().outputTokens;
    case "cost_usd":
      return estimate().costUsd;
  }
}

function actualOf(metric: LimitMetric, usage: TokenUsage | null, costUsd: number | null): number {
  switch (metric) {
    case "requests":
      return 1;
    case "concurrent":
      return 0;
    case "input_tokens":
      return usage?.promptTokens ?? 0;
    case "output_tokens":
      return usage?.completionTokens ?? 0;
    case "total_tokens":
      return usage?.totalTokens ?? 0;
    case "cost_usd":
      return costUsd ?? 0;
  }
}

export class Meter {
  readonly replica: string = randomUUID();
  private readonly counters = new Map<string, Counter>();
  private live = 1;
  /** When the last exchange that renewed this replica's heartbeat started (Date.now()). */
  private lastExchangeAt = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | null = null;
  private syncs = 0;
  private running: Promise<void> | null = null;
  private next: { wants: Map<Counter, number>; mode: ExchangeMode; done: Promise<void>; settle: (error?: unknown) => void } | null = null;

  constructor(private readonly store: Store) {}

  /** Reserves what the call may use in every counter of `rules`, or refuses it. */
  /** `catalog` (for a route): the estimate is that of its dearest target. */
  admit(
    rules: LimitRule[],
    principal: Principal,
    llm: LlmView,
    chat: ChatRequest,
    catalog: Map<string, LlmView> | null = null,
  ): Admission | Promise<Admission> {
    const now = Date.now();
    let estimate: CallEstimate | null = null;
    const estimateOnce = () => (estimate ??= estimateCall(llm, chat, catalog));
    const entries = rules.map((rule) => ({ counter: this.counterFor(rule, principal, now), amount: amountOf(rule.view.metric, estimateOnce) }));
    const neverFits = entries.find((entry) => entry.amount > entry.counter.rule.view.max + EPSILON);
    if (neverFits) throw this.neverFits(neverFits, entries, now);
    if (this.fits(entries, now)) return this.reserve(entries, now);
    return this.claimThenAdmit(entries);
  }

  /** The call ended (any way): its reservations become what it used. */
  settle(admission: Admission, usage: TokenUsage | null, costUsd: number | null): void {
    for (const { counter, amount } of admission.entries) {
      counter.reserved = Math.max(0, counter.reserved - amount);
      if (counter.reserved < EPSILON) counter.reserved = 0;
      counter.pending += actualOf(counter.rule.view.metric, usage, costUsd);
    }
  }

  /** Publishes settled usage and gives back all spare room now (before the process exits; after a test). */
  async flush(): Promise<void> {
    this.stopTimer();
    if (this.counters.size > 0) await this.exchangeSoon(new Map(), "release");
  }

  /** This replica's unpublished usage and open reservations in one counter. */
  figures(limitId: number, subject: string, windowStart: number): { pending: number; reserved: number } {
    const counter = this.counters.get(counterKey(limitId, subject, windowStart));
    return { pending: counter?.pending ?? 0, reserved: counter?.reserved ?? 0 };
  }

  /** The subjects this replica counts for a limit's window. */
  subjects(limitId: number, windowStart: number): string[] {
    const found: string[] = [];
    for (const counter of this.counters.values()) {
      if (counter.rule.view.id === limitId && counter.windowStart === windowStart) found.push(counter.subject);
    }
    return found;
  }

  private counterFor(rule: LimitRule, principal: Principal, now: number): Counter {
    const { start, end } = windowAt(rule.view.window, now);
    const perUser = rule.view.scope.default === true;
    const subject = perUser ? String(principal.userId ?? principal.userName) : "";
    const key = counterKey(rule.view.id, subject, start);
    let counter = this.counters.get(key);
    if (!counter) {
      counter = new Counter(rule, subject, perUser || rule.view.scope.user ? principal.userName : null, start, end);
      this.counters.set(key, counter);
    } else counter.rule = rule;
    if (!this.timer) this.startTimer();
    return counter;
  }

  /** Grants count only while this replica's heartbeat is surely fresh to the others. */
  private grantsValid(now: number): boolean {
    return now - this.lastExchangeAt < this.store.config.limitLeaseMs / 2;
  }

  private fits(entries: Entry[], now: number): boolean {
    if (!this.grantsValid(now)) return false;
    return entries.every((entry) => entry.counter.available + EPSILON >= entry.amount);
  }

  private reserve(entries: Entry[], now: number): Admission {
    for (const { counter, amount } of entries) {
      counter.reserved += amount;
      counter.demand += amount;
    }
    return { meter: this, entries, headers: this.rateLimitHeaders(entries, now) };
  }

  /**
   * Asks the database for the room the call lacks. When the limit is not full but other replicas
   * hold its room, the call waits for them to give spare back (they do at their next syncs) up to
   * `CLAIM_WAIT_SYNCS` sync intervals, instead of being refused for room nobody uses.
   */
  private async claimThenAdmit(entries: Entry[]): Promise<Admission> {
    limitClaims.inc();
    const { limitSyncMs } = this.store.config;
    const deadline = Date.now() + CLAIM_WAIT_SYNCS * limitSyncMs;
    for (;;) {
      const wants = new Map<Counter, number>();
      const valid = this.grantsValid(Date.now());
      for (const { counter, amount } of entries) {
        const short = amount - Math.max(0, counter.available);
        if (short > EPSILON || !valid) wants.set(counter, Math.max(short, 0));
      }
      await this.exchangeSoon(wants, "claim");
      const now = Date.now();
      if (this.fits(entries, now)) return this.reserve(entries, now);
      const full = entries.some(({ counter, amount }) => counter.available + EPSILON < amount && isFull(counter, amount));
      if (full || now >= deadline) throw this.refusal(entries, now);
      await new Promise((resolve) => setTimeout(resolve, limitSyncMs / 2));
    }
  }

  private refusal(entries: Entry[], now: number): LimitRefusal {
    let chosen: { entry: Entry; full: boolean; retryAfter: number } | null = null;
    for (const entry of entries) {
      const { counter, amount } = entry;
      if (counter.available + EPSILON >= amount) continue;
      const full = isFull(counter, amount);
      // Full: wait for the window to end (a slot to free). Not full: the room is held by other
      // replicas' grants, given back within their next sync.
      const retryAfter = full && counter.windowEnd !== null ? Math.ceil((counter.windowEnd - now) / 1000) : 1;
      if (!chosen || retryAfter > chosen.retryAfter) chosen = { entry, full, retryAfter };
    }
    const { entry, full, retryAfter } = chosen ?? { entry: entries[0]!, full: true, retryAfter: 1 };
    const { rule } = entry.counter;
    limitRefusals.inc({ metric: rule.view.metric });
    const wait = rule.view.metric === "concurrent" ? "when a call in flight ends" : `in ${resetDuration(retryAfter * 1000)}`;
    return new LimitRefusal(
      `Limit reached: ${describeLimit(rule.view)}. Try again ${full ? wait : "in a moment"}.`,
      rule,
      full && rule.kind === "quota",
      retryAfter,
      this.rateLimitHeaders(entries, now),
    );
  }

  private neverFits({ counter, amount }: Entry, entries: Entry[], now: number): LimitRefusal {
    const { rule } = counter;
    limitRefusals.inc({ metric: rule.view.metric });
    const what = rule.view.metric === "cost_usd" ? `$${amount.toFixed(6)}` : `${amount} ${rule.view.metric}`;
    return new LimitRefusal(
      `This request can never fit the limit ${describeLimit(rule.view)}: it may use up to ${what} (estimated from its prompt and max_tokens). Lower max_tokens or shorten the prompt.`,
      rule,
      rule.kind === "quota",
      null,
      this.rateLimitHeaders(entries, now),
    );
  }

  /** OpenAI's headers for the tightest request limit and the tightest token limit among `entries`. */
  private rateLimitHeaders(entries: Entry[], now: number): Record<string, string> {
    const headers: Record<string, string> = {};
    const tightest: Record<"requests" | "tokens", Counter | null> = { requests: null, tokens: null };
    for (const { counter } of entries) {
      const { metric } = counter.rule.view;
      const kind = metric === "requests" ? "requests" : metric.endsWith("_tokens") ? "tokens" : null;
      if (!kind) continue;
      const current = tightest[kind];
      if (!current || remaining(counter) < remaining(current)) tightest[kind] = counter;
    }
    for (const kind of ["requests", "tokens"] as const) {
      const counter = tightest[kind];
      if (!counter) continue;
      headers[`x-ratelimit-limit-${kind}`] = String(counter.rule.view.max);
      headers[`x-ratelimit-remaining-${kind}`] = String(Math.floor(remaining(counter)));
      headers[`x-ratelimit-reset-${kind}`] = resetDuration((counter.windowEnd ?? now) - now);
    }
    return headers;
  }

  private startTimer(): void {
    this.timer = setInterval(() => this.sync(), this.store.config.limitSyncMs);
    this.timer.unref();
    activeMeters.add(this);
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    activeMeters.delete(this);
  }

  private sync(): void {
    this.exchangeSoon(new Map(), "sync").catch((error: unknown) => {
      log.warn({ msg: "could not sync limit counters with the database", error: error instanceof Error ? error.message : String(error) });
    });
  }

  /** Queues an exchange; claims made while one runs go together into the next. */
  private exchangeSoon(wants: Map<Counter, number>, mode: ExchangeMode): Promise<void> {
    if (!this.next) {
      let settle!: (error?: unknown) => void;
      const done = new Promise<void>((resolve, reject) => {
        settle = (error) => (error === undefined ? resolve() : reject(error));
      });
      this.next = { wants: new Map(), mode, done, settle };
      if (!this.running) queueMicrotask(() => this.runNext());
    }
    for (const [counter, want] of wants) this.next.wants.set(counter, (this.next.wants.get(counter) ?? 0) + want);
    if (MODE_RANK[mode] > MODE_RANK[this.next.mode]) this.next.mode = mode;
    return this.next.done;
  }

  private runNext(): void {
    const batch = this.next;
    if (!batch || this.running) return;
    this.next = null;
    this.running = this.exchange(batch.wants, batch.mode).then(
      () => batch.settle(),
      (error: unknown) => batch.settle(error ?? new Error("limit exchange failed")),
    );
    void this.running.finally(() => {
      this.running = null;
      if (this.next) this.runNext();
    });
  }

  private async exchange(wants: Map<Counter, number>, mode: ExchangeMode): Promise<void> {
    const roll = mode !== "claim";
    const now = Date.now();
    const lapsed = !this.grantsValid(now);
    const plans: Array<{ counter: Counter; item: ExchangeItem; publish: number; consumed: number; release: number }> = [];
    for (const counter of this.counters.values()) {
      const publish = counter.pending;
      const consumed = Math.min(publish, counter.grant);
      counter.pending -= publish;
      counter.grant -= consumed;
      if (roll) {
        counter.idleSyncs = counter.demand > 0 || counter.reserved > 0 ? 0 : counter.idleSyncs + 1;
        counter.lastDemand = counter.demand;
        counter.demand = 0;
      }
      const want = wants.get(counter);
      const ended = counter.windowEnd !== null && counter.windowEnd <= now;
      // Spare kept for the calls of the next sync: all of it while this is the only replica, twice
      // the recent demand when others may want room too.
      const spare =
        ended || mode === "release" || counter.idleSyncs >= IDLE_SYNCS
          ? 0
          : this.live <= 1
            ? Number.POSITIVE_INFINITY
            : 2 * Math.max(counter.demand, counter.lastDemand);
      const available = Math.max(0, counter.available);
      // After a lapse the others may have handed out this replica's room: keep only what calls in flight hold.
      const release = lapsed ? available : want !== undefined ? 0 : Math.max(0, available - spare);
      counter.grant -= release;
      let ask = 0;
      let least = 0;
      if (want !== undefined) {
        least = want;
        ask = this.live <= 1 ? Number.MAX_VALUE : want + (Number.isFinite(spare) ? spare : 0);
      } else if (Number.isFinite(spare) && spare > available && !ended) ask = spare - available;
      const item: ExchangeItem = {
        limit: counter.rule.view,
        subject: counter.subject,
        subjectUser: counter.subjectUser,
        windowStart: counter.windowStart,
        windowEnd: counter.windowEnd,
        publish,
        giveBack: consumed + release,
        reserved: counter.reserved,
        ask,
        least,
      };
      // A counter nothing happened to since the last exchange stays out of it (the heartbeat keeps its grant).
      if (want === undefined && publish === 0 && release === 0 && ask === 0 && counter.reserved === counter.publishedReserved) {
        if ((ended || counter.idleSyncs >= IDLE_SYNCS) && counter.reserved === 0 && counter.pending === 0 && counter.grant <= EPSILON) {
          this.counters.delete(this.keyOf(counter));
        }
        continue;
      }
      plans.push({ counter, item, publish, consumed, release });
    }
    const sweep = roll && ++this.syncs % SWEEP_EVERY_SYNCS === 0;
    const leaseMs = this.store.config.limitLeaseMs;
    let result: Awaited<ReturnType<typeof exchangeResult>>;
    try {
      result = await exchangeResult(
        this.store,
        this.replica,
        now,
        leaseMs,
        plans.map((plan) => plan.item),
        sweep,
      );
    } catch (error) {
      for (const { counter, publish, consumed, release } of plans) {
        counter.pending += publish;
        counter.grant += consumed + release;
      }
      throw error;
    }
    this.lastExchangeAt = now;
    this.live = result.live;
    plans.forEach(({ counter }, index) => {
      const outcome = result.outcomes[index];
      if (!outcome) {
        // Its limit is gone: nothing to count any more.
        this.counters.delete(this.keyOf(counter));
        return;
      }
      counter.used = outcome.used;
      counter.publishedReserved = plans[index]!.item.reserved;
      counter.othersGranted = outcome.othersGranted;
      counter.othersReserved = outcome.othersReserved;
      counter.grant += outcome.granted;
      const ended = counter.windowEnd !== null && counter.windowEnd <= now;
      const idle = counter.idleSyncs >= IDLE_SYNCS;
      if ((ended || idle) && counter.reserved === 0 && counter.pending === 0 && counter.grant <= EPSILON) this.counters.delete(this.keyOf(counter));
    });
    if (this.counters.size === 0) this.stopTimer();
  }

  private keyOf(counter: Counter): string {
    return counterKey(counter.rule.view.id, counter.subject, counter.windowStart);
  }
}

/** Settled usage and every replica's calls in flight leave no room for `amount`. */
function isFull(counter: Counter, amount: number): boolean {
  return counter.committed + amount > counter.rule.view.max + EPSILON;
}

function remaining(counter: Counter): number {
  return Math.max(0, counter.rule.view.max - counter.committed);
}

function exchangeResult(store: Store, replica: string, now: number, leaseMs: number, items: ExchangeItem[], sweep: boolean) {
  return store.write(function* (scope) {
    const result = yield* exchange(scope, replica, now, leaseMs, items);
    if (sweep) yield* sweepLimitState(scope, now, 10 * leaseMs);
    return result;
  });
}

const meters = new WeakMap<Store, Meter>();
/** Meters with counters to sync. */
const activeMeters = new Set<Meter>();

function meterFor(store: Store): Meter {
  let meter = meters.get(store);
  if (!meter) {
    meter = new Meter(store);
    meters.set(store, meter);
  }
  return meter;
}

/**
 * Admits a call under every limit that applies to it (null when none does), reserving what it may
 * use; refuses it with a `LimitRefusal`. Synchronous unless this replica must first take room
 * from the database (or load the limits, once).
 */
export function admitCall(
  store: Store,
  principal: Principal,
  llm: LlmView,
  chat: ChatRequest,
  catalog: Map<string, LlmView>,
): Admission | null | Promise<Admission | null> {
  const rules = getLimitRules(store);
  if (rules instanceof Promise) return rules.then(() => admitCall(store, principal, llm, chat, catalog));
  if (rules.size === 0) return null;
  const applying = rulesFor(rules, principal.userName, principal.tokenId, llm.name);
  if (applying.length === 0) return null;
  return meterFor(store).admit(applying, principal, llm, chat, catalog);
}

/** Admits a call to one of a route's targets under the limits that name that target (see `targetRulesFor`). */
export function admitTargetCall(store: Store, principal: Principal, target: LlmView, chat: ChatRequest): Admission | null | Promise<Admission | null> {
  const rules = getLimitRules(store);
  if (rules instanceof Promise) return rules.then(() => admitTargetCall(store, principal, target, chat));
  if (rules.size === 0) return null;
  const applying = targetRulesFor(rules, principal.userName, target.name);
  if (applying.length === 0) return null;
  return meterFor(store).admit(applying, principal, target, chat);
}

/** What this process holds in memory for a store's limits (nothing before its first limited call). */
export function replicaFigures(store: Store): Pick<Meter, "replica" | "figures" | "subjects"> {
  const meter = meters.get(store);
  if (meter) return meter;
  return { replica: "", figures: () => ({ pending: 0, reserved: 0 }), subjects: () => [] };
}

/** Publishes every meter's settled usage and gives back its room (before the process exits; after a test). */
export async function flushLimitMeters(): Promise<void> {
  await Promise.allSettled([...activeMeters].map((meter) => meter.flush()));
}
