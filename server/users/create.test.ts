import { describe, expect, it } from "vitest";
import { ADMIN_CONTEXT, auditRows, contextFor, useFreshDatabase } from "../../tests/helpers/fresh-db";
import { getDb } from "../../db/client";
import { users } from "../../db/schema";
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
    const row = getDb().select().from(users).all()[0]!;
    expect(row.passwordHash).toMatch(/^scrypt\$/);
    expect(row.passwordHash).not.toContain("correct horse");
    expect(await verifyPassword("correct horse", row.passwordHash)).toBe(true);
    expect(await verifyPassword("wrong", row.passwordHash)).toBe(false);
    expect(auditRows()[0]).toMatchObject({ event: "user_created", target: "user alice" });
    expect(JSON.stringify(auditRows())).not.toContain("correct horse");
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
    expect(() => updateUser({ ctx: viewer, input: { name: "alice", disabled: true } })).toThrow("missing permission edit:users:alice");
    expect(() => removeUser({ ctx: viewer, input: { name: "alice" } })).toThrow("missing permission delete:users:alice");
    await expect(setUserPassword({ ctx: viewer, input: { name: "alice", password: "new-password" } })).rejects.toThrow("missing permission edit:users:alice");
    expect(listUsers({ ctx: viewer }).map((user) => user.name)).toEqual(["alice"]);
    expect(listUsers({ ctx: contextFor("alice", []) }).map((user) => user.name)).toEqual(["alice"]);
  });

  it("own password change needs the current password", async () => {
    await createUser({ ctx: ADMIN_CONTEXT, input: { name: "alice", password: "first-password" } });
    const alice = contextFor("alice", []);
    await expect(setUserPassword({ ctx: alice, input: { name: "alice", password: "second-password", currentPassword: "nope" } })).rejects.toMatchObject({
      param: "currentPassword",
    });
    await setUserPassword({ ctx: alice, input: { name: "alice", password: "second-password", currentPassword: "first-password" } });
    expect(await verifyPassword("second-password", getDb().select().from(users).all()[0]!.passwordHash)).toBe(true);
    expect(auditRows()[0]).toMatchObject({ event: "user_password_changed" });
  });

  it("disable/enable/delete audit; not found; cannot disable or delete oneself", async () => {
    await createUser({ ctx: ADMIN_CONTEXT, input: { name: "alice", password: "long-enough" } });
    expect(updateUser({ ctx: ADMIN_CONTEXT, input: { name: "alice", disabled: true } }).disabled).toBe(true);
    expect(auditRows()[0]).toMatchObject({ event: "user_disabled" });
    updateUser({ ctx: ADMIN_CONTEXT, input: { name: "alice", disabled: false } });
    expect(auditRows()[0]).toMatchObject({ event: "user_enabled" });
    expect(() => updateUser({ ctx: ADMIN_CONTEXT, input: { name: "ghost", disabled: true } })).toThrow(expect.objectContaining({ code: "not_found" }));
    expect(() => updateUser({ ctx: ADMIN_CONTEXT, input: { name: "root", disabled: true } })).toThrow("you cannot disable yourself");
    removeUser({ ctx: ADMIN_CONTEXT, input: { name: "alice" } });
    expect(auditRows()[0]).toMatchObject({ event: "user_deleted" });
    expect(() => removeUser({ ctx: ADMIN_CONTEXT, input: { name: "root" } })).toThrow("you cannot delete yourself");
  });
});
