import type { LlmView } from "../../llms/schemas";
import type { CallControl } from "../call-control";
import type { ChatRequest } from "../request-body";
import type { StreamBody } from "../types";
import type { TokenUsage } from "../usage";

/** What a call learned, for the audit row; filled in by the adapter as the answer passes. */
export interface CallTap {
  usage: TokenUsage | null;
  model: string | null;
  upstreamRequestId: string | null;
  /** Set when the answer failed after the status was sent (a stream's error frame). */
  error: string | null;
  /** The client went away before the answer was complete (audited as 499). */
  clientLeft: boolean;
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
  tap: CallTap;
}

/** A complete answer or error (`body` bytes), or a 200 stream whose chunks are written as they come. */
export type UpstreamResult =
  | { kind: "complete"; status: number; headers: Record<string, string>; body: Uint8Array }
  | { kind: "stream"; headers: Record<string, string>; body: StreamBody };

export interface ProviderAdapter {
  call(call: UpstreamCall): Promise<UpstreamResult>;
}
