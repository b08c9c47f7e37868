import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createAnthropicStreamTranslator, type AnthropicStreamOutcome } from "../stream";

const directory = fileURLToPath(new URL(".", import.meta.url));

/** Every recorded SSE transcript: raw `.txt` files and one-payload-per-line `.chunks.txt` files. */
export const TRANSCRIPT_FILES = readdirSync(directory)
  .filter((file) => file.endsWith(".txt"))
  .sort();

/** vercel/ai `*.chunks.txt` hold one `data:` payload per line; replay them as `event: <type>` + `data:`. */
export function frameChunks(lines: string): string {
  return lines
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => `event: ${(JSON.parse(line) as { type: string }).type}\ndata: ${line}\n\n`)
    .join("");
}

/** A transcript as the upstream would send it: raw files as they are, chunk files re-framed. */
export function loadTranscript(file: string): string {
  const text = readFileSync(`${directory}/${file}`, "utf8");
  return file.endsWith(".chunks.txt") ? frameChunks(text) : text;
}

/** Frames built from payload objects, for crafted transcripts. */
export function sse(...events: Array<Record<string, unknown>>): string {
  return events.map((event) => `event: ${String(event.type)}\ndata: ${JSON.stringify(event)}\n\n`).join("");
}

/** Deterministic pseudo-random slice sizes (mulberry32) so failures reproduce. */
export function randomSizes(seed: number, max: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return 1 + (((value ^ (value >>> 14)) >>> 0) % max);
  };
}

/** Splits bytes into slices; `size` is fixed or drawn per slice. Multi-byte characters get cut too. */
export function sliceBytes(bytes: Uint8Array, size: number | (() => number)): Uint8Array[] {
  const slices: Uint8Array[] = [];
  for (let offset = 0; offset < bytes.length; ) {
    const length = typeof size === "number" ? size : size();
    slices.push(bytes.slice(offset, offset + length));
    offset += length;
  }
  return slices;
}

export interface Translation {
  text: string;
  outcome: AnthropicStreamOutcome;
  endText: string;
}

/** Runs a transcript through a fresh translator, one write per slice, then end(). */
export function translate(
  transcript: string,
  options: { includeUsage: boolean; created?: number; size?: number | (() => number) },
): Translation {
  const translator = createAnthropicStreamTranslator({ includeUsage: options.includeUsage, created: options.created ?? 1_700_000_000 });
  const bytes = new TextEncoder().encode(transcript);
  let text = "";
  for (const slice of sliceBytes(bytes, options.size ?? bytes.length)) text += translator.write(slice);
  const endText = translator.end();
  return { text: text + endText, outcome: translator.outcome(), endText };
}

/** The `data:` payloads of an OpenAI SSE text: parsed JSON objects, or the string "[DONE]". */
export function parseFrames(text: string): Array<Record<string, unknown> | "[DONE]"> {
  if (text === "") return [];
  if (!text.endsWith("\n\n")) throw new Error(`output does not end with a blank line: ${JSON.stringify(text.slice(-40))}`);
  return text
    .slice(0, -2)
    .split("\n\n")
    .map((frame) => {
      if (!frame.startsWith("data: ") || frame.includes("\n")) throw new Error(`not a single data line: ${frame}`);
      const payload = frame.slice("data: ".length);
      return payload === "[DONE]" ? "[DONE]" : (JSON.parse(payload) as Record<string, unknown>);
    });
}
