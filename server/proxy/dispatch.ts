import type { Store } from "../../db/store";
import type { Principal } from "../auth/principal";
import { getConfig } from "../config";
import { AppError, isAppError } from "../errors";
import { admitTargetCall, LimitRefusal, type Admission } from "../limits/meter";
import { DEFAULT_URLS, type LlmView } from "../llms/schemas";
import { log } from "../ops/log";
import { routeAttempts } from "../ops/metrics";
import { pickTarget, targetState, type Candidate, type TargetState } from "../routing/targets";
import { cachedSecretValue, resolveSecretValue } from "../secrets/resolve";
import { priceCall } from "../spend/prices";
import type { InferenceRecord } from "./audit";
import { CallControl } from "./call-control";
import { holdOpening, type HeldError } from "./hold";
import { PROVIDER_ADAPTERS } from "./providers/registry";
import { isRetryableError } from "./providers/transport";
import { newAttemptOutcome, type AttemptOutcome, type UpstreamResult } from "./providers/types";
import type { ApiName, ApiRequest } from "./apis/types";

/** One call as the dispatcher sees it. */
export interface CallRequest {
  store: Store;
  requestId: string;
  /** Aborts when the client goes away. */
  signal: AbortSignal;
  record: InferenceRecord;
  principal: Principal;
  /** The request in the API the client spoke. */
  input: ApiRequest;
  catalog: Map<string, LlmView>;
  /** The client's session id, when it sent one (a route with session affinity uses it). */
  sessionId: string | null;
}

/** The attempt whose answer goes to the client. */
export interface Served {
  result: UpstreamResult;
  /** The API the answer is in: the client's own (a provider that speaks it), or `chat`. */
  wire: ApiName;
  outcome: AttemptOutcome;
  /** The attempt's cancellation while its stream runs (null for a complete answer, already disposed). */
  control: CallControl | null;
  /** Called once when the answer has ended: `failed` when a stream broke after it began. */
  end: (failed: string | null) => void;
}

/** Calls an Llm: straight to its provider, or through a route's targets. */
export function dispatch(call: CallRequest, llm: LlmView): Promise<Served> {
  return llm.routing ? dispatchRoute(call, llm, llm.routing) : dispatchDirect(call, llm);
}

async function dispatchDirect(call: CallRequest, llm: LlmView): Promise<Served> {
  const attempt = await runAttempt(call, llm);
  if (!attempt.ok) {
    absorbOutcome(call.record, attempt.outcome);
    throw attempt.error;
  }
  return { result: attempt.result, wire: attempt.wire, outcome: attempt.outcome, control: attempt.control, end: () => {} };
}

type Attempt =
  | { ok: true; result: UpstreamResult; wire: ApiName; outcome: AttemptOutcome; control: CallControl | null }
  | { ok: false; error: unknown; outcome: AttemptOutcome };

/** One call to one Llm's provider, with its own key, cancellation and outcome. Never throws. */
async function runAttempt(call: CallRequest, llm: LlmView): Promise<Attempt> {
  const outcome = newAttemptOutcome();
  let control: CallControl | null = null;
  try {
    if (llm.provider === "route") throw new AppError("internal", `llm '${llm.name}' is a route and has no provider of its own`);
    const { input } = call;
    const adapter = PROVIDER_ADAPTERS[llm.provider];
    const native = input.api === "chat" ? undefined : adapter.native?.[input.api];
    // Answered by the gateway itself (a token count for a provider without one).
    if (!native && input.local) return { ok: true, result: input.local(llm), wire: input.api, outcome, control: null };
    if (!native && !input.toChat) throw unservedApi(llm, input.api);
    const chat = native ? null : input.toChat!(llm.provider);
    const apiKey = await resolveApiKey(call.store, llm);
    control = new CallControl(call.signal, llm.timeoutMs ?? getConfig().upstreamTimeoutMs);
    const common = {
      requestId: call.requestId,
      llm,
      baseUrl: llm.effectiveUrl ?? DEFAULT_URLS[llm.provider] ?? "",
      apiKey,
      stream: input.stream,
      control,
      outcome,
    };
    const result = chat
      ? await adapter.call({ ...common, request: chat, clientWantsUsage: input.wantsUsage })
      : await native!({ ...common, body: input.body, forwardHeaders: input.forwardHeaders });
    if (result.kind === "complete") control.dispose();
    return { ok: true, result, wire: chat ? "chat" : input.api, outcome, control };
  } catch (error) {
    control?.dispose();
    return { ok: false, error, outcome };
  }
}

/**
 * Why `llm` cannot answer this call (null: it can, natively, by the gateway itself, or as Chat
 * Completions). A route skips such targets; a direct call fails with it.
 */
function unservable(llm: LlmView, input: ApiRequest): AppError | null {
  if (llm.provider === "route" || input.local) return null;
  if (input.api !== "chat" && PROVIDER_ADAPTERS[llm.provider].native?.[input.api]) return null;
  if (!input.toChat) return unservedApi(llm, input.api);
  try {
    input.toChat(llm.provider);
    return null;
  } catch (error) {
    if (isAppError(error)) return error;
    throw error;
  }
}

