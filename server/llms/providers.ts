/** Every provider an Llm may name: the one list the schema, validation, registry and console use. */
export const PROVIDERS = ["openai", "vllm", "deepseek", "ollama", "anthropic", "gemini-cli"] as const;
export type Provider = (typeof PROVIDERS)[number];
