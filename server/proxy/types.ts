/** Lower-cased header names, as node:http gives them. */
export type HeaderMap = Record<string, string | string[] | undefined>;

/** What the proxy core needs of an HTTP request; no framework types. */
export interface ProxyRequest {
  method: string;
  /** The `{name}` path parameter; null for `/api/v1/chat/completions` (the body's `model`). */
  llmName: string | null;
  headers: HeaderMap;
  body: AsyncIterable<Uint8Array> | null;
  clientIp: string | null;
  /** Aborts when the client goes away. */
  signal: AbortSignal;
}

export interface ProxyResponse {
  status: number;
  headers: Record<string, string>;
  /** A complete body, or chunks to write as they come (streams). */
  body: Uint8Array | AsyncIterable<Uint8Array>;
}

export function header(headers: HeaderMap, name: string): string | null {
  const value = headers[name];
  if (value === undefined) return null;
  return Array.isArray(value) ? (value[0] ?? null) : value;
}
