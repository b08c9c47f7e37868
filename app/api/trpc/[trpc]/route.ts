import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { consoleErrorResponse } from "../../../../server/http/console-errors";
import { boundedConsoleRequest } from "../../../../server/http/console-body";
import { createTrpcContext } from "../../../../server/trpc/context";
import { appRouter } from "../../../../server/trpc/router";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

async function handler(request: Request) {
  const bounded = await boundedConsoleRequest(request).catch((error: unknown) => consoleErrorResponse(error));
  if (bounded instanceof Response) return bounded;
  return fetchRequestHandler({ endpoint: "/api/trpc", req: bounded, router: appRouter, createContext: () => createTrpcContext(bounded.headers) });
}

export { handler as GET, handler as POST };
