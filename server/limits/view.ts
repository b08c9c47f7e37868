import { asc, eq, type SQL } from "drizzle-orm";
import { rows, type Program, type Scope } from "../../db/program";
import type { limits } from "../../db/sqlite/schema";
import type { LimitMetric, LimitScope, LimitView, LimitWindow } from "./schemas";

export type LimitRow = typeof limits.$inferSelect;

/** A limit and, for a token's, the id of the user who holds the token. */
export interface OwnedLimit {
  view: LimitView;
  /** The token's id for a token's limit. */
  tokenId: number | null;
  tokenUserId: number | null;
}

/** Every limit with the names its scope points at, oldest first. */
export function allLimits(scope: Scope): Program<OwnedLimit[]> {
  return limitsWhere(scope, undefined);
}

/** One limit by id, or undefined. */
export function* findLimit(scope: Scope, id: number): Program<LimitView | undefined> {
  return (yield* limitsWhere(scope, eq(scope.t.limits.id, id)))[0]?.view;
}

function* limitsWhere({ db, t }: Scope, where: SQL | undefined): Program<OwnedLimit[]> {
  const found = yield* rows(
    db
      .select({ limit: t.limits, user: t.users.name, llm: t.llms.name, token: t.apiTokens.prefix, tokenUserId: t.apiTokens.userId })
      .from(t.limits)
      .leftJoin(t.users, eq(t.users.id, t.limits.userId))
      .leftJoin(t.llms, eq(t.llms.id, t.limits.llmId))
      .leftJoin(t.apiTokens, eq(t.apiTokens.id, t.limits.tokenId))
      .where(where)
      .orderBy(asc(t.limits.id)),
  );
  return found.map(({ limit, user, llm, token, tokenUserId }) => ({ view: toLimitView(limit, { user, llm, token }), tokenId: limit.tokenId, tokenUserId }));
}

export function toLimitView(row: LimitRow, names: { user: string | null; llm: string | null; token: string | null }): LimitView {
  const scope: LimitScope = row.isDefault ? { default: true } : {};
  if (names.user) scope.user = names.user;
  if (names.llm) scope.llm = names.llm;
  if (names.token) scope.token = names.token;
  return {
    id: row.id,
    scope,
    metric: row.metric as LimitMetric,
    window: row.window as LimitWindow | null,
    max: row.max,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
