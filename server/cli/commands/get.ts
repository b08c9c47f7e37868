import { listBindings } from "../../bindings/list";
import { listLimits } from "../../limits/list";
import { describeScope } from "../../limits/describe";
import { listLlms } from "../../llms/list";
import type { LlmView } from "../../llms/schemas";
import { listSecrets } from "../../secrets/list";
import { listTokens } from "../../tokens/list";
import { listUsers } from "../../users/list";
import type { Context } from "../../context";
import type { CommandGroup, CommandSpec } from "../args";
import { formatTime, writeJson, writeTable } from "../output";

type Cell = string | number | boolean | null;

/** `--json` prints the verb's view objects as they are; they never hold a value or a token. */
function listing<T>(list: (ctx: Context) => Promise<T[]>, headers: readonly string[], row: (item: T) => Cell[]): CommandSpec {
  return {
    arguments: [],
    flags: { json: "switch" },
    readOnly: true,
    async run(invocation, ctx) {
      const items = await list(ctx);
      if (invocation.has("json")) writeJson(items);
      else writeTable(headers, items.map(row));
    },
  };
}

export const getCommands: CommandGroup = {
  name: "get",
  usage: ["get users|tokens|secrets|llms|bindings|limits [--json]"],
  commands: {
    users: listing(
      (ctx) => listUsers({ ctx }),
      ["name", "display name", "disabled", "created"],
      (user) => [user.name, user.displayName, user.disabled, formatTime(user.createdAt)],
    ),
    tokens: listing(
      (ctx) => listTokens({ ctx }),
      ["prefix", "user", "name", "expires", "last used", "revoked"],
      (token) => [token.prefix, token.user, token.name, formatTime(token.expiresAt), formatTime(token.lastUsedAt), formatTime(token.revokedAt)],
    ),
    secrets: listing(
      (ctx) => listSecrets({ ctx }),
      ["name", "backend", "keys", "allowed origins", "used by", "updated"],
      (secret) => [secret.name, secret.backend, secret.keys.join(","), secret.allowedOrigins.join(","), secret.usedBy.join(","), formatTime(secret.updatedAt)],
    ),
    llms: listing(
      (ctx) => listLlms({ ctx }),
      ["name", "provider", "model", "url", "api key"],
      (llm) => [llm.name, llm.provider, modelOrTargets(llm), llm.effectiveUrl, llm.apiKeyRef && `${llm.apiKeyRef.secret}/${llm.apiKeyRef.key}`],
    ),
    bindings: listing(
      (ctx) => listBindings({ ctx }),
      ["id", "user", "role", "resource", "name"],
      (binding) => [binding.id, binding.user, binding.role, binding.resource, binding.name],
    ),
    limits: listing(
      (ctx) => listLimits({ ctx }),
      ["id", "scope", "metric", "window", "max", "used", "reserved", "resets"],
      (limit) => [
        limit.id,
        describeScope(limit.scope),
        limit.metric,
        limit.window,
        limit.max,
        limit.fullestUser ? `${round(limit.used)} (${limit.fullestUser})` : round(limit.used),
        round(limit.reserved),
        limit.resetsAt,
      ],
    ),
  },
};

/** Figures as a person reads them: whole counts stay whole, dollars keep six places. */
function round(value: number): number {
  return Number.isInteger(value) ? value : Number(value.toFixed(6));
}

/** The model column: a route's targets as `--target` takes them (`a,weight=3 b,group=1`, defaults left out); any other Llm's model. */
function modelOrTargets(llm: LlmView): string {
  if (!llm.routing) return llm.model;
  return llm.routing.targets
    .map((target) => [target.llm, target.group !== 0 && `group=${target.group}`, target.weight !== 1 && `weight=${target.weight}`].filter(Boolean).join(","))
    .join(" ");
}
