import { getConfig } from "../config";
import { AppError, isAppError, UnauthenticatedError } from "../errors";
import { boundedConsoleRequest } from "../http/console-body";
import { consoleErrorResponse } from "../http/console-errors";
import { forwardedClientIp } from "../http/edge";
import { isJsonContentType } from "../validation";
import { CSRF_HEADER, hasCsrfProof, readCookie, SESSION_COOKIE } from "./authenticate";
import { login, logout } from "./login";
import { SESSION_ABSOLUTE_MS } from "./sessions";
import { processStore } from "../runtime/process-store";

function clientIp(request: Request): string | null {
  return forwardedClientIp(request.headers.get("x-forwarded-for"));
}

function secureCookie(request: Request): boolean {
  const setting = getConfig().secureCookies;
  if (setting !== "auto") return setting === "true";
  return (request.headers.get("x-forwarded-proto") ?? new URL(request.url).protocol.replace(":", "")) === "https";
}

function sessionCookie(value: string, maxAgeSeconds: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure ? "; Secure" : ""}`;
}

/** `POST /api/auth/login` `{name, password}` → 204 with a fresh session cookie, else 401/429. */
export async function loginFromWebRequest(request: Request): Promise<Response> {
  try {
    // A cross-site form can post text/plain JSON without a preflight; only JSON signs anyone in.
    if (!isJsonContentType(request.headers.get("content-type"))) {
      throw new AppError("unsupported_media_type", "Content-Type must be application/json");
    }
    const bounded = await boundedConsoleRequest(request);
    const input = await bounded.json().catch(() => null);
    const { sessionId } = await login({ store: await processStore(), input, clientIp: clientIp(request) });
    return new Response(null, {
      status: 204,
      headers: { "set-cookie": sessionCookie(sessionId, SESSION_ABSOLUTE_MS / 1000, secureCookie(request)), "cache-control": "no-store" },
    });
  } catch (error) {
    return consoleErrorResponse(isAppError(error) ? error : new UnauthenticatedError());
  }
}

/** `POST /api/auth/logout` deletes the session and clears the cookie (only with the CSRF-proof header). */
export async function logoutFromWebRequest(request: Request): Promise<Response> {
  if (!hasCsrfProof(request.headers.get(CSRF_HEADER))) return consoleErrorResponse(new AppError("forbidden", "Logout must send the X-Gateway-CSRF: 1 header"));
  try {
    await logout({ store: await processStore(), sessionId: readCookie(request.headers.get("cookie"), SESSION_COOKIE), clientIp: clientIp(request) });
  } catch (error) {
    return consoleErrorResponse(error);
  }
  return new Response(null, { status: 204, headers: { "set-cookie": sessionCookie("", 0, secureCookie(request)) } });
}
