"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../_trpc/client";
import { can, canSome, type Resource, type Verb } from "../../server/rbac/permissions";

/**
 * The signed-in user and the same permission evaluation the server enforces, for hiding
 * actions. The console layout seeds the query, so it is there on first render.
 */
export function useMe() {
  const trpc = useTRPC();
  const { data } = useQuery(trpc.me.get.queryOptions());
  const bindings = data?.bindings ?? [];
  return {
    me: data ?? null,
    name: data?.name ?? "",
    can: (verb: Verb, resource: Resource, name: string | null = null) => can(bindings, verb, resource, name),
    canSome: (verb: Verb, resource: Resource) => canSome(bindings, verb, resource),
  };
}
