import { describe, expect, it } from "vitest";
import { ADMIN_CONTEXT, auditRows, contextFor, currentStore, useFreshDatabase } from "../../tests/helpers/fresh-db";
import { rows } from "../../db/program";
import { createUser } from "./create";
import { listUsers } from "./list";
import { removeUser } from "./remove";
import { setUserPassword } from "./set-password";
import { updateUser } from "./update";
import { verifyPassword } from "../auth/passwords";

describe("users", () => {
  useFreshDatabase();

  it("creates with a scrypt hash (never the password) and audits", async () => {
    const user = await createUser({ ctx: ADMIN_CONTEXT, input: { name: "alice", password: "correct horse", displayName: "Alice" } });
    expect(user).toMatchObject({ name: "alice", displayName: "Alice", disabled: false });
    const row = (await currentStore().read(({ db, t }) => rows(db.select().from(t.users))))[0]!;
    expect(row.passwordHash).toMatch(/^scrypt\$/);
    expect(row.passwordHash).not.toContain("correct horse");
    expect(await verifyPassword("correct horse", row.passwordHash)).toBe(true);
    expect(await verifyPassword("wrong", row.passwordHash)).toBe(false);
    expect((await auditRows())[0]).toMatchObject({ event: "user_created", target: "user alice" });
    expect(JSON.stringify(await auditRows())).not.toContain("correct horse");
  });

  it("validates names and passwords; duplicates conflict", async () => {
    await expect(createUser({ ctx: ADMIN_CONTEXT, input: { name: "Alice", password: "long-enough" } })).rejects.toMatchObject({ param: "name" });
    await expect(createUser({ ctx: ADMIN_CONTEXT, input: { name: "alice", password: "short" } })).rejects.toMatchObject({ param: "password" });
    await createUser({ ctx: ADMIN_CONTEXT, input: { name: "alice", password: "long-enough" } });
    await expect(createUser({ ctx: ADMIN_CONTEXT, input: { name: "alice", password: "long-enough" } })).rejects.toMatchObject({ code: "conflict" });
  });

  it("every mutation is forbidden without the permission", async () => {
    await createUser({ ctx: ADMIN_CONTEXT, input: { name: "alice", password: "long-enough" } });
    const viewer = contextFor("bob", [{ role: "view", resource: "users", name: null }]);
    await expect(createUser({ ctx: viewer, input: { name: "x", password: "long-enough" } })).rejects.toThrow("missing permission create:users:x");
    await expect(updateUser({ ctx: viewer, input: { name: "alice", disabled: true } })).rejects.toThrow("missing permission edit:users:alice");
    await expect(removeUser({ ctx: viewer, input: { name: "alice" } })).rejects.toThrow("missing permission delete:users:alice");
    await expect(setUserPassword({ ctx: viewer, input: { name: "alice", password: "new-password" } })).rejects.toThrow("missing permission edit:users:alice");
    expect((await listUsers({ ctx: viewer })).map((user) => user.name)).toEqual(["alice"]);
    expect((await listUsers({ ctx: contextFor("alice", []) })).map((user) => user.name)).toEqual(["alice"]);
  });

  it("own password change needs the current password", async () => {
    await createUser({ ctx: ADMIN_CONTEXT, input: { name: "alice", password: "first-password" } });
    const alice = contextFor("alice", []);
    await expect(setUserPassword({ ctx: alice, input: { name: "alice", password: "second-password", currentPassword: "nope" } })).rejects.toMatchObject({
      param: "currentPassword",
    });
    await setUserPassword({ ctx: alice, input: { name: "alice", password: "second-password", currentPassword: "first-password" } });
    expect(await verifyPassword("second-password", (await currentStore().read(({ db, t }) => rows(db.select().from(t.users))))[0]!.passwordHash)).toBe(true);
    expect((await auditRows())[0]).toMatchObject({ event: "user_password_changed" });
  });

  it("disable/enable/delete audit; not found; cannot disable or delete oneself", async () => {
    await createUser({ ctx: ADMIN_CONTEXT, input: { name: "alice", password: "long-enough" } });
    expect((await updateUser({ ctx: ADMIN_CONTEXT, input: { name: "alice", disabled: true } })).disabled).toBe(true);
    expect((await auditRows())[0]).toMatchObject({ event: "user_disabled" });
    await updateUser({ ctx: ADMIN_CONTEXT, input: { name: "alice", disabled: false } });
    expect((await auditRows())[0]).toMatchObject({ event: "user_enabled" });
    await expect(updateUser({ ctx: ADMIN_CONTEXT, input: { name: "ghost", disabled: true } })).rejects.toThrow(expect.objectContaining({ code: "not_found" }));
    await expect(updateUser({ ctx: ADMIN_CONTEXT, input: { name: "root", disabled: true } })).rejects.toThrow("you cannot disable yourself");
    await removeUser({ ctx: ADMIN_CONTEXT, input: { name: "alice" } });
    expect((await auditRows())[0]).toMatchObject({ event: "user_deleted" });
    await expect(removeUser({ ctx: ADMIN_CONTEXT, input: { name: "root" } })).rejects.toThrow("you cannot delete yourself");
  });
});
