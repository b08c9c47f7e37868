import { describe, expect, it } from "vitest";
import { one, rows } from "../../db/program";
import { eq } from "drizzle-orm";
import { ADMIN_CONTEXT, auditRows, contextFor, useFreshDatabase, currentStore } from "../../tests/helpers/fresh-db";
import { createBinding } from "../bindings/create";
import { removeBinding } from "../bindings/remove";
import { createUser } from "./create";
import { removeUser } from "./remove";
import { setUserPassword } from "./set-password";
import { updateUser } from "./update";
import { createSession, lookupSession } from "../auth/sessions";
import { sha256Hex } from "../auth/tokens";

/** Nobody takes over an account stronger than their own, and the gateway always keeps an admin. */
describe("acting on users", () => {
  useFreshDatabase();
  const helpdesk = contextFor("helpdesk", [{ role: "edit", resource: "users", name: null }]);

  const setup = async () => {
    for (const name of ["boss", "alice", "plain"]) await createUser({ ctx: ADMIN_CONTEXT, input: { name, password: `${name}-password` } });
    await createBinding({ ctx: ADMIN_CONTEXT, input: { user: "boss", role: "admin", resource: "*" } });
    await createBinding({ ctx: ADMIN_CONTEXT, input: { user: "alice", role: "run", resource: "llms", name: "gpt" } });
  };

  it("a helpdesk account cannot reset, disable, enable or delete a user who holds more than it does", async () => {
    await setup();
    const refusal = "missing permission view:llms to act on user 'boss', who holds it";
    await expect(setUserPassword({ ctx: helpdesk, input: { name: "boss", password: "taken-over-now" } })).rejects.toThrow(refusal);
    expect((await auditRows())[0]).toMatchObject({ event: "permission_denied", user: "helpdesk", target: "view:llms" });
    await expect(updateUser({ ctx: helpdesk, input: { name: "boss", disabled: true } })).rejects.toThrow(refusal);
    await expect(updateUser({ ctx: helpdesk, input: { name: "boss", disabled: false } })).rejects.toThrow(refusal);
    const deleter = contextFor("helpdesk", [{ role: "edit", resource: "users", name: null }]);
    await expect(removeUser({ ctx: deleter, input: { name: "alice" } })).rejects.toThrow(
      "missing permission run:llms:gpt to act on user 'alice', who holds it",
    );
  });

  it("a user whose permissions the actor holds can be acted on", async () => {
    await setup();
    await setUserPassword({ ctx: helpdesk, input: { name: "plain", password: "a-new-password" } });
    expect((await updateUser({ ctx: helpdesk, input: { name: "plain", disabled: true } })).disabled).toBe(true);
    const runner = contextFor("lead", [
      { role: "edit", resource: "users", name: null },
      { role: "run", resource: "llms", name: null },
    ]);
    expect((await updateUser({ ctx: runner, input: { name: "alice", disabled: true } })).disabled).toBe(true);
    // A display name is no act on the account.
    expect((await updateUser({ ctx: helpdesk, input: { name: "boss", displayName: "Boss" } })).displayName).toBe("Boss");
  });

  it("the last admin cannot be disabled, deleted or lose their last admin binding", async () => {
    await setup();
    const adminBinding = async () =>
      (await currentStore().read(({ db, t }) => rows(db.select().from(t.roleBindings)))).filter((binding) => binding.role === "admin");
    await expect(updateUser({ ctx: ADMIN_CONTEXT, input: { name: "boss", disabled: true } })).rejects.toThrow(
      "user 'boss' is the last admin and cannot be disabled; make another user admin first",
    );
    await expect(removeUser({ ctx: ADMIN_CONTEXT, input: { name: "boss" } })).rejects.toThrow(
      "user 'boss' is the last admin and cannot be deleted; make another user admin first",
    );
    await expect(removeBinding({ ctx: ADMIN_CONTEXT, input: { id: (await adminBinding())[0]!.id } })).rejects.toThrow(
      "this is the last admin binding of the last admin ('boss'); make another user admin first",
    );
    // With a second admin each of these is allowed.
    await createBinding({ ctx: ADMIN_CONTEXT, input: { user: "alice", role: "admin", resource: "*" } });
    await removeBinding({ ctx: ADMIN_CONTEXT, input: { id: (await adminBinding())[0]!.id } });
    await createBinding({ ctx: ADMIN_CONTEXT, input: { user: "boss", role: "admin", resource: "*" } });
    expect((await updateUser({ ctx: ADMIN_CONTEXT, input: { name: "boss", disabled: true } })).disabled).toBe(true);
    // A disabled admin does not count: alice is now the last one.
    await expect(removeUser({ ctx: ADMIN_CONTEXT, input: { name: "alice" } })).rejects.toThrow("user 'alice' is the last admin");
    await updateUser({ ctx: ADMIN_CONTEXT, input: { name: "boss", disabled: false } });
    await removeUser({ ctx: ADMIN_CONTEXT, input: { name: "alice" } });
  });
});

describe("password changes and sessions", () => {
  useFreshDatabase();

  it("changing one's own password ends every other session of the user and keeps the one in use", async () => {
    await createUser({ ctx: ADMIN_CONTEXT, input: { name: "alice", password: "alice-password" } });
    const user = (await currentStore().read(({ db, t }) => one(db.select().from(t.users).where(eq(t.users.name, "alice")))))!;
    const current = await createSession(currentStore(), user.id);
    const elsewhere = await createSession(currentStore(), user.id);
    const ctx = {
      principal: { userId: user.id, userName: "alice", bindings: [], via: "session" as const, tokenId: null, tokenSha: null, sessionHash: sha256Hex(current) },
      clientIp: null,
      store: currentStore(),
    };
    await setUserPassword({ ctx, input: { name: "alice", currentPassword: "alice-password", password: "a-new-password" } });
    expect(await lookupSession(currentStore(), current)).toBe(user.id);
    expect(await lookupSession(currentStore(), elsewhere)).toBeNull();
  });
});
