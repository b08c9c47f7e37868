import { beginsAnthropicAnswer } from "./anthropic-wire";
import { beginsAnswer } from "./openai-wire";
import { FrameSplitter, frameDataText, frameEndAfter } from "./sse-frames";
import type { ChunkSink, StreamBody } from "./types";

/** An upstream error frame seen before the answer began. */
export interface HeldError {
  message: string;
  type: string | null;
  code: string | null;
}

export type HeldStream =
  /** The answer began (or the stream ended cleanly without one): `body` sends what was held, then the rest. */
  | { kind: "released"; body: StreamBody }
  /** The stream ended with an error before the answer began; nothing was sent. */
  | { kind: "failed"; error: HeldError };

/**
 * Runs a stream into a holding sink until the answer begins (content, reasoning, a tool call, a
 * finish reason; in a native stream, the first content block or output item), so an attempt that fails
 * first never shows the client a 200 or a role chunk and the call can go to another target. Only the opening frames are parsed; after the release
 * chunks pass straight through.
 */
export function holdOpening(stream: StreamBody): Promise<HeldStream> {
  return new Promise((resolve, reject) => {
    const held: Uint8Array[] = [];
    const splitter = new FrameSplitter();
    let released = false;
    let error: HeldError | null = null;
    let target: ChunkSink | null = null;
    let attached: () => void = () => {};
    const attachedPromise = new Promise<void>((wake) => (attached = wake));

    const holding: ChunkSink = {
      write(chunk) {
        if (target) return target.write(chunk);
        held.push(chunk);
        if (!released && opensAnswer(splitter, chunk, (found) => (error ??= found))) {
          released = true;
          resolve({ kind: "released", body });
        }
        // Once released, the producer waits for the client's sink.
        return !released;
      },
      drain: () => (target ? target.drain() : released ? attachedPromise : Promise.resolve()),
    };

    let finished: Promise<void>;
    const body: StreamBody = async (sink) => {
      for (const chunk of held.splice(0)) sink.write(chunk);
      target = sink;
      attached();
      await finished;
    };
    finished = stream(holding).then(
      () => {
        if (released) return;
        released = true;
        resolve(error ? { kind: "failed", error } : { kind: "released", body });
      },
      (failure: unknown) => {
        if (released) throw failure;
        reject(failure);
      },
    );
  });
}

/**
 * Looks at the complete frames `chunk` finishes, one at a time, and stops at the first that begins
 * the answer (or is `[DONE]`): only the opening frames of a stream are ever decoded.
 */
function opensAnswer(splitter: FrameSplitter, chunk: Uint8Array, onError: (error: HeldError) => void): boolean {
  const frames = splitter.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  if (!frames) return false;
  let start = 0;
  while (start < frames.length) {
    const end = frameEndAfter(frames, start);
    if (inspectFrame(frames.toString("utf8", start, end), onError)) return true;
    start = end;
  }
  return false;
}

/** True when an SSE frame begins the answer; an error frame is reported and keeps the stream held. */
function inspectFrame(frame: string, onError: (error: HeldError) => void): boolean {
  const data = frameDataText(frame);
  if (data === "") return false;
  if (data === "[DONE]") return true;
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    // Not JSON: nothing a client could read as an answer; keep holding.
    return false;
  }
  const event = parsed as { type?: unknown; error?: unknown; message?: unknown; code?: unknown; response?: { error?: unknown } };
  // An error: OpenAI's and Anthropic's error objects, a Responses `error` event, a failed response.
  const upstreamError = event.type === "response.failed" ? event.response?.error : event.type === "error" && event.error === undefined ? event : event.error;
  if (upstreamError !== undefined && upstreamError !== null) {
    const { message, type, code } = upstreamError as { message?: unknown; type?: unknown; code?: unknown };
    onError({
      message: typeof message === "string" ? message : "Upstream stream error",
      type: typeof type === "string" && type !== "error" ? type : null,
      code: typeof code === "string" ? code : null,
    });
    return false;
  }
  // A native stream (Anthropic's or OpenAI Responses' events) names each event's kind; a chunk does not.
  if (typeof event.type === "string") return event.type.startsWith("response.") ? beginsResponsesAnswer(event.type) : beginsAnthropicAnswer(event.type);
  return beginsAnswer(parsed);
}

/** Responses events before the first output item (`response.created`, `response.in_progress`, `response.queued`) do not begin the answer. */
function beginsResponsesAnswer(type: string): boolean {
  return type !== "response.created" && type !== "response.in_progress" && type !== "response.queued";
}
