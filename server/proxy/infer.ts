import { randomUUID } from "node:crypto";
import type { Store } from "../../db/store";
import { getLlmCatalog } from "../llms/catalog";
import { authenticate, CSRF_HEADER, passesCsrfCheck } from "../auth/authenticate";
import { getConfig } from "../config";
import { AppError, isAppError, UnauthenticatedError, ValidationError } from "../errors";
import { DEFAULT_URLS, type LlmView } from "../llms/schemas";
import type { Principal } from "../auth/principal";
import { cachedSecretValue, resolveSecretValue } from "../secrets/resolve";
import { log } from "../ops/log";
import { isJsonContentType } from "../validation";
import { activeStreams } from "../ops/metrics";
import { ByteStream } from "./byte-stream";
import { auditInference, newInferenceRecord, type InferenceRecord } from "./audit";
import { CallControl } from "./call-control";
import { PROVIDER_ADAPTERS } from "./providers/registry";
import type { CallTap, UpstreamResult } from "./providers/types";
import { parseChatRequest, readBody } from "./request-body";
import { runnableLlm } from "./models";
import { takeUserSlot } from "./user-concurrency";
import { admitCall } from "../limits/meter";
import { errorResponse } from "./respond";
import { header, type ChunkSink, type ProxyRequest, type ProxyResponse, type StreamBody } from "./types";

export const CLIENT_CLOSED_STATUS = 499;

/** The inference pipeline: authenticate, authorize, validate, resolve the key, call, audit. */
export async function handleInference(request: ProxyRequest): Promise<ProxyResponse> {
  const requestId = randomUUID();
  const record = newInferenceRecord(request.store, requestId, request.llmName, request.clientIp);
  const baseHeaders: Record<string, string> = { "x-request-id": requestId };
  try {
    const principal = await authenticateCaller(request, record);
    const catalog = await getLlmCatalog(request.store);
    // On the paths that name the Llm, 401/403/404 come before anything about the body.
    let llm = request.llmName === null ? null : findRunnableLlm(catalog, principal, request.llmName, record);
    if (!isJsonContentType(header(request.headers, "content-type"))) {
      throw new AppError("unsupported_media_type", "Content-Type must be application/json");
    }
    const body = await readBody(request.body, getConfig().maxBodyBytes, header(request.headers, "content-length"));
    const chat = parseChatRequest(body);
    record.streaming = chat.stream === true;
    if (!llm) {
      record.llm = llmNameFromBody(chat.model);
      llm = findRunnableLlm(catalog, principal, record.llm, record);
    }
    takeUserSlot(principal.userName);
    record.slotUser = principal.userName;
    const admitted = admitCall(request.store, principal, llm, chat);
    record.admission = admitted instanceof Promise ? await admitted : admitted;
    if (record.admission) Object.assign(baseHeaders, record.admission.headers);
    const apiKey = await resolveApiKey(request.store, llm);
    const control = new CallControl(request.signal, llm.timeoutMs ?? getConfig().upstreamTimeoutMs);
    const tap: CallTap = { usage: null, model: null, upstreamRequestId: null, error: null, clientLeft: false };
    let result: UpstreamResult;
    record.dispatchedAt = performance.now();
    try {
      result = await PROVIDER_ADAPTERS[llm.provider].call({
        requestId,
        llm,
        baseUrl: llm.effectiveUrl ?? DEFAULT_URLS[llm.provider] ?? "",
        apiKey,
        request: chat,
        stream: record.streaming,
        clientWantsUsage: chat.stream_options?.include_usage === true,
        control,
        tap,
      });
    } catch (error) {
      control.dispose();
      absorbTap(record, tap);
      throw error;
    }
    if (result.kind === "complete") {
      control.dispose();
      absorbTap(record, tap);
      record.firstByteAt = performance.now();
      auditInference(record, control.clientGone ? CLIENT_CLOSED_STATUS : result.status);
      return { status: result.status, headers: { ...result.headers, ...baseHeaders }, body: result.body };
    }
    const stream = result.body;
    return { status: 200, headers: { ...result.headers, ...baseHeaders }, body: new ByteStream((sink) => relay(stream, sink, record, control, tap)) };
  } catch (error) {
    const response = errorResponse(error, requestId, baseHeaders);
    // A client that went away is told by the 499; what the abort did to the call is no error of its own.
    const clientLeft = request.signal.aborted;
    record.error = clientLeft ? null : (record.error ?? (isAppError(error) ? error.message : "internal error"));
    auditInference(record, clientLeft ? CLIENT_CLOSED_STATUS : response.status);
    if (!isAppError(error)) log.error({ msg: "inference failed", requestId, error: error instanceof Error ? error.message : String(error) });
    return response;
  }
}

async function authenticateCaller(request: ProxyRequest, record: InferenceRecord): Promise<Principal> {
  const auth = await authenticate(request.store, { authorization: header(request.headers, "authorization"), cookie: header(request.headers, "cookie") });
  if (!auth.ok) {
    record.tokenSha = auth.tokenSha;
    throw new UnauthenticatedError();
  }
  record.user = auth.principal.userName;
  record.tokenSha = auth.principal.tokenSha;
  if (!passesCsrfCheck(auth.principal, header(request.headers, CSRF_HEADER))) {
    throw new AppError("forbidden", "Cookie-authenticated requests must send the X-Gateway-CSRF: 1 header");
  }
  return auth.principal;
}

function findRunnableLlm(catalog: Map<string, LlmView>, principal: Principal, name: string, record: InferenceRecord): LlmView {
  const llm = runnableLlm(catalog, principal, name);
  record.provider = llm.provider;
  record.model = llm.model;
  record.served = llm;
  return llm;
}

function llmNameFromBody(model: unknown): string {
  if (typeof model !== "string" || model === "") throw new ValidationError("model: must name the llm to call", "model");
  return model;
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

function absorbTap(record: InferenceRecord, tap: CallTap): void {
  if (tap.usage) record.usage = tap.usage;
  if (tap.model) record.model = tap.model;
  if (tap.upstreamRequestId) record.upstreamRequestId = tap.upstreamRequestId;
  if (tap.error) record.error = tap.error;
}

/** Passes chunks on as they come, notes the first one, and audits once when the stream ends or the client leaves. */
async function relay(stream: StreamBody, sink: ChunkSink, record: InferenceRecord, control: CallControl, tap: CallTap): Promise<void> {
  const timed: ChunkSink = {
    write(chunk) {
      record.firstByteAt ??= performance.now();
      return sink.write(chunk);
    },
    drain: () => sink.drain(),
  };
  activeStreams.inc();
  try {
    await stream(timed);
  } catch (error) {
    // Adapters turn upstream failures into an error frame; anything thrown here is unexpected.
    if (control.clientGone) tap.clientLeft = true;
    else {
      tap.error ??= "internal error while streaming";
      log.error({ msg: "stream failed", requestId: record.requestId, error: error instanceof Error ? error.message : String(error) });
    }
  } finally {
    activeStreams.dec();
    control.dispose();
    absorbTap(record, tap);
    // A client that closes right after the last frame got the whole answer: only a cut stream is 499.
    auditInference(record, tap.clientLeft ? CLIENT_CLOSED_STATUS : 200);
  }
}
