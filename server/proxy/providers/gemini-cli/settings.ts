/**
 * What the child's temporary HOME holds: `~/.gemini/settings.json` (user-level settings) and a
 * user-tier policy. Key names as read by @google/gemini-cli 0.61.0 (npm), in its bundle:
 * - bundle/gemini-3HFX2LNT.js, packages/cli/src/config/config.ts `loadCliConfig`:
 *   `coreTools: settings.tools?.core || void 0`, `mergeExcludeTools(settings…)`, `settings.admin?.mcp?.enabled`;
 * - bundle/chunk-JDPZ4CE3.js, packages/core/src/config/config.js `createToolRegistry` (`maybeRegister`
 *   registers a built-in tool only if `coreTools.some(...)` names it) and policy/policy-engine.js `ruleMatches`;
 * - bundle/chunk-2YTYPKEZ.js, packages/cli/src/config/settings.ts (`loadSettings`, `findEnvFile`,
 *   `isFolderTrustEnabled`); docs: bundle/docs/reference/configuration.md, policy-engine.md.
 */

/** The built-in tool names of 0.61.0 (packages/core/src/tools/tool-names.ts), plus `save_memory` of older releases. */
export const BUILT_IN_TOOL_NAMES = [
  "list_directory",
  "read_file",
  "read_many_files",
  "write_file",
  "replace",
  "glob",
  "grep_search",
  "run_shell_command",
  "list_background_processes",
  "read_background_output",
  "web_fetch",
  "google_web_search",
  "save_memory",
  "write_todos",
  "activate_skill",
  "ask_user",
  "enter_plan_mode",
  "exit_plan_mode",
  "update_topic",
  "complete_task",
  "get_internal_docs",
  "read_mcp_resource",
  "list_mcp_resources",
  "invoke_agent",
  "tracker_create_task",
  "tracker_update_task",
  "tracker_get_task",
  "tracker_list_tasks",
  "tracker_add_dependency",
  "tracker_visualize",
] as const;

export const CHILD_SETTINGS = {
  tools: {
    // An empty allowlist registers no built-in tool: `createToolRegistry` only registers a tool
    // when `coreTools.some(...)` matches it, and `settings.tools.core || undefined` keeps `[]`.
    core: [],
    // Deprecated in favour of policies but still honoured: a second, independent exclusion.
    exclude: BUILT_IN_TOOL_NAMES,
    // Avoids the ripgrep probe/download; the grep tools are unregistered anyway.
    useRipgrep: false,
  },
  mcpServers: {},
  admin: { mcp: { enabled: false }, extensions: { enabled: false }, skills: { enabled: false } },
  skills: { enabled: false },
  hooksConfig: { enabled: false },
  experimental: { enableAgents: false },
  security: {
    disableYoloMode: true,
    disableAlwaysAllow: true,
    // Headless runs in an untrusted folder exit 55; the workspace is an empty directory we made.
    folderTrust: { enabled: false },
  },
  // Without this, `.env` files in the temp directory's parents would be loaded into the child.
  advanced: { ignoreLocalEnv: true },
  general: { enableAutoUpdate: false, enableAutoUpdateNotification: false, checkpointing: { enabled: false } },
  privacy: { usageStatisticsEnabled: false },
  telemetry: { enabled: false },
} as const;

/** `~/.gemini/policies/*.toml`: a global deny removes every tool (MCP included) from the model's view. */
export const DENY_ALL_TOOLS_POLICY = `[[rule]]
toolName = "*"
decision = "deny"
priority = 999
denyMessage = "Tools are disabled by the LLM gateway."
`;