function unservedApi(llm: LlmView, api: ApiName): AppError {
  return new AppError("invalid_request", `llm '${llm.name}' (provider ${llm.provider}) does not serve the ${api} API`, { retryable: false });
}

async function resolveApiKey(store: Store, llm: LlmView): Promise<string | null> {
  if (!llm.apiKeyRef) return null;
  try {
    return cachedSecretValue(store, llm.apiKeyRef, llm.keyOrigin) ?? (await resolveSecretValue(store, llm.apiKeyRef, llm.keyOrigin));
  } catch (error) {
    // Backend messages name secrets and keys, never values.
    const reason = error instanceof Error ? error.message : "unknown error";
    throw new AppError("internal", `Could not resolve the API key for llm '${llm.name}': ${reason}`, { retryable: false });
  }
}

export function absorbOutcome(record: InferenceRecord, outcome: AttemptOutcome): void {
  if (outcome.usage) record.usage = outcome.usage;
  if (outcome.model) record.model = outcome.model;
  if (outcome.upstreamRequestId) record.upstreamRequestId = outcome.upstreamRequestId;
  if (outcome.error) record.error = outcome.error;
}

/** How a failed attempt ended, for the next decision and the client if it was the last. */
interface Failure {
  /** What the client gets if no other target answers. */
  answer: { kind: "result"; result: UpstreamResult } | { kind: "error"; error: unknown };
  message: string;
  retryable: boolean;
  /** How long the provider asked to be left alone (ms), if it said. */
  retryAfterMs: number | null;
  /** A 429: with `retryAfterMs` the target cools down at once. */
  rateLimited: boolean;
}

/**
 * A route: tries targets (lowest group first, by weight, skipping those cooling down or over their
 * own limits) until one answers, at most `maxAttempts` times, and only while nothing has reached
 * the client. A stream is held until its answer begins, so a target that fails first is invisible.
 */
async function dispatchRoute(call: CallRequest, route: LlmView, routing: NonNullable<LlmView["routing"]>): Promise<Served> {
  const { record, store } = call;
  const tried = new Set<string>();
  const affinityKey = routing.affinity === "session" && call.sessionId ? `${call.principal.userName}\u0000${call.sessionId}` : null;
  let refusal: LimitRefusal | null = null;
  /** Why a target could not take this call at all (a request in an API only some targets speak). */
  let unserved: AppError | null = null;
  let last: Failure | null = null;
  record.attempts = 0;
  while (record.attempts < routing.maxAttempts && !call.signal.aborted) {
    const candidates = untried(call, route, tried, (problem) => (unserved ??= problem));
    const chosen = await admitFirst(call, candidates, affinityKey, (error) => (refusal = error), tried);
    if (!chosen) break;
    const { candidate, target, admission } = chosen;
    tried.add(target.name);
    record.attempts += 1;
    record.servedBy = target.name;
    record.served = target;
    record.provider = target.provider;
    record.model = target.model;
    record.usage = null;
    record.error = null;
    const state = candidate.state;
    if (state.status(Date.now()) === "probe") state.probing = true;
    state.inFlight += 1;
    const attempt = await runAttempt(call, target);
    const served = attempt.ok ? await serveOrFail(attempt) : null;
    if (served && served.kind === "served") {
      return {
        ...served.served,
        end: (failed) => {
          state.inFlight -= 1;
          if (failed && !call.signal.aborted)
            noteFailure(call, route, target, state, routing, { message: failed, retryAfterMs: null, rateLimited: false }, false);
          else {
            state.succeeded();
            routeAttempts.inc({ route: route.name, target: target.name, outcome: "served" });
          }
          settleTarget(admission, target, served.served.outcome);
        },
      };
    }
    state.inFlight -= 1;
    settleTarget(admission, target, attempt.outcome);
    absorbOutcome(record, attempt.outcome);
    const failure = served ? served.failure : failureOf((attempt as Extract<Attempt, { ok: false }>).error);
    last = failure;
    if (call.signal.aborted) {
      // The client left first: this says nothing of the target, and a probe it made is owed to the next call.
      state.probing = false;
      break;
    }
    if (!failure.retryable) {
      // The request's own fault: the target answered, and no other would do better.
      state.succeeded();
      break;
    }
    noteFailure(call, route, target, state, routing, failure, record.attempts < routing.maxAttempts && untried(call, route, tried).length > 0);
  }
  if (last) return answerWith(last);
  if (refusal) throw refusal;
  if (unserved) throw unserved;
  throw allCooling(store, route, routing);
}

/** The targets not tried yet in this call that may be tried now: available, or due their probe. */
function untried(call: CallRequest, route: LlmView, tried: Set<string>, onUnservable: (problem: AppError) => void = () => {}): Candidate[] {
  const now = Date.now();
  const candidates: Candidate[] = [];
  for (const target of route.routing?.targets ?? []) {
    const view = call.catalog.get(target.llm);
    if (tried.has(target.llm) || !view) continue;
    const problem = unservable(view, call.input);
    if (problem) {
      onUnservable(problem);
      continue;
    }
    const state = targetState(call.store, route.name, target.llm);
    const status = state.status(now);
    if (status === "available" || status === "probe") candidates.push({ ...target, state });
  }
  return candidates;
}

