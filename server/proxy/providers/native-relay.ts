import { forEachChunk, type UpstreamResponse } from "../http-client";
import { FrameSplitter, frameDataText, frameEndAfter } from "../sse-frames";
import type { ChunkSink } from "../types";
import { isRecord } from "./anthropic/json";
import { scrubBytes } from "./scrub";
import { failedUpstream } from "./transport";
import type { ProviderCall } from "./types";

// A provider's own SSE stream passed to a client of the same API (Anthropic Messages, OpenAI
// Responses): frames are copied as they complete (an echoed key scrubbed); only the few events that
// say something about the whole answer are decoded.

const encoder = new TextEncoder();

/** An event's name (its `event:` line, or the data's leading `type`) is near the start of its frame. */
const HINT_SPAN = 64;

export interface EventTap {
  /** Strings that, near the start of a frame, mark an event worth decoding (usage, the end, an error). */
  hints: Buffer[];
  onEvent(event: Record<string, unknown>): void;
  /** The answer reached its final event. */
  ended(): boolean;
  /** The event that tells the client the stream broke, in this API's wire format. */
  errorEvent(type: "timeout" | "broken", message: string): string;
}

const ENDED_EARLY = "Upstream stream ended before its final event";

export async function relayNativeStream(upstream: UpstreamResponse, call: ProviderCall, sink: ChunkSink, tap: EventTap): Promise<void> {
  const splitter = new FrameSplitter();
  try {
    await forEachChunk(upstream.body, (raw) => {
      const frames = splitter.push(raw);
      if (!frames) return;
      tapFrames(frames, tap);
      if (!sink.write(scrubBytes(frames, call.apiKey))) return sink.drain();
    });
    const rest = splitter.rest();
    if (rest) {
      tapFrames(rest, tap);
      sink.write(scrubBytes(rest, call.apiKey));
    }
    if (!tap.ended() && call.outcome.error === null) {
      call.outcome.error = ENDED_EARLY;
      sink.write(encoder.encode(tap.errorEvent("broken", ENDED_EARLY)));
    }
  } catch (error) {
    if (call.control.clientGone) {
      call.outcome.clientLeft = !tap.ended();
      return;
    }
    if (tap.ended() || call.outcome.error !== null) return;
    const failure = failedUpstream(call, error, "answer");
    call.outcome.error = failure.message;
    sink.write(encoder.encode(tap.errorEvent(failure.code === "upstream_timeout" ? "timeout" : "broken", failure.message)));
  }
}

function tapFrames(frames: Buffer, tap: EventTap): void {
  for (let start = 0; start < frames.length; ) {
    const end = frameEndAfter(frames, start);
    const head = frames.subarray(start, Math.min(end, start + HINT_SPAN));
    if (tap.hints.some((hint) => head.includes(hint))) {
      const event = frameData(frames.toString("utf8", start, end));
      if (event) tap.onEvent(event);
    }
    start = end;
  }
}

/** The JSON object an SSE frame's `data:` lines carry, or null. */
function frameData(frame: string): Record<string, unknown> | null {
  try {
    const parsed: unknown = JSON.parse(frameDataText(frame));
    return isRecord(parsed) ? parsed : null;
  } catch {
    return null;
  }
}
