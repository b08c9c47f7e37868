import { describe, expect, it } from "vitest";
import { ADMIN_CONTEXT, auditRows, contextFor, useFreshDatabase } from "../../tests/helpers/fresh-db";
import { authenticateBearer } from "../auth/authenticate";
import { getDirectory } from "../auth/directory";
import { createBinding } from "../bindings/create";
import { createUser } from "../users/create";
import { updateUser } from "../users/update";
import { removeUser } from "../users/remove";
import { createToken } from "./create";
import { listTokens } from "./list";
import { revokeToken } from "./revoke";
import { parseDuration } from "./schemas";
import type { Context } from "../context";

describe("api tokens", () => {
  useFreshDatabase();

  async function bob(): Promise<Context> {
    await createUser({ ctx: ADMIN_CONTEXT, input: { name: "bob", password: "bob-password" } });
    createBinding({ ctx: ADMIN_CONTEXT, input: { user: "bob", role: "run", resource: "llms", name: "claude" } });
    const user = [...getDirectory().usersById.values()].find((entry) => entry.name === "bob")!;
    return contextFor("bob", user.bindings, user.id);
  }

  it("creates gw_ + 40 base62 characters, stores only the hash and a 12-character prefix, audits", async () => {
    const ctx = await bob();
    const created = createToken({ ctx, input: { user: "bob", name: "laptop" } });
    expect(created.token).toMatch(/^gw_[0-9A-Za-z]{40}$/);
    expect(created.prefix).toBe(created.token.slice(0, 12));
    expect(JSON.stringify(listTokens({ ctx }))).not.toContain(created.token);
    expect(JSON.stringify(auditRows())).not.toContain(created.token);
    expect(auditRows()[0]).toMatchObject({ event: "token_created", user: "bob" });
    const auth = authenticateBearer(`Bearer ${created.token}`);
    expect(auth.ok && auth.principal.userName).toBe("bob");
  });

  it("revoked, expired, unknown and disabled-user tokens all fail the same way", async () => {
    const ctx = await bob();
    const revoked = createToken({ ctx, input: { user: "bob" } });
    revokeToken({ ctx, input: { prefix: revoked.prefix } });
    expect(auditRows()[0]).toMatchObject({ event: "token_revoked" });
    const expiring = createToken({ ctx, input: { user: "bob", expiresInSeconds: 60 } });
    const live = createToken({ ctx, input: { user: "bob" } });
    const results = [
      authenticateBearer(`Bearer ${revoked.token}`),
      authenticateBearer(`Bearer ${expiring.token}`, Date.now() + 61_000),
      authenticateBearer("Bearer gw_unknownunknownunknownunknownunknownunkno"),
      authenticateBearer("Basic abc"),
    ];
    for (const result of results) expect(result.ok).toBe(false);
    expect(authenticateBearer(`Bearer ${live.token}`).ok).toBe(true);
    updateUser({ ctx: ADMIN_CONTEXT, input: { name: "bob", disabled: true } });
    expect(authenticateBearer(`Bearer ${live.token}`).ok).toBe(false);
    updateUser({ ctx: ADMIN_CONTEXT, input: { name: "bob", disabled: false } });
    expect(authenticateBearer(`Bearer ${live.token}`).ok).toBe(true);
    removeUser({ ctx: ADMIN_CONTEXT, input: { name: "bob" } });
    expect(authenticateBearer(`Bearer ${live.token}`).ok).toBe(false);
  });

  it("minting a token for someone else needs create:tokens and every permission they hold", async () => {
    await bob();
    await createUser({ ctx: ADMIN_CONTEXT, input: { name: "carol", password: "carol-password" } });
    const tokenAdmin = contextFor("carol", [{ role: "admin", resource: "tokens", name: null }]);
    expect(() => createToken({ ctx: tokenAdmin, input: { user: "bob" } })).toThrow(/permissions you do not hold/);
    expect(auditRows()[0]).toMatchObject({ event: "permission_denied", user: "carol" });
    expect(() => createToken({ ctx: contextFor("carol", []), input: { user: "bob" } })).toThrow("missing permission create:tokens:bob");
    const strong = contextFor("carol", [
      { role: "admin", resource: "tokens", name: null },
      { role: "run", resource: "llms", name: null },
    ]);
    expect(createToken({ ctx: strong, input: { user: "bob" } }).user).toBe("bob");
  });

  it("others' tokens cannot be revoked or listed without permission; unknown prefixes are not found", async () => {
    const ctx = await bob();
    const token = createToken({ ctx, input: { user: "bob" } });
    await createUser({ ctx: ADMIN_CONTEXT, input: { name: "carol", password: "carol-password" } });
    const carol = contextFor("carol", []);
    expect(listTokens({ ctx: carol })).toEqual([]);
    expect(() => revokeToken({ ctx: carol, input: { prefix: token.prefix } })).toThrow("missing permission delete:tokens:bob");
    expect(() => revokeToken({ ctx: ADMIN_CONTEXT, input: { prefix: "gw_000000000" } })).toThrow(expect.objectContaining({ code: "not_found" }));
    expect(() => revokeToken({ ctx: ADMIN_CONTEXT, input: { prefix: "nope" } })).toThrow(expect.objectContaining({ code: "invalid_request" }));
  });

  it("parses --expires-in durations", () => {
    expect(parseDuration("30d")).toBe(30 * 86400);
    expect(parseDuration("12h")).toBe(43200);
    expect(parseDuration("2w")).toBe(1209600);
    expect(parseDuration("soon")).toBeNull();
    expect(parseDuration("10y")).toBeNull();
  });
});
