import type { LlmView } from "../../llms/schemas";
import type { ApiName } from "../apis/types";
import type { CallControl } from "../call-control";
import type { ChatRequest } from "../request-body";
import type { StreamBody } from "../types";
import type { TokenUsage } from "../usage";

/** What one attempt learned, for the audit row; filled in by the adapter as the answer passes. */
export interface AttemptOutcome {
  usage: TokenUsage | null;
  model: string | null;
  upstreamRequestId: string | null;
  /** Set when the answer failed after the status was sent (a stream's error frame). */
  error: string | null;
  /** The client went away before the answer was complete (audited as 499). */
  clientLeft: boolean;
}

export function newAttemptOutcome(): AttemptOutcome {
  return { usage: null, model: null, upstreamRequestId: null, error: null, clientLeft: false };
}

/** What every call to a provider carries, whichever API it speaks. */
export interface ProviderCall {
  /** The gateway's id for this call (logs only). */
  requestId: string;
  llm: LlmView;
  baseUrl: string;
  apiKey: string | null;
  stream: boolean;
  control: CallControl;
  outcome: AttemptOutcome;
}

/** A call in Chat Completions form (every adapter takes these). */
export interface UpstreamCall extends ProviderCall {
  request: ChatRequest;
  /** The client asked for `stream_options.include_usage`. */
  clientWantsUsage: boolean;
}

/** A call in the client's own API, to a provider that speaks it: the body goes as sent with `model` set. */
export interface NativeCall extends ProviderCall {
  body: Record<string, unknown>;
  /** The client headers this API forwards (Anthropic's version and beta flags). */
  forwardHeaders: Record<string, string>;
}

/** How an attempt failed, for whoever decides whether another target should try. */
export interface AttemptFailure {
  /** The provider's own status. */
  upstreamStatus: number;
  /** Another target may serve it (see transport.isRetryableStatus). */
  retryable: boolean;
  /** How long the provider asked to be left alone, if it said. */
  retryAfterMs: number | null;
}

/** A complete answer or error (`body` bytes; `failure` when the provider refused), or a 200 stream whose chunks are written as they come. */
export type UpstreamResult =
  | { kind: "complete"; status: number; headers: Record<string, string>; body: Uint8Array; failure?: AttemptFailure }
  | { kind: "stream"; headers: Record<string, string>; body: StreamBody };

export interface ProviderAdapter {
  call(call: UpstreamCall): Promise<UpstreamResult>;
  /** The APIs other than Chat Completions this provider speaks: their answers come back in that API, untouched. */
  native?: Partial<Record<Exclude<ApiName, "chat">, (call: NativeCall) => Promise<UpstreamResult>>>;
}
