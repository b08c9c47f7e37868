import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { createTRPCOptionsProxy, type TRPCQueryOptions } from "@trpc/tanstack-react-query";
import { headers } from "next/headers";
import { cache, type ReactNode } from "react";
import { createTrpcContext } from "../../server/trpc/context";
import { appRouter } from "../../server/trpc/router";
import { makeQueryClient } from "./query-client";

export const getQueryClient = cache(makeQueryClient);

export const trpc = createTRPCOptionsProxy({
  ctx: async () => createTrpcContext(await headers()),
  router: appRouter,
  queryClient: getQueryClient,
});

/** Server-side caller for pages that need data before rendering (e.g. the session check). */
export async function serverCaller() {
  return appRouter.createCaller(await createTrpcContext(await headers()));
}

// biome-ignore lint/suspicious/noExplicitAny: any procedure's options; the type parameter only narrows the data.
export function prefetch(options: ReturnType<TRPCQueryOptions<any>>) {
  void getQueryClient().prefetchQuery(options);
}

export function HydrateClient({ children }: { children: ReactNode }) {
  return <HydrationBoundary state={dehydrate(getQueryClient())}>{children}</HydrationBoundary>;
}
