import type { Store } from "../../db/store";
import type { ApiName } from "./apis/types";
import type { ByteStream } from "./byte-stream";

/** Lower-cased header names, as node:http gives them. */
export type HeaderMap = Record<string, string | string[] | undefined>;

/** What the proxy core needs of an HTTP request; no framework types. */
export interface ProxyRequest {
  store: Store;
  method: string;
  /** The API the path speaks. */
  api: ApiName;
  /** The `{name}` path parameter; null for `/api/v1/chat/completions` (the body's `model`). */
  llmName: string | null;
  headers: HeaderMap;
  body: AsyncIterable<Uint8Array> | null;
  clientIp: string | null;
  /** Aborts when the client goes away. */
  signal: AbortSignal;
}

/** Where a stream writes its chunks: straight to the client's socket on the lean server. */
export interface ChunkSink {
  /** Writes a chunk now; false means the client is slow: await `drain()` before writing more. */
  write(chunk: Uint8Array): boolean;
  /** Resolves when the client can take more, or has gone away. */
  drain(): Promise<void>;
}

/** A streamed body: writes every chunk to the sink as it arrives and resolves when done. */
export type StreamBody = (sink: ChunkSink) => Promise<void>;

export interface ProxyResponse {
  status: number;
  headers: Record<string, string>;
  /** A complete body, or a stream of byte chunks (async iterable, with a push fast path). */
  body: Uint8Array | ByteStream;
}

export function header(headers: HeaderMap, name: string): string | null {
  const value = headers[name];
  if (value === undefined) return null;
  return Array.isArray(value) ? (value[0] ?? null) : value;
}
