"use client";

import { useQuery } from "@tanstack/react-query";

/** Names of the Llms the caller may run, from the OpenAI-style `GET /api/v1/models` (cookie auth). */
export function useRunnableModels(enabled: boolean) {
  return useQuery({
    queryKey: ["gateway", "models"],
    enabled,
    queryFn: async (): Promise<string[]> => {
      const response = await fetch("/api/v1/models", { headers: { accept: "application/json" } });
      if (!response.ok) throw new Error(`GET /api/v1/models answered ${response.status}`);
      const body = (await response.json()) as { data?: Array<{ id: string }> };
      return (body.data ?? []).map((model) => model.id);
    },
  });
}
