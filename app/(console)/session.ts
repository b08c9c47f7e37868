import { TRPCError } from "@trpc/server";
import { redirect } from "next/navigation";
import { cache } from "react";
import { getQueryClient, type prefetch, serverCaller } from "../_trpc/server";

/** The signed-in caller for this request, or null; one `me.get` per request however often asked. */
export const loadMe = cache(async () => {
  try {
    return await (await serverCaller()).me.get();
  } catch (error) {
    if (error instanceof TRPCError && error.code === "UNAUTHORIZED") return null;
    throw error;
  }
});

/** Pages call this first: without a session the browser goes to the login page and comes back. */
export async function requireMe(path: string) {
  const me = await loadMe();
  if (!me) redirect(`/login?next=${encodeURIComponent(path)}`);
  return me;
}

/** Builds `path?query` from a page's searchParams, for the `next` parameter. */
export function pathWithQuery(path: string, searchParams: Record<string, string | string[] | undefined>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(searchParams)) {
    for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) query.append(key, item);
  }
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

/** Prefetches on the server and waits, so pages hydrate with data; failed queries are left to the client. */
export async function preload(...options: Array<Parameters<typeof prefetch>[0]>): Promise<void> {
  const queryClient = getQueryClient();
  await Promise.all(options.map((option) => queryClient.prefetchQuery(option)));
}
