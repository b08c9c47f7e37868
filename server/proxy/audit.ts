import type { Store } from "../../db/store";
import { auditWriter } from "../audit/writer";
import { INFERENCE_EVENT } from "../audit/types";
import { log } from "../ops/log";
import type { LlmView } from "../llms/schemas";
import { costTotal, gatewayOverhead, requestDuration, requestsTotal, tokensTotal, unpricedCalls, upstreamTtft } from "../ops/metrics";
import { NO_COST, priceCall } from "../spend/prices";
import { NAME_PATTERN } from "../validation";
import { noteUnauthenticated } from "./unauthenticated";
import { releaseUserSlot } from "./user-concurrency";
import type { TokenUsage } from "./usage";
import type { Admission } from "../limits/meter";
import type { ApiName } from "./apis/types";

let inFlight = 0;

/** Calls that reached the proxy and are not audited yet (shutdown waits for them). */
export function inFlightInferenceCalls(): number {
  return inFlight;
}

/** Everything known about one inference call, filled in as the pipeline goes. */
export interface InferenceRecord {
  store: Store;
  requestId: string;
  startedAt: number;
  llm: string | null;
  provider: string | null;
  model: string | null;
  /** The Llm that served the call (its provider, model and pricing price it). */
  served: LlmView | null;
  user: string | null;
  tokenSha: string | null;
  streaming: boolean;
  clientIp: string | null;
  /** When the call was handed to the provider adapter. */
  dispatchedAt: number | null;
  firstByteAt: number | null;
  usage: TokenUsage | null;
  error: string | null;
  upstreamRequestId: string | null;
  /** The user whose concurrency slot this call holds until it is audited. */
  slotUser: string | null;
  /** A call to a route: the target that answered (or the last one tried), and how many were tried. */
  servedBy: string | null;
  attempts: number | null;
  /** Which API the client spoke (chat, messages, count_tokens, responses, embeddings). */
  api: ApiName;
  /** The client's session id (a coding agent's), when it sent one. */
  sessionId: string | null;
  /** What the call reserved under limits, settled to its usage when it is audited. */
  admission: Admission | null;
}

export function newInferenceRecord(store: Store, requestId: string, api: ApiName, llm: string | null, clientIp: string | null): InferenceRecord {
  inFlight += 1;
  return {
    store,
    requestId,
    startedAt: performance.now(),
    llm,
    provider: null,
    model: null,
    served: null,
    user: null,
    tokenSha: null,
    streaming: false,
    clientIp,
    dispatchedAt: null,
    firstByteAt: null,
    usage: null,
    error: null,
    upstreamRequestId: null,
    slotUser: null,
    admission: null,
    servedBy: null,
    attempts: null,
    api,
    sessionId: null,
  };
}

/**
 * Exactly one row per request that reached the proxy, plus its metrics and one log line. Done on
 * the next turn of the event loop, after the response (or its last chunk) has gone to the socket,
 * so none of it sits between the provider's answer and the client; rows are written in batches.
 */
export function auditInference(record: InferenceRecord, status: number): void {
  setImmediate(recordCall, record, status);
}

function recordCall(record: InferenceRecord, status: number): void {
  inFlight -= 1;
  if (record.slotUser !== null) releaseUserSlot(record.slotUser);
  const now = performance.now();
  // What the caller named goes into a metric label only when it is an existing Llm (found before
  // the provider was set), and into the audit row only when it is a valid name.
  const llm = record.provider === null ? "" : (record.llm ?? "");
  const namedLlm = record.llm !== null && NAME_PATTERN.test(record.llm) ? record.llm : null;
  const durationMs = now - record.startedAt;
  const ttftMs = record.firstByteAt === null ? null : record.firstByteAt - record.startedAt;
  requestsTotal.inc({ llm, status, api: record.api });
  requestDuration.observe({ llm }, durationMs / 1000);
  if (record.dispatchedAt !== null) {
    gatewayOverhead.observe((record.dispatchedAt - record.startedAt) / 1000);
    if (record.firstByteAt !== null) upstreamTtft.observe({ llm }, (record.firstByteAt - record.dispatchedAt) / 1000);
  }
  if (record.usage?.promptTokens) tokensTotal.inc({ llm, kind: "prompt" }, record.usage.promptTokens);
  if (record.usage?.completionTokens) tokensTotal.inc({ llm, kind: "completion" }, record.usage.completionTokens);
  const cost = record.served ? priceCall(record.served, record.usage) : NO_COST;
  if (cost.costUsd !== null) costTotal.inc({ llm }, cost.costUsd);
  else if (record.usage) unpricedCalls.inc({ llm });
  if (record.admission) record.admission.meter.settle(record.admission, record.usage, cost.costUsd);
  // Repeated 401s from one address are counted into one summary row (and no log line) a minute.
  if (status === 401 && !noteUnauthenticated(record.store, record.clientIp, Date.now())) return;
  log.info({
    msg: "inference",
    requestId: record.requestId,
    llm: namedLlm,
    provider: record.provider,
    user: record.user,
    status,
    api: record.api,
    streaming: record.streaming,
    durationMs: Math.round(durationMs),
    ttftMs: ttftMs === null ? null : Math.round(ttftMs),
    totalTokens: record.usage?.totalTokens ?? null,
    costUsd: cost.costUsd,
    error: record.error,
  });
  auditWriter(record.store).enqueue({
    ts: Date.now(),
    event: INFERENCE_EVENT,
    requestId: record.requestId,
    llm: namedLlm,
    provider: record.provider,
    model: record.model,
    user: record.user,
    tokenSha: record.tokenSha,
    streaming: record.streaming,
    status,
    durationMs: Math.round(durationMs),
    ttftMs: ttftMs === null ? null : Math.round(ttftMs),
    promptTokens: record.usage?.promptTokens ?? null,
    completionTokens: record.usage?.completionTokens ?? null,
    totalTokens: record.usage?.totalTokens ?? null,
    cacheReadTokens: record.usage?.cacheReadTokens ?? null,
    cacheWriteTokens: record.usage?.cacheWriteTokens ?? null,
    reasoningTokens: record.usage?.reasoningTokens ?? null,
    costUsd: cost.costUsd,
    priceSource: cost.priceSource,
    error: record.error,
    clientIp: record.clientIp,
    upstreamRequestId: record.upstreamRequestId,
    servedBy: record.servedBy,
    attempts: record.attempts,
    api: record.api,
    sessionId: record.sessionId,
  });
}
