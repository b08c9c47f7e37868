import { createLlm } from "../../llms/create";
import type { CreateLlmInput } from "../../llms/schemas";
import { UsageError, type CommandGroup } from "../args";
import { CLI_CONTEXT } from "../context";
import { writeLine } from "../output";

export const llmCommands: CommandGroup = {
  name: "llm",
  usage: [
    "llm create NAME --provider P --model M [--url URL] [--api-key-ref SECRET/KEY]",
    "        [--max-tokens N] [--timeout-ms N] [--gemini-path PATH] [--max-concurrency N]",
  ],
  commands: {
    create: {
      arguments: ["NAME"],
      flags: {
        provider: "text",
        model: "text",
        url: "text",
        "api-key-ref": "text",
        "max-tokens": "number",
        "timeout-ms": "number",
        "gemini-path": "text",
        "max-concurrency": "number",
      },
      requiredFlags: ["provider", "model"],
      run(invocation) {
        const apiKeyRef = invocation.text("api-key-ref");
        const slash = apiKeyRef?.indexOf("/") ?? -1;
        if (apiKeyRef !== undefined && slash <= 0) throw new UsageError("--api-key-ref takes SECRET/KEY", "llm");
        const maxTokens = invocation.number("max-tokens");
        const input: CreateLlmInput = {
          name: invocation.argument(0),
          // The verb validates the provider against its list.
          provider: invocation.text("provider") as CreateLlmInput["provider"],
          model: invocation.text("model")!,
          url: invocation.text("url"),
          apiKeyRef: apiKeyRef === undefined ? null : { secret: apiKeyRef.slice(0, slash), key: apiKeyRef.slice(slash + 1) },
          defaults: maxTokens === undefined ? null : { max_tokens: maxTokens },
          timeoutMs: invocation.number("timeout-ms"),
          geminiPath: invocation.text("gemini-path"),
          maxConcurrency: invocation.number("max-concurrency"),
        };
        const llm = createLlm({ ctx: CLI_CONTEXT, input });
        writeLine(`llm ${llm.name} created`);
      },
    },
  },
};
