import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { createTrpcContext } from "../../../../server/trpc/context";
import { appRouter } from "../../../../server/trpc/router";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

function handler(request: Request) {
  return fetchRequestHandler({ endpoint: "/api/trpc", req: request, router: appRouter, createContext: () => createTrpcContext(request.headers) });
}

export { handler as GET, handler as POST };
