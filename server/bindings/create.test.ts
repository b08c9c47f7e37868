import { describe, expect, it } from "vitest";
import { ADMIN_CONTEXT, auditRows, contextFor, currentStore, useFreshDatabase } from "../../tests/helpers/fresh-db";
import { createUser } from "../users/create";
import { createBinding } from "./create";
import { listBindings } from "./list";
import { removeBinding } from "./remove";
import { getDirectory } from "../auth/directory";

describe("role bindings", () => {
  useFreshDatabase();

  async function withUsers() {
    await createUser({ ctx: ADMIN_CONTEXT, input: { name: "alice", password: "alice-password" } });
    await createUser({ ctx: ADMIN_CONTEXT, input: { name: "bob", password: "bob-password" } });
  }

  it("creates a binding, audits it, and the directory sees it at once", async () => {
    await withUsers();
    const binding = await createBinding({ ctx: ADMIN_CONTEXT, input: { user: "alice", role: "run", resource: "llms", name: "claude" } });
    expect(binding).toMatchObject({ user: "alice", role: "run", resource: "llms", name: "claude" });
    expect((await auditRows())[0]).toMatchObject({ event: "rolebinding_created" });
    const alice = [...(await getDirectory(currentStore())).usersById.values()].find((user) => user.name === "alice");
    expect(alice?.bindings).toEqual([{ role: "run", resource: "llms", name: "claude" }]);
  });

  it("refuses escalation: a binding admin cannot grant what they do not hold", async () => {
    await withUsers();
    const bindingAdmin = contextFor("alice", [
      { role: "admin", resource: "rolebindings", name: null },
      { role: "edit", resource: "llms", name: null },
    ]);
    await expect(createBinding({ ctx: bindingAdmin, input: { user: "bob", role: "run", resource: "llms", name: "claude" } })).rejects.toThrow(
      /do not hold every permission/,
    );
    await expect(createBinding({ ctx: bindingAdmin, input: { user: "alice", role: "admin", resource: "*" } })).rejects.toThrow(/do not hold every permission/);
    expect((await auditRows())[0]).toMatchObject({ event: "permission_denied", user: "alice" });
    expect((await createBinding({ ctx: bindingAdmin, input: { user: "bob", role: "view", resource: "llms" } })).role).toBe("view");
  });

  it("is forbidden without create:rolebindings, even for someone holding the permissions", async () => {
    await withUsers();
    const llmAdmin = contextFor("alice", [{ role: "admin", resource: "llms", name: null }]);
    await expect(createBinding({ ctx: llmAdmin, input: { user: "bob", role: "run", resource: "llms" } })).rejects.toThrow(
      "missing permission create:rolebindings:bob",
    );
  });

  it("validates: unknown user, bad role, named binding on *, duplicate", async () => {
    await withUsers();
    await expect(createBinding({ ctx: ADMIN_CONTEXT, input: { user: "ghost", role: "run", resource: "llms" } })).rejects.toThrow(
      expect.objectContaining({ code: "not_found" }),
    );
    await expect(createBinding({ ctx: ADMIN_CONTEXT, input: { user: "bob", role: "owner" as never, resource: "llms" } })).rejects.toThrow(
      expect.objectContaining({ param: "role" }),
    );
    await expect(createBinding({ ctx: ADMIN_CONTEXT, input: { user: "bob", role: "run", resource: "*", name: "x" } })).rejects.toThrow(
      expect.objectContaining({ param: "name" }),
    );
    await createBinding({ ctx: ADMIN_CONTEXT, input: { user: "bob", role: "run", resource: "llms" } });
    await expect(createBinding({ ctx: ADMIN_CONTEXT, input: { user: "bob", role: "run", resource: "llms" } })).rejects.toThrow(
      expect.objectContaining({ code: "conflict" }),
    );
  });

  it("removes by id with the permission; lists what the caller may view plus their own", async () => {
    await withUsers();
    const bobs = await createBinding({ ctx: ADMIN_CONTEXT, input: { user: "bob", role: "run", resource: "llms" } });
    await createBinding({ ctx: ADMIN_CONTEXT, input: { user: "alice", role: "view", resource: "audit" } });
    expect((await listBindings({ ctx: contextFor("bob", []) })).map((binding) => binding.user)).toEqual(["bob"]);
    await expect(removeBinding({ ctx: contextFor("bob", []), input: { id: bobs.id } })).rejects.toThrow("missing permission delete:rolebindings:bob");
    await expect(removeBinding({ ctx: ADMIN_CONTEXT, input: { id: 9999 } })).rejects.toThrow(expect.objectContaining({ code: "not_found" }));
    await removeBinding({ ctx: ADMIN_CONTEXT, input: { id: bobs.id } });
    expect((await listBindings({ ctx: ADMIN_CONTEXT })).map((binding) => binding.user)).toEqual(["alice"]);
    expect((await auditRows())[0]).toMatchObject({ event: "rolebinding_deleted" });
  });
});
