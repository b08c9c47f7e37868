import { randomUUID } from "node:crypto";
import { getLlmCatalog } from "../llms/catalog";
import { authenticate, CSRF_HEADER, passesCsrfCheck } from "../auth/authenticate";
import { getConfig } from "../config";
import { AppError, isAppError, UnauthenticatedError, ValidationError } from "../errors";
import type { LlmView } from "../llms/schemas";
import type { Principal } from "../auth/principal";
import { log } from "../ops/log";
import { isJsonContentType } from "../validation";
import { activeStreams } from "../ops/metrics";
import { ByteStream } from "./byte-stream";
import { auditInference, newInferenceRecord, type InferenceRecord } from "./audit";
import { absorbOutcome, dispatch, type Served } from "./dispatch";
import { readBody } from "./request-body";
import { API_FRONTS } from "./apis/registry";
import type { ApiFront } from "./apis/types";
import { runnableLlm } from "./models";
import { takeUserSlot } from "./user-concurrency";
import { admitCall } from "../limits/meter";
import { header, type ChunkSink, type ProxyRequest, type ProxyResponse, type StreamBody } from "./types";

export const CLIENT_CLOSED_STATUS = 499;

/** The inference pipeline, whichever API the client speaks: authenticate, authorize, validate, admit, call, audit. */
export async function handleInference(request: ProxyRequest): Promise<ProxyResponse> {
  const requestId = randomUUID();
  const front = API_FRONTS[request.api];
  const record = newInferenceRecord(request.store, requestId, request.api, request.llmName, request.clientIp);
  record.sessionId = sessionIdOf(request);
  const baseHeaders: Record<string, string> = { "x-request-id": requestId };
  try {
    const principal = await authenticateCaller(request, record, front);
    const catalog = await getLlmCatalog(request.store);
    // On the paths that name the Llm, 401/403/404 come before anything about the body.
    let llm = request.llmName === null ? null : findRunnableLlm(catalog, principal, request.llmName, record);
    if (!isJsonContentType(header(request.headers, "content-type"))) {
      throw new AppError("unsupported_media_type", "Content-Type must be application/json");
    }
    const body = await readBody(request.body, getConfig().maxBodyBytes, header(request.headers, "content-length"));
    const input = front.parse(body, request.headers);
    record.streaming = input.stream;
    if (!llm) {
      record.llm = llmNameFromBody(input.model);
      llm = findRunnableLlm(catalog, principal, record.llm, record);
    }
    takeUserSlot(principal.userName);
    record.slotUser = principal.userName;
    const admitted = admitCall(request.store, principal, llm, input.estimate, catalog);
    record.admission = admitted instanceof Promise ? await admitted : admitted;
    if (record.admission) Object.assign(baseHeaders, record.admission.headers);
    record.dispatchedAt = performance.now();
    const served = await dispatch(
      { store: request.store, requestId, signal: request.signal, record, principal, input, catalog, sessionId: record.sessionId },
      llm,
    );
    const result = front.present(served.result, served.wire, input, requestId, served.outcome);
    if (result.kind === "complete") {
      absorbOutcome(record, served.outcome);
      served.end(null);
      record.firstByteAt = performance.now();
      auditInference(record, request.signal.aborted ? CLIENT_CLOSED_STATUS : result.status);
      return { status: result.status, headers: { ...result.headers, ...baseHeaders }, body: result.body };
    }
    const stream = result.body;
    return { status: 200, headers: { ...result.headers, ...baseHeaders }, body: new ByteStream((sink) => relay(stream, sink, record, served)) };
  } catch (error) {
    const response = front.errorResponse(error, requestId, baseHeaders);
    // A client that went away is told by the 499; what the abort did to the call is no error of its own.
    const clientLeft = request.signal.aborted;
    record.error = clientLeft ? null : (record.error ?? (isAppError(error) ? error.message : "internal error"));
    auditInference(record, clientLeft ? CLIENT_CLOSED_STATUS : response.status);
    if (!isAppError(error)) log.error({ msg: "inference failed", requestId, error: error instanceof Error ? error.message : String(error) });
    return response;
  }
}

/** A gateway token as a bearer token, or (for Anthropic's clients) in `x-api-key`; or a console session. */
async function authenticateCaller(request: ProxyRequest, record: InferenceRecord, front: ApiFront): Promise<Principal> {
  const apiKey = front.apiKeyHeader ? header(request.headers, "x-api-key") : null;
  const authorization = header(request.headers, "authorization") ?? (apiKey ? `Bearer ${apiKey}` : null);
  const auth = await authenticate(request.store, { authorization, cookie: header(request.headers, "cookie") });
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

/** The client's session id: Claude Code's header, the Codex CLI's, else a generic one. */
function sessionIdOf(request: ProxyRequest): string | null {
  const id =
    header(request.headers, "x-claude-code-session-id") ??
    header(request.headers, "session-id") ??
    header(request.headers, "session_id") ??
    header(request.headers, "x-session-id");
  return id && id.length <= 200 ? id : null;
}

/** Passes chunks on as they come, notes the first one, and audits once when the stream ends or the client leaves. */
async function relay(stream: StreamBody, sink: ChunkSink, record: InferenceRecord, served: Served): Promise<void> {
  const { control, outcome } = served;
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
    if (control?.clientGone) outcome.clientLeft = true;
    else {
      outcome.error ??= "internal error while streaming";
      log.error({ msg: "stream failed", requestId: record.requestId, error: error instanceof Error ? error.message : String(error) });
    }
  } finally {
    activeStreams.dec();
    control?.dispose();
    absorbOutcome(record, outcome);
    served.end(outcome.clientLeft ? null : outcome.error);
    // A client that closes right after the last frame got the whole answer: only a cut stream is 499.
    auditInference(record, outcome.clientLeft ? CLIENT_CLOSED_STATUS : 200);
  }
}
