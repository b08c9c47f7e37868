import { Readable } from "node:stream";
import { z } from "zod";
import { AppError, ValidationError } from "../errors";
import { zodToValidationError } from "../validation";

/** Reads the whole body, refusing more than `limit` bytes with 413 as soon as it is exceeded. */
export async function readBody(body: AsyncIterable<Uint8Array> | null, limit: number, declaredLength: string | null): Promise<Buffer> {
  if (declaredLength !== null && Number(declaredLength) > limit) throw tooLarge(limit);
  if (!body) return Buffer.alloc(0);
  if (body instanceof Readable) return readNodeStream(body, limit);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk);
  }
  return chunks.length === 1 ? Buffer.from(chunks[0]!.buffer, chunks[0]!.byteOffset, chunks[0]!.byteLength) : Buffer.concat(chunks, size);
}

// A Node request stream read with listeners: no async iterator per request on the lean server.
function readNodeStream(stream: Readable, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (error: unknown, value?: Buffer) => {
      stream.off("data", onData).off("end", onEnd).off("error", onError);
      if (error) reject(error);
      else resolve(value!);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      // Let the rest of the upload drain unread so the 413 can still be sent.
      stream.resume();
      finish(tooLarge(limit));
    };
    const onEnd = () => finish(null, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    const onError = (error: Error) => finish(error);
    stream.on("data", onData).on("end", onEnd).on("error", onError);
  });
}

function tooLarge(limit: number): AppError {
  return new AppError("payload_too_large", `Request body is larger than ${limit} bytes`);
}

// Only what the gateway itself relies on is checked; everything else goes to the provider as sent.
const Message = z.object({ role: z.string().min(1) }).passthrough();
export const ChatRequest = z
  .object({
    // Ignored on the paths that name the Llm; `/api/v1/chat/completions` checks it itself.
    model: z.unknown().optional(),
    messages: z.array(Message).min(1, "must contain at least one message"),
    stream: z.boolean().nullish(),
    stream_options: z.object({ include_usage: z.boolean().nullish() }).passthrough().nullish(),
    n: z.number().int().min(1).nullish(),
  })
  .passthrough();
export type ChatRequest = z.infer<typeof ChatRequest> & Record<string, unknown>;

// Far deeper than any real request; deeper bodies would overflow the stack when re-serialised.
export const MAX_JSON_DEPTH = 128;
// Far longer than any real conversation; each message costs validation (and translation) time
// on the event loop every other call shares, so one body may not bring hundreds of thousands.
export const MAX_MESSAGES = 10_000;

/** A request body that must be one JSON object, not nested deeper than `MAX_JSON_DEPTH`. */
export function parseJsonObject(bytes: Buffer): Record<string, unknown> {
  if (nestingExceeds(bytes, MAX_JSON_DEPTH)) throw new ValidationError(`Request body is nested deeper than ${MAX_JSON_DEPTH} levels`);
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString("utf8"));
  } catch {
    throw new ValidationError("Request body is not valid JSON");
  }
  if (!json || typeof json !== "object" || Array.isArray(json)) throw new ValidationError("Request body must be a JSON object");
  return json as Record<string, unknown>;
}

/** `field` must be present, and an array of at most `MAX_MESSAGES` items if it is one. */
export function checkMessageCount(json: Record<string, unknown>, field: string): void {
  if (!(field in json)) throw new ValidationError(`${field}: is required`, field);
  const items = json[field];
  if (Array.isArray(items) && items.length > MAX_MESSAGES) {
    throw new ValidationError(`${field}: at most ${MAX_MESSAGES} items per request (this one has ${items.length})`, field);
  }
}

export function parseChatRequest(bytes: Buffer): ChatRequest {
  const json = parseJsonObject(bytes);
  checkMessageCount(json, "messages");
  const result = ChatRequest.safeParse(json);
  if (!result.success) throw zodToValidationError(result.error);
  return result.data as ChatRequest;
}

/** True when `[`/`{` nest deeper than `limit` outside strings (one pass, strings skipped natively). */
function nestingExceeds(bytes: Buffer, limit: number): boolean {
  let depth = 0;
  for (let index = 0; index < bytes.length; index += 1) {
    const byte = bytes[index]!;
    if (byte === 34 /* " */) index = closingQuote(bytes, index);
    else if (byte === 91 /* [ */ || byte === 123 /* { */) {
      if (++depth > limit) return true;
    } else if (byte === 93 /* ] */ || byte === 125 /* } */) depth -= 1;
  }
  return false;
}

/** The index of the quote that closes the string opened at `open` (the end of the input if none). */
function closingQuote(bytes: Buffer, open: number): number {
  const shortEnd = Math.min(bytes.length, open + 64);
  for (let index = open + 1; index < shortEnd; index += 1) {
    if (bytes[index] === 92 /* \ */) index += 1;
    else if (bytes[index] === 34) return index;
  }
  // A long string (text, a base64 image): let indexOf skip it, then check the quote is not escaped.
  for (let quote = bytes.indexOf(34, shortEnd); quote !== -1; quote = bytes.indexOf(34, quote + 1)) {
    let backslashes = 0;
    while (bytes[quote - 1 - backslashes] === 92) backslashes += 1;
    if (backslashes % 2 === 0) return quote;
  }
  return bytes.length;
}
