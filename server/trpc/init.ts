import { initTRPC, TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import { passesCsrfCheck } from "../auth/authenticate";
import type { Context } from "../context";
import { type AppError, ERROR_TABLE, isAppError, UNAUTHENTICATED_MESSAGE } from "../errors";
import { log } from "../ops/log";
import { zodToValidationError } from "../validation";
import type { TrpcContext } from "./context";

function toAppError(error: unknown): AppError | null {
  if (isAppError(error)) return error;
  if (error instanceof ZodError) return zodToValidationError(error);
  return null;
}

const t = initTRPC.context<TrpcContext>().create({
  errorFormatter({ shape, error }) {
    const appError = toAppError(error.cause);
    if (appError) return { ...shape, message: appError.message, data: { ...shape.data, field: appError.param, stack: undefined } };
    if (error.code === "INTERNAL_SERVER_ERROR") return { ...shape, message: "Internal error", data: { ...shape.data, field: null, stack: undefined } };
    return { ...shape, data: { ...shape.data, field: null, stack: undefined } };
  },
});

/** Domain errors become tRPC errors through the one shared table; unknown ones stay opaque. */
const translateErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const appError = toAppError(result.error.cause);
    if (appError) throw new TRPCError({ code: ERROR_TABLE[appError.code].trpcCode, message: appError.message, cause: appError });
    if (result.error.code === "INTERNAL_SERVER_ERROR") {
      log.error({ msg: "trpc failure", error: String(result.error.cause ?? result.error) });
    }
  }
  return result;
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(translateErrors);

/** Every console/API procedure: a signed-in caller; cookie-only mutations need the CSRF header. */
export const authedProcedure = publicProcedure.use(({ ctx, type, next }) => {
  if (!ctx.principal) throw new TRPCError({ code: "UNAUTHORIZED", message: UNAUTHENTICATED_MESSAGE });
  if (type === "mutation" && !passesCsrfCheck(ctx.principal, ctx.csrfHeader)) {
    throw new TRPCError({ code: "FORBIDDEN", message: "Cookie-authenticated requests must send the X-Gateway-CSRF: 1 header" });
  }
  const verbContext: Context = { principal: ctx.principal, clientIp: ctx.clientIp, store: ctx.store };
  return next({ ctx: { ...ctx, verb: verbContext } });
});
