/**
 * The client address a request names in X-Forwarded-For (its first entry). Under `npm start` the
 * server sets that header to the socket's address unless GATEWAY_TRUST_PROXY is on.
 */
export function forwardedClientIp(value: string | null | undefined): string | null {
  return value?.split(",")[0]?.trim() || null;
}
