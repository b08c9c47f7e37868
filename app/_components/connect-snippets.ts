export interface ConnectTarget {
  /** `{origin}/api/v1` */
  baseUrl: string;
  /** The Llm to call; a placeholder when the snippet is for any of them. */
  model: string;
  /** The token to show, or null for `$GATEWAY_TOKEN` (set it in the environment). */
  token: string | null;
}

export interface Snippet {
  id: "curl" | "python" | "javascript" | "claude-code" | "codex";
  label: string;
  code: string;
}

/**
 * How a program calls the gateway: the OpenAI SDKs pointed at its base URL, plain HTTP, and the
 * coding agents (Claude Code speaks Anthropic's Messages API under `/api`, the Codex CLI OpenAI's
 * Responses API under `/api/v1`).
 */
export function connectSnippets({ baseUrl, model, token }: ConnectTarget): Snippet[] {
  const exportLine = `export GATEWAY_TOKEN=${token ?? "gw_…"}`;
  const body = JSON.stringify({ model, messages: [{ role: "user", content: "Hello" }] });
  return [
    {
      id: "curl",
      label: "curl",
      code: [
        exportLine,
        `curl ${baseUrl}/chat/completions \\`,
        '  -H "Authorization: Bearer $GATEWAY_TOKEN" \\',
        '  -H "Content-Type: application/json" \\',
        `  -d '${body}'`,
      ].join("\n"),
    },
    {
      id: "python",
      label: "Python",
      code: [
        "# pip install openai; GATEWAY_TOKEN in the environment",
        "import os",
        "from openai import OpenAI",
        "",
        `client = OpenAI(base_url="${baseUrl}", api_key=os.environ["GATEWAY_TOKEN"])`,
        `reply = client.chat.completions.create(model="${model}", messages=[{"role": "user", "content": "Hello"}])`,
        "print(reply.choices[0].message.content)",
      ].join("\n"),
    },
    {
      id: "javascript",
      label: "JavaScript",
      code: [
        "// npm install openai; GATEWAY_TOKEN in the environment",
        'import OpenAI from "openai";',
        "",
        `const client = new OpenAI({ baseURL: "${baseUrl}", apiKey: process.env.GATEWAY_TOKEN });`,
        `const reply = await client.chat.completions.create({ model: "${model}", messages: [{ role: "user", content: "Hello" }] });`,
        "console.log(reply.choices[0].message.content);",
      ].join("\n"),
    },
    {
      id: "claude-code",
      label: "Claude Code",
      code: [
        "# Claude Code adds /v1/messages to this URL; the token goes as a bearer token",
        `export ANTHROPIC_BASE_URL=${baseUrl.replace(/\/v1$/, "")}`,
        "export ANTHROPIC_AUTH_TOKEN=$GATEWAY_TOKEN",
        `export ANTHROPIC_MODEL=${model}`,
        "# the model it uses for small, quick tasks",
        `export ANTHROPIC_DEFAULT_HAIKU_MODEL=${model}`,
        "claude",
      ].join("\n"),
    },
    {
      id: "codex",
      label: "Codex CLI",
      code: [
        "# ~/.codex/config.toml; GATEWAY_TOKEN in the environment",
        `model = "${model}"`,
        'model_provider = "llm-gateway"',
        "",
        "[model_providers.llm-gateway]",
        'name = "LLM Gateway"',
        `base_url = "${baseUrl}"`,
        'env_key = "GATEWAY_TOKEN"',
        'wire_api = "responses"',
      ].join("\n"),
    },
  ];
}
