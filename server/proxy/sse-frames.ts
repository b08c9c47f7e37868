// Byte-level helpers for relaying an OpenAI-compatible SSE stream untouched. Only complete frames
// (ending in a blank line) are forwarded; a frame is decoded only when it carries a usage object.

const USAGE_MARKERS = ['"usage":{', '"usage": {'];
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

export interface UsageTap {
  usage: unknown;
  model: string | null;
}

/**
 * Reads `usage` (and `model`) from the frames of `frames` that carry a usage object and, when
 * `dropUsageOnly` is set, cuts out a usage-only frame (`choices: []`). Other bytes are untouched.
 */
export function tapUsage(frames: Buffer, dropUsageOnly: boolean, tap: UsageTap): Buffer {
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

function firstMarker(buffer: Buffer, from: number): number {
  let first = -1;
  for (const marker of USAGE_MARKERS) {
    const index = buffer.indexOf(marker, from);
    if (index !== -1 && (first === -1 || index < first)) first = index;
  }
  return first;
}

function frameStartBefore(buffer: Buffer, position: number): number {
  const lf = buffer.lastIndexOf("\n\n", position);
  const crlf = buffer.lastIndexOf("\r\n\r\n", position);
  return Math.max(lf === -1 ? 0 : lf + 2, crlf === -1 ? 0 : crlf + 4);
}

function frameEndAfter(buffer: Buffer, position: number): number {
  const lf = buffer.indexOf("\n\n", position);
  const crlf = buffer.indexOf("\r\n\r\n", position);
  const end = Math.min(lf === -1 ? Infinity : lf + 2, crlf === -1 ? Infinity : crlf + 4);
  return end === Infinity ? buffer.length : end;
}

function lastFrameEnd(chunk: Buffer): number {
  const lf = chunk.lastIndexOf("\n\n");
  const crlf = chunk.lastIndexOf("\r\n\r\n");
  return Math.max(lf === -1 ? -1 : lf + 2, crlf === -1 ? -1 : crlf + 4);
}
