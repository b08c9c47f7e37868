import { describe, expect, it } from "vitest";
import { ADMIN_CONTEXT, useFreshDatabase, currentStore } from "../../tests/helpers/fresh-db";
import { authenticateBearer } from "../auth/authenticate";
import { createBinding } from "../bindings/create";
import type { Context } from "../context";
import { can, parseScope, scopeBindings } from "../rbac/permissions";
import { createUser } from "../users/create";
import { createToken } from "./create";
import { listTokens } from "./list";
import { revokeToken } from "./revoke";

/** A token may be limited to part of its user's permissions, and one minted by another token never outlives or widens it. */
describe("token scopes and minted tokens", () => {
  useFreshDatabase();

  const setup = async () => {
    await createUser({ ctx: ADMIN_CONTEXT, input: { name: "alice", password: "alice-password" } });
    await createBinding({ ctx: ADMIN_CONTEXT, input: { user: "alice", role: "run", resource: "llms" } });
    await createBinding({ ctx: ADMIN_CONTEXT, input: { user: "alice", role: "view", resource: "audit" } });
  };
  const principalOf = async (token: string) => {
    const auth = await authenticateBearer(currentStore(), `Bearer ${token}`);
    if (!auth.ok) throw new Error("token did not authenticate");
    return auth.principal;
  };
  const asToken = async (token: string): Promise<Context> => ({ principal: await principalOf(token), clientIp: null, store: currentStore() });

  it("intersects bindings role by role, resource by resource, name by name", async () => {
    expect(scopeBindings([{ role: "admin", resource: "*", name: null }], [parseScope("run:llms:gpt")!])).toEqual([
      { role: "run", resource: "llms", name: "gpt" },
    ]);
    expect(scopeBindings([{ role: "edit", resource: "llms", name: null }], [parseScope("view:*")!])).toEqual([{ role: "view", resource: "llms", name: null }]);
    expect(scopeBindings([{ role: "run", resource: "llms", name: "a" }], [parseScope("run:llms:b")!, parseScope("edit:llms")!])).toEqual([]);
    for (const bad of ["run", "fly:llms", "run:planes", "run:llms:Bad Name", "run:llms:a:b"]) expect(parseScope(bad), bad).toBeNull();
  });

  it("a scoped token does only what its scopes allow, even after its user gains more", async () => {
    await setup();
    const scoped = await createToken({ ctx: ADMIN_CONTEXT, input: { user: "alice", name: "ci", scopes: ["run:llms:gpt"] } });
    expect(scoped.scopes).toEqual(["run:llms:gpt"]);
    const principal = await principalOf(scoped.token);
    expect(can(principal.bindings, "run", "llms", "gpt")).toBe(true);
    expect(can(principal.bindings, "run", "llms", "claude")).toBe(false);
    expect(can(principal.bindings, "view", "audit")).toBe(false);
    await createBinding({ ctx: ADMIN_CONTEXT, input: { user: "alice", role: "admin", resource: "*" } });
    expect(can((await principalOf(scoped.token)).bindings, "edit", "llms", "gpt")).toBe(false);
    // An unscoped token carries its user's permissions as they are now, and as they change.
    const plain = await createToken({ ctx: ADMIN_CONTEXT, input: { user: "alice", name: "laptop" } });
    expect(plain.scopes).toBeNull();
    expect(can((await principalOf(plain.token)).bindings, "edit", "llms", "gpt")).toBe(true);
    expect((await listTokens({ ctx: ADMIN_CONTEXT })).map((token) => token.scopes)).toEqual([null, ["run:llms:gpt"]]);
  });

  it("refuses a scope that is not ROLE:RESOURCE[:NAME]", async () => {
    await setup();
    await expect(createToken({ ctx: ADMIN_CONTEXT, input: { user: "alice", scopes: ["run:llms:gpt", "everything"] } })).rejects.toThrow(
      "scopes.1: must be ROLE:RESOURCE[:NAME], e.g. run:llms:gpt or view:audit",
    );
  });

  it("a token minted by a token expires no later than it, ends when it is revoked, and is no wider than it", async () => {
    await setup();
    const parent = await createToken({ ctx: ADMIN_CONTEXT, input: { user: "alice", name: "parent", expiresInSeconds: 3600, scopes: ["run:llms"] } });
    const child = await createToken({ ctx: await asToken(parent.token), input: { user: "alice", name: "child", expiresInSeconds: 30 * 86400 } });
    expect(child.expiresAt).toBe(parent.expiresAt);
    expect(child.scopes).toEqual(["run:llms"]);
    expect(can((await principalOf(child.token)).bindings, "view", "audit")).toBe(false);
    const narrower = await createToken({ ctx: await asToken(parent.token), input: { user: "alice", name: "narrow", scopes: ["admin:*"] } });
    expect(narrower.scopes).toEqual(["run:llms"]);
    await revokeToken({ ctx: ADMIN_CONTEXT, input: { prefix: parent.prefix } });
    expect((await authenticateBearer(currentStore(), `Bearer ${child.token}`)).ok).toBe(false);
    expect((await authenticateBearer(currentStore(), `Bearer ${narrower.token}`)).ok).toBe(false);
  });
});
