import { TRPCError } from "@trpc/server";
import type { Store } from "../../db/store";
import { ERROR_TABLE, isAppError } from "../errors";
import { authenticate, CSRF_HEADER } from "../auth/authenticate";
import { processStore } from "../runtime/process-store";
import type { Principal } from "../auth/principal";
import { forwardedClientIp } from "../http/edge";

export interface TrpcContext {
  store: Store;
  principal: Principal | null;
  clientIp: string | null;
  /** The CSRF-proof header's value (required for cookie-authenticated mutations). */
  csrfHeader: string | null;
}

export async function createTrpcContext(headers: Headers, store?: Store): Promise<TrpcContext> {
  const used = store ?? (await processStore());
  const auth = await authenticate(used, { authorization: headers.get("authorization"), cookie: headers.get("cookie") }).catch((error: unknown) => {
    // A session lookup while the database is away: the same answer as any procedure would give.
    if (isAppError(error)) throw new TRPCError({ code: ERROR_TABLE[error.code].trpcCode, message: error.message, cause: error });
    throw error;
  });
  return {
    store: used,
    principal: auth.ok ? auth.principal : null,
    clientIp: forwardedClientIp(headers.get("x-forwarded-for")),
    csrfHeader: headers.get(CSRF_HEADER),
  };
}
