import { describe, expect, it } from "vitest";
import { connectSnippets } from "./connect-snippets";

describe("connectSnippets", () => {
  it("points curl and both SDKs at the /api/v1 base URL with the Llm as model", async () => {
    const snippets = connectSnippets({ baseUrl: "https://gw.example.com/api/v1", model: "gpt", token: null });
    expect(snippets.map((snippet) => snippet.id)).toEqual(["curl", "python", "javascript", "claude-code", "codex"]);
    const [curl, python, javascript, claudeCode, codex] = snippets;
    expect(curl!.code).toContain("curl https://gw.example.com/api/v1/chat/completions");
    expect(curl!.code).toContain('"model":"gpt"');
    expect(curl!.code).toContain("export GATEWAY_TOKEN=gw_…");
    expect(python!.code).toContain('OpenAI(base_url="https://gw.example.com/api/v1", api_key=os.environ["GATEWAY_TOKEN"])');
    expect(python!.code).toContain('model="gpt"');
    expect(javascript!.code).toContain('new OpenAI({ baseURL: "https://gw.example.com/api/v1", apiKey: process.env.GATEWAY_TOKEN })');
    // Claude Code's base URL is the one its own client adds /v1/messages to.
    expect(claudeCode!.code).toContain("export ANTHROPIC_BASE_URL=https://gw.example.com/api\n");
    expect(claudeCode!.code).toContain("export ANTHROPIC_MODEL=gpt");
    expect(codex!.code).toContain('base_url = "https://gw.example.com/api/v1"');
    expect(codex!.code).toContain('wire_api = "responses"');
    expect(codex!.code).toContain('model = "gpt"');
  });

  it("puts a fresh token only where it is exported", async () => {
    const snippets = connectSnippets({ baseUrl: "http://localhost:3000/api/v1", model: "claude", token: "gw_abc" });
    expect(snippets[0]!.code.startsWith("export GATEWAY_TOKEN=gw_abc\n")).toBe(true);
    expect(snippets.slice(1).some((snippet) => snippet.code.includes("gw_abc"))).toBe(false);
  });
});