/** The first target (in selection order) whose own limits admit the call; refused ones are skipped like cooling ones. */
async function admitFirst(
  call: CallRequest,
  candidates: Candidate[],
  affinityKey: string | null,
  onRefusal: (refusal: LimitRefusal) => void,
  tried: Set<string>,
): Promise<{ candidate: Candidate; target: LlmView; admission: Admission | null } | null> {
  const open = [...candidates];
  for (let candidate = pickTarget(open, affinityKey); candidate; candidate = pickTarget(open, affinityKey)) {
    const target = call.catalog.get(candidate.llm)!;
    try {
      const admitted = admitTargetCall(call.store, call.principal, target, call.input.estimate);
      return { candidate, target, admission: admitted instanceof Promise ? await admitted : admitted };
    } catch (error) {
      if (!(error instanceof LimitRefusal)) throw error;
      onRefusal(error);
      tried.add(candidate.llm);
      open.splice(open.indexOf(candidate), 1);
    }
  }
  return null;
}

/** A complete answer, or a stream held until its answer began: served, or a failure to weigh. */
async function serveOrFail(
  attempt: Extract<Attempt, { ok: true }>,
): Promise<{ kind: "served"; served: Omit<Served, "end"> } | { kind: "failed"; failure: Failure }> {
  const { result, outcome, control } = attempt;
  if (result.kind === "complete") {
    if (!result.failure) return { kind: "served", served: { result, wire: attempt.wire, outcome, control } };
    const { failure } = result;
    return {
      kind: "failed",
      failure: {
        answer: { kind: "result", result },
        message: outcome.error ?? `HTTP ${failure.upstreamStatus}`,
        retryable: failure.retryable,
        retryAfterMs: failure.retryAfterMs,
        rateLimited: failure.upstreamStatus === 429,
      },
    };
  }
  const held = await holdOpening(result.body);
  if (held.kind === "released") return { kind: "served", served: { result: { ...result, body: held.body }, wire: attempt.wire, outcome, control } };
  control?.dispose();
  outcome.error = held.error.message;
  return {
    kind: "failed",
    failure: {
      answer: { kind: "error", error: heldError(held.error) },
      message: held.error.message,
      retryable: held.error.type !== "invalid_request_error",
      retryAfterMs: null,
      rateLimited: false,
    },
  };
}

/** A stream's error before its answer began, as the JSON error the client gets instead of a 200. */
function heldError(error: HeldError): AppError {
  if (error.type === "timeout_error") return new AppError("upstream_timeout", error.message);
  if (error.type === "invalid_request_error") return new AppError("invalid_request", error.message, { detailCode: error.code });
  return new AppError("upstream_unreachable", error.message, { detailCode: error.code });
}

function failureOf(error: unknown): Failure {
  const known = isAppError(error);
  return {
    answer: { kind: "error", error },
    message: known ? error.message : "internal error",
    retryable: known && isRetryableError(error),
    retryAfterMs: null,
    rateLimited: false,
  };
}

function answerWith(failure: Failure): never | Promise<Served> {
  if (failure.answer.kind === "error") throw failure.answer.error;
  const { result } = failure.answer;
  // Error answers are OpenAI-shaped whatever the API; the client's API re-shapes them.
  return Promise.resolve({ result, wire: "chat", outcome: newAttemptOutcome(), control: null, end: () => {} });
}

function noteFailure(
  call: CallRequest,
  route: LlmView,
  target: LlmView,
  state: TargetState,
  routing: NonNullable<LlmView["routing"]>,
  failure: Pick<Failure, "message" | "retryAfterMs" | "rateLimited">,
  willRetry: boolean,
): void {
  const now = Date.now();
  const { message } = failure;
  state.failed(routing, message, failure, now);
  routeAttempts.inc({ route: route.name, target: target.name, outcome: "failed" });
  log.warn({
    msg: "route attempt failed",
    requestId: call.requestId,
    route: route.name,
    target: target.name,
    attempt: call.record.attempts,
    error: message,
    coolingUntil: state.coolUntil > now ? new Date(state.coolUntil).toISOString() : null,
    willRetry,
  });
}

function settleTarget(admission: Admission | null, target: LlmView, outcome: AttemptOutcome): void {
  if (admission) admission.meter.settle(admission, outcome.usage, priceCall(target, outcome.usage).costUsd);
}

/** Nothing to try: every target cools down (or is probed by another call). Retry-After: the earliest recovery. */
function allCooling(store: Store, route: LlmView, routing: NonNullable<LlmView["routing"]>): AppError {
  const now = Date.now();
  const recoveries = routing.targets.map((target) => targetState(store, route.name, target.llm).coolUntil).filter((until) => until > now);
  const earliest = recoveries.length > 0 ? Math.min(...recoveries) : now + 1000;
  return new AppError("no_target_available", `Every target of route '${route.name}' is cooling down after failures; try again later`, {
    retryAfterSeconds: Math.max(1, Math.ceil((earliest - now) / 1000)),
  });
}
