// Byte-level helpers for relaying an OpenAI-compatible SSE stream untouched. Only complete frames
// (ending in a blank line) are forwarded; a frame is decoded only when it carries a usage object,
// and the stream's first one for its model.

import { firstStringField } from "./json-field";

// Needles as bytes, made once: every forwarded chunk is searched with them.
const USAGE_KEY = Buffer.from('"usage"');
const LF_END = Buffer.from("\n\n");
const CRLF_END = Buffer.from("\r\n\r\n");
/** A "frame" that never ends is not held back past this; it is forwarded as it is. */
export const MAX_PARTIAL_FRAME_BYTES = 1024 * 1024;

/** Holds back a partial frame until the rest of it arrives. */
export class FrameSplitter {
  private carry: Buffer | null = null;

  /** The complete frames so far (null when none completed yet). */
  push(raw: Buffer): Buffer | null {
    const chunk = this.carry ? Buffer.concat([this.carry, raw]) : raw;
    const boundary = lastFrameEnd(chunk);
    if (boundary === -1) {
      if (chunk.length > MAX_PARTIAL_FRAME_BYTES) {
        this.carry = null;
        return chunk;
      }
      this.carry = chunk;
      return null;
    }
    this.carry = boundary < chunk.length ? chunk.subarray(boundary) : null;
    return boundary < chunk.length ? chunk.subarray(0, boundary) : chunk;
  }

  /** Whatever is left when the upstream ends (a last frame without its blank line). */
  rest(): Buffer | null {
    return this.carry;
  }
}

/** The `model` named by the first frame of `frames` (every chunk of an OpenAI stream names it). */
function firstFrameModel(frames: Buffer): string | null {
  const end = frames.indexOf(LF_END);
  return firstStringField(frames.subarray(0, end === -1 ? frames.length : end).toString("utf8"), "model");
}

export interface UsageTap {
  usage: unknown;
  model: string | null;
}

/**
 * Reads `usage` (and `model`) from the frames of `frames` that carry a usage object and, when
 * `dropUsageOnly` is set, cuts out a usage-only frame (`choices: []`). Other bytes are untouched.
 * Until a model is known it is read from the first frame, so the audit names the provider's model
 * even when no usage frame comes.
 */
export function tapUsage(frames: Buffer, dropUsageOnly: boolean, tap: UsageTap): Buffer {
  tap.model ??= firstFrameModel(frames);
  let output = frames;
  let searchFrom = 0;
  for (;;) {
    const marker = firstMarker(output, searchFrom);
    if (marker === -1) return output;
    const start = frameStartBefore(output, marker);
    const end = frameEndAfter(output, marker);
    const text = output.subarray(start, end).toString("utf8");
    let dropped = false;
    try {
      const parsed = JSON.parse(text.slice(text.indexOf("data:") + 5)) as { usage?: unknown; model?: unknown; choices?: unknown[] };
      tap.usage = parsed.usage ?? tap.usage;
      if (typeof parsed.model === "string") tap.model = parsed.model;
      if (dropUsageOnly && Array.isArray(parsed.choices) && parsed.choices.length === 0) {
        output = Buffer.concat([output.subarray(0, start), output.subarray(end)]);
        dropped = true;
      }
    } catch {
      // Not a single JSON data frame: forward it as it is.
    }
    searchFrom = dropped ? start : end;
  }
}

/** The next `"usage":` followed by an object (not `null`), in one pass over the bytes. */
function firstMarker(buffer: Buffer, from: number): number {
  for (let index = buffer.indexOf(USAGE_KEY, from); index !== -1; index = buffer.indexOf(USAGE_KEY, index + USAGE_KEY.length)) {
    let next = index + USAGE_KEY.length;
    while (buffer[next] === 0x20) next += 1;
    if (buffer[next] !== 0x3a /* : */) continue;
    next += 1;
    while (buffer[next] === 0x20) next += 1;
    if (buffer[next] === 0x7b /* { */) return index;
  }
  return -1;
}

function frameStartBefore(buffer: Buffer, position: number): number {
  const lf = buffer.lastIndexOf(LF_END, position);
  const crlf = buffer.lastIndexOf(CRLF_END, position);
  return Math.max(lf === -1 ? 0 : lf + 2, crlf === -1 ? 0 : crlf + 4);
}

/** Where the frame holding `position` ends, its blank line included (the buffer's end if none). */
export function frameEndAfter(buffer: Buffer, position: number): number {
  const lf = buffer.indexOf(LF_END, position);
  const crlf = buffer.indexOf(CRLF_END, position);
  const end = Math.min(lf === -1 ? Infinity : lf + 2, crlf === -1 ? Infinity : crlf + 4);
  return end === Infinity ? buffer.length : end;
}

function lastFrameEnd(chunk: Buffer): number {
  // The common case, a chunk that ends on a frame boundary, needs no search.
  const length = chunk.length;
  if (length >= 2 && chunk[length - 1] === 0x0a && chunk[length - 2] === 0x0a) return length;
  const lf = chunk.lastIndexOf(LF_END);
  const crlf = chunk.lastIndexOf(CRLF_END);
  return Math.max(lf === -1 ? -1 : lf + 2, crlf === -1 ? -1 : crlf + 4);
}

/** What one SSE frame's `data:` lines carry, joined with newlines ("" when it has none). */
export function frameDataText(frame: string): string {
  return frame
    .split(/\r?\n/)
    .filter((line) => line.startsWith("data:"))
    .map((line) => line.slice(5).trimStart())
    .join("\n");
}
