import { enqueueAuditRow } from "../audit/writer";
import { INFERENCE_EVENT } from "../audit/types";
import type { TokenUsage } from "./usage";

/** Everything known about one inference call, filled in as the pipeline goes. */
export interface InferenceRecord {
  requestId: string;
  startedAt: number;
  llm: string | null;
  provider: string | null;
  model: string | null;
  user: string | null;
  tokenSha: string | null;
  streaming: boolean;
  clientIp: string | null;
  firstByteAt: number | null;
  usage: TokenUsage | null;
  error: string | null;
  upstreamRequestId: string | null;
}

export function newInferenceRecord(requestId: string, llm: string | null, clientIp: string | null): InferenceRecord {
  return {
    requestId,
    startedAt: performance.now(),
    llm,
    provider: null,
    model: null,
    user: null,
    tokenSha: null,
    streaming: false,
    clientIp,
    firstByteAt: null,
    usage: null,
    error: null,
    upstreamRequestId: null,
  };
}

/** Exactly one row per request that reached the proxy; batched, never blocking the response. */
export function auditInference(record: InferenceRecord, status: number): void {
  const now = performance.now();
  enqueueAuditRow({
    ts: Date.now(),
    event: INFERENCE_EVENT,
    requestId: record.requestId,
    llm: record.llm,
    provider: record.provider,
    model: record.model,
    user: record.user,
    tokenSha: record.tokenSha,
    streaming: record.streaming,
    status,
    durationMs: Math.round(now - record.startedAt),
    ttftMs: record.firstByteAt === null ? null : Math.round(record.firstByteAt - record.startedAt),
    promptTokens: record.usage?.promptTokens ?? null,
    completionTokens: record.usage?.completionTokens ?? null,
    totalTokens: record.usage?.totalTokens ?? null,
    error: record.error,
    clientIp: record.clientIp,
    upstreamRequestId: record.upstreamRequestId,
  });
}
