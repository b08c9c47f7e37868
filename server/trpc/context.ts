import { authenticate, CSRF_HEADER } from "../auth/authenticate";
import type { Principal } from "../auth/principal";
import { forwardedClientIp } from "../http/edge";

export interface TrpcContext {
  principal: Principal | null;
  clientIp: string | null;
  /** The CSRF-proof header's value (required for cookie-authenticated mutations). */
  csrfHeader: string | null;
}

export function createTrpcContext(headers: Headers): TrpcContext {
  const auth = authenticate({ authorization: headers.get("authorization"), cookie: headers.get("cookie") });
  return {
    principal: auth.ok ? auth.principal : null,
    clientIp: forwardedClientIp(headers.get("x-forwarded-for")),
    csrfHeader: headers.get(CSRF_HEADER),
  };
}
