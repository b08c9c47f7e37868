/** Providers the gateway calls: each has an adapter. */
export const UPSTREAM_PROVIDERS = ["openai", "vllm", "deepseek", "ollama", "anthropic", "gemini-cli"] as const;
export type UpstreamProvider = (typeof UPSTREAM_PROVIDERS)[number];

/** Every provider an Llm may name: the one list the schema, validation and console use. `route` spreads calls over other Llms. */
export const PROVIDERS = [...UPSTREAM_PROVIDERS, "route"] as const;
export type Provider = (typeof PROVIDERS)[number];
