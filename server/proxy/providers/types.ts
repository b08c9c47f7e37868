import type { LlmView } from "../../llms/schemas";
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

export interface UpstreamCall {
  /** The gateway's id for this call (logs only). */
  requestId: string;
  llm: LlmView;
  baseUrl: string;
  apiKey: string | null;
  request: ChatRequest;
  stream: boolean;
  /** The client asked for `stream_options.include_usage`. */
  clientWantsUsage: boolean;
  control: CallControl;
  outcome: AttemptOutcome;
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
}
