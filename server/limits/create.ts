import { and, eq, isNull } from "drizzle-orm";
import { one, rows, type Program, type Scope } from "../../db/program";
import { recordInTransaction } from "../audit/record";
import type { Context } from "../context";
import { ConflictError, ValidationError } from "../errors";
import { authorize } from "../rbac/authorize";
import { parseInput } from "../validation";
import { CreateLimitInput, type LimitScope, type LimitView } from "./schemas";
import { describeLimit } from "./describe";
import { toLimitView } from "./view";

interface ScopeIds {
  userId: number | null;
  llmId: number | null;
  tokenId: number | null;
}

/** The rows a scope names (users and Llms by name, a token by its prefix); an unknown one is a field error. */
function* scopeIds({ db, t }: Scope, given: LimitScope): Program<ScopeIds> {
  let userId: number | null = null;
  if (given.user) {
    const user = yield* one(db.select({ id: t.users.id }).from(t.users).where(eq(t.users.name, given.user)));
    if (!user) throw new ValidationError(`scope.user: user '${given.user}' does not exist`, "scope.user");
    userId = user.id;
  }
  let llmId: number | null = null;
  if (given.llm) {
    const llm = yield* one(db.select({ id: t.llms.id }).from(t.llms).where(eq(t.llms.name, given.llm)));
    if (!llm) throw new ValidationError(`scope.llm: llm '${given.llm}' does not exist`, "scope.llm");
    llmId = llm.id;
  }
  let tokenId: number | null = null;
  if (given.token) {
    const found = yield* rows(db.select({ id: t.apiTokens.id }).from(t.apiTokens).where(eq(t.apiTokens.prefix, given.token)));
    if (found.length === 0) throw new ValidationError(`scope.token: no token has the prefix '${given.token}'`, "scope.token");
    if (found.length > 1) throw new ValidationError(`scope.token: more than one token has the prefix '${given.token}'`, "scope.token");
    tokenId = found[0]!.id;
  }
  return { userId, llmId, tokenId };
}

const same = <T>(column: Parameters<typeof eq>[0], value: T | null) => (value === null ? isNull(column) : eq(column, value));

/** A limit on one scope, metric and window; a second one for the same three is a conflict (change its max instead). */
export async function createLimit({ ctx, input }: { ctx: Context; input: CreateLimitInput }): Promise<LimitView> {
  authorize(ctx, "create", "limits");
  const parsed = parseInput(CreateLimitInput, input);
  const window = parsed.window ?? null;
  const now = Date.now();
  return ctx.store.change(function* (scope) {
    const { db, t } = scope;
    const ids = yield* scopeIds(scope, parsed.scope);
    const isDefault = parsed.scope.default === true;
    const existing = yield* one(
      db
        .select({ id: t.limits.id })
        .from(t.limits)
        .where(
          and(
            same(t.limits.userId, ids.userId),
            same(t.limits.llmId, ids.llmId),
            same(t.limits.tokenId, ids.tokenId),
            eq(t.limits.isDefault, isDefault),
            eq(t.limits.metric, parsed.metric),
            same(t.limits.window, window),
          ),
        ),
    );
    if (existing)
      throw new ConflictError(`limit ${existing.id} already counts ${parsed.metric}${window ? ` per ${window}` : ""} for this scope; change its max instead`);
    const row = (yield* one(
      db
        .insert(t.limits)
        .values({ ...ids, isDefault, metric: parsed.metric, window, max: parsed.max, createdAt: now, updatedAt: now })
        .returning(),
    ))!;
    const view = toLimitView(row, { user: parsed.scope.user ?? null, llm: parsed.scope.llm ?? null, token: parsed.scope.token ?? null });
    yield* recordInTransaction(scope, {
      event: "limit_created",
      principal: ctx.principal,
      target: `limit ${row.id}: ${describeLimit(view)}`,
      clientIp: ctx.clientIp,
    });
    return view;
  });
}
