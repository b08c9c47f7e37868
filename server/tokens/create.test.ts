import { describe, expect, it } from "vitest";
import { ADMIN_CONTEXT, auditRows, contextFor, useFreshDatabase, currentStore } from "../../tests/helpers/fresh-db";
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
    await createBinding({ ctx: ADMIN_CONTEXT, input: { user: "bob", role: "run", resource: "llms", name: "claude" } });
    const user = [...(await getDirectory(currentStore())).usersById.values()].find((entry) => entry.name === "bob")!;
    return contextFor("bob", user.bindings, user.id);
  }

  it("creates gw_ + 40 base62 characters, stores only the hash and a 12-character prefix, audits", async () => {
    const ctx = await bob();
    const created = await createToken({ ctx, input: { user: "bob", name: "laptop" } });
    expect(created.token).toMatch(/^gw_[0-9A-Za-z]{40}$/);
    expect(created.prefix).toBe(created.token.slice(0, 12));
    expect(JSON.stringify(await listTokens({ ctx }))).not.toContain(created.token);
    expect(JSON.stringify(await auditRows())).not.toContain(created.token);
    expect((await auditRows())[0]).toMatchObject({ event: "token_created", user: "bob" });
    const auth = await authenticateBearer(currentStore(), `Bearer ${created.token}`);
    expect(auth.ok && auth.principal.userName).toBe("bob");
  });

  it("revoked, expired, unknown and disabled-user tokens all fail the same way", async () => {
    const ctx = await bob();
    const revoked = await createToken({ ctx, input: { user: "bob" } });
    await revokeToken({ ctx, input: { prefix: revoked.prefix } });
    expect((await auditRows())[0]).toMatchObject({ event: "token_revoked" });
    const expiring = await createToken({ ctx, input: { user: "bob", expiresInSeconds: 60 } });
    const live = await createToken({ ctx, input: { user: "bob" } });
    const results = [
      await authenticateBearer(currentStore(), `Bearer ${revoked.token}`),
      await authenticateBearer(currentStore(), `Bearer ${expiring.token}`, Date.now() + 61_000),
      await authenticateBearer(currentStore(), "Bearer gw_unknownunknownunknownunknownunknownunkno"),
      await authenticateBearer(currentStore(), "Basic abc"),
    ];
    for (const result of results) expect(result.ok).toBe(false);
    expect((await authenticateBearer(currentStore(), `Bearer ${live.token}`)).ok).toBe(true);
    await updateUser({ ctx: ADMIN_CONTEXT, input: { name: "bob", disabled: true } });
    expect((await authenticateBearer(currentStore(), `Bearer ${live.token}`)).ok).toBe(false);
    await updateUser({ ctx: ADMIN_CONTEXT, input: { name: "bob", disabled: false } });
    expect((await authenticateBearer(currentStore(), `Bearer ${live.token}`)).ok).toBe(true);
    await removeUser({ ctx: ADMIN_CONTEXT, input: { name: "bob" } });
    expect((await authenticateBearer(currentStore(), `Bearer ${live.token}`)).ok).toBe(false);
  });

  it("minting a token for someone else needs create:tokens and every permission they hold", async () => {
    await bob();
    await createUser({ ctx: ADMIN_CONTEXT, input: { name: "carol", password: "carol-password" } });
    const tokenAdmin = contextFor("carol", [{ role: "admin", resource: "tokens", name: null }]);
    await expect(createToken({ ctx: tokenAdmin, input: { user: "bob" } })).rejects.toThrow(/permissions you do not hold/);
    expect((await auditRows())[0]).toMatchObject({ event: "permission_denied", user: "carol" });
    await expect(createToken({ ctx: contextFor("carol", []), input: { user: "bob" } })).rejects.toThrow("missing permission create:tokens:bob");
    const strong = contextFor("carol", [
      { role: "admin", resource: "tokens", name: null },
      { role: "run", resource: "llms", name: null },
    ]);
    expect((await createToken({ ctx: strong, input: { user: "bob" } })).user).toBe("bob");
  });

  it("others' tokens cannot be revoked or listed without permission; unknown prefixes are not found", async () => {
    const ctx = await bob();
    const token = await createToken({ ctx, input: { user: "bob" } });
    await createUser({ ctx: ADMIN_CONTEXT, input: { name: "carol", password: "carol-password" } });
    const carol = contextFor("carol", []);
    expect(await listTokens({ ctx: carol })).toEqual([]);
    await expect(revokeToken({ ctx: carol, input: { prefix: token.prefix } })).rejects.toThrow("missing permission delete:tokens:bob");
    await expect(revokeToken({ ctx: ADMIN_CONTEXT, input: { prefix: "gw_000000000" } })).rejects.toThrow(expect.objectContaining({ code: "not_found" }));
    await expect(revokeToken({ ctx: ADMIN_CONTEXT, input: { prefix: "nope" } })).rejects.toThrow(expect.objectContaining({ code: "invalid_request" }));
  });

  it("parses --expires-in durations", async () => {
    expect(parseDuration("30d")).toBe(30 * 86400);
    expect(parseDuration("12h")).toBe(43200);
    expect(parseDuration("2w")).toBe(1209600);
    expect(parseDuration("soon")).toBeNull();
    expect(parseDuration("10y")).toBeNull();
  });
});
