import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { one } from "../../db/program";
import { ADMIN_CONTEXT, auditRows, contextFor, currentStore, useFreshDatabase } from "../../tests/helpers/fresh-db";
import { createBinding } from "../bindings/create";
import { createLlm } from "../llms/create";
import { createToken } from "../tokens/create";
import { listTokens } from "../tokens/list";
import { createUser } from "../users/create";
import { removeUser } from "../users/remove";
import { createLimit } from "./create";
import { listLimits } from "./list";
import { removeLimit } from "./remove";
import type { CreateLimitInput } from "./schemas";
import { updateLimit } from "./update";

async function setup() {
  for (const name of ["alice", "bob"]) await createUser({ ctx: ADMIN_CONTEXT, input: { name, password: `${name}-password` } });
  for (const name of ["gpt", "claude"]) await createLlm({ ctx: ADMIN_CONTEXT, input: { name, provider: "openai", model: "gpt-4o" } });
  await createBinding({ ctx: ADMIN_CONTEXT, input: { user: "alice", role: "run", resource: "llms", name: "gpt" } });
  await createToken({ ctx: ADMIN_CONTEXT, input: { user: "alice", name: "ci" } });
  await createToken({ ctx: ADMIN_CONTEXT, input: { user: "bob", name: "ci" } });
  const tokens = await listTokens({ ctx: ADMIN_CONTEXT });
  return { aliceToken: tokens.find((token) => token.user === "alice")!.prefix, bobToken: tokens.find((token) => token.user === "bob")!.prefix };
}

const create = (input: CreateLimitInput) => createLimit({ ctx: ADMIN_CONTEXT, input });

describe("limits", () => {
  useFreshDatabase();

  it("are created for each kind of scope, named back by the list and audited", async () => {
    const { aliceToken } = await setup();
    const made = [
      await create({ scope: { user: "alice" }, metric: "cost_usd", window: "day", max: 2.5 }),
      await create({ scope: { user: "alice", llm: "gpt" }, metric: "requests", window: "minute", max: 60 }),
      await create({ scope: { token: aliceToken }, metric: "total_tokens", window: "hour", max: 100_000 }),
      await create({ scope: { llm: "claude" }, metric: "concurrent", max: 8 }),
      await create({ scope: { default: true }, metric: "cost_usd", window: "month", max: 50 }),
    ];
    expect(made.map((limit) => limit.scope)).toEqual([
      { user: "alice" },
      { user: "alice", llm: "gpt" },
      { token: aliceToken },
      { llm: "claude" },
      { default: true },
    ]);
    expect(made[3]).toMatchObject({ metric: "concurrent", window: null, max: 8 });
    // Listed as made, with how full each is now (nothing used yet).
    expect(await listLimits({ ctx: ADMIN_CONTEXT })).toEqual(
      made.map((limit) => ({ ...limit, used: 0, reserved: 0, remaining: limit.max, resetsAt: limit.window ? expect.any(String) : null, fullestUser: null })),
    );
    const events = (await auditRows()).filter((row) => row.event === "limit_created");
    expect(events.map((row) => row.target)).toContain(`limit ${made[1]!.id}: user alice on llm gpt: requests per minute ≤ 60`);
    expect(events.map((row) => row.target)).toContain(`limit ${made[3]!.id}: llm claude (all callers): concurrent ≤ 8`);
  });

  it("change only their max, are deleted, and go with what they name", async () => {
    await setup();
    const limit = await create({ scope: { user: "bob" }, metric: "requests", window: "day", max: 100 });
    expect((await updateLimit({ ctx: ADMIN_CONTEXT, input: { id: limit.id, max: 250 } })).max).toBe(250);
    expect((await auditRows())[0]).toMatchObject({ event: "limit_updated", target: `limit ${limit.id}: user bob: requests per day ≤ 250 (was 100)` });
    await expect(updateLimit({ ctx: ADMIN_CONTEXT, input: { id: limit.id, max: 2.5 } })).rejects.toThrow(expect.objectContaining({ param: "max" }));
    await removeLimit({ ctx: ADMIN_CONTEXT, input: { id: limit.id } });
    expect((await auditRows())[0]).toMatchObject({ event: "limit_deleted", target: `limit ${limit.id}: user bob: requests per day ≤ 250` });
    await expect(removeLimit({ ctx: ADMIN_CONTEXT, input: { id: limit.id } })).rejects.toThrow(expect.objectContaining({ code: "not_found" }));
    await expect(updateLimit({ ctx: ADMIN_CONTEXT, input: { id: 9999, max: 1 } })).rejects.toThrow(expect.objectContaining({ code: "not_found" }));
    // Deleting the user deletes the limits that name them.
    await create({ scope: { user: "bob" }, metric: "cost_usd", window: "month", max: 10 });
    await removeUser({ ctx: ADMIN_CONTEXT, input: { name: "bob" } });
    expect(await listLimits({ ctx: ADMIN_CONTEXT })).toEqual([]);
  });

  it("a second limit on the same scope, metric and window is a conflict", async () => {
    await setup();
    const first = await create({ scope: { llm: "gpt" }, metric: "requests", window: "minute", max: 10 });
    await expect(create({ scope: { llm: "gpt" }, metric: "requests", window: "minute", max: 20 })).rejects.toThrow(
      expect.objectContaining({ code: "conflict", message: expect.stringContaining(`limit ${first.id} already counts requests per minute`) }),
    );
    // Another window or another scope is another limit.
    await create({ scope: { llm: "gpt" }, metric: "requests", window: "hour", max: 300 });
    await create({ scope: { user: "alice", llm: "gpt" }, metric: "requests", window: "minute", max: 5 });
  });

  it.each<[string, unknown, string]>([
    ["a negative max", { scope: { user: "alice" }, metric: "requests", window: "day", max: -1 }, "max"],
    ["a max that is not a number", { scope: { user: "alice" }, metric: "requests", window: "day", max: "10" }, "max"],
    ["a fractional count", { scope: { user: "alice" }, metric: "input_tokens", window: "day", max: 10.5 }, "max"],
    ["an unknown metric", { scope: { user: "alice" }, metric: "dollars", window: "day", max: 1 }, "metric"],
    ["an unknown window", { scope: { user: "alice" }, metric: "requests", window: "week", max: 1 }, "window"],
    ["a window on concurrent", { scope: { user: "alice" }, metric: "concurrent", window: "minute", max: 1 }, "window"],
    ["no window on a budget", { scope: { user: "alice" }, metric: "cost_usd", max: 1 }, "window"],
    ["a user and a token together", { scope: { user: "alice", token: "gw_abcd" }, metric: "requests", window: "day", max: 1 }, "scope"],
    ["the default and an Llm together", { scope: { default: true, llm: "gpt" }, metric: "requests", window: "day", max: 1 }, "scope"],
    ["an empty scope", { scope: {}, metric: "requests", window: "day", max: 1 }, "scope"],
    ["an unknown user", { scope: { user: "nobody" }, metric: "requests", window: "day", max: 1 }, "scope.user"],
    ["an unknown Llm", { scope: { user: "alice", llm: "nothing" }, metric: "requests", window: "day", max: 1 }, "scope.llm"],
    ["an unknown token", { scope: { token: "gw_nosuchtoken" }, metric: "requests", window: "day", max: 1 }, "scope.token"],
  ])("refuses %s, naming the field", async (_case, input, param) => {
    await setup();
    await expect(create(input as CreateLimitInput)).rejects.toThrow(expect.objectContaining({ code: "invalid_request", param }));
    expect(await listLimits({ ctx: ADMIN_CONTEXT })).toEqual([]);
  });

  it("every mutation needs its permission, and each refusal is audited", async () => {
    await setup();
    const limit = await create({ scope: { default: true }, metric: "requests", window: "day", max: 1000 });
    const viewer = contextFor("vera", [{ role: "view", resource: "limits", name: null }]);
    await expect(createLimit({ ctx: viewer, input: { scope: { user: "alice" }, metric: "requests", window: "day", max: 1 } })).rejects.toThrow(
      "missing permission create:limits",
    );
    await expect(updateLimit({ ctx: viewer, input: { id: limit.id, max: 1 } })).rejects.toThrow("missing permission edit:limits");
    await expect(removeLimit({ ctx: viewer, input: { id: limit.id } })).rejects.toThrow("missing permission delete:limits");
    const denied = (await auditRows()).filter((row) => row.event === "permission_denied").map((row) => row.target);
    expect(denied).toEqual(expect.arrayContaining(["create:limits", "edit:limits", "delete:limits"]));
    expect((await listLimits({ ctx: viewer })).map((each) => each.max)).toEqual([1000]);
    // An editor of limits manages them.
    const editor = contextFor("ed", [{ role: "edit", resource: "limits", name: null }]);
    expect((await updateLimit({ ctx: editor, input: { id: limit.id, max: 500 } })).max).toBe(500);
  });

  it("without view:limits a caller sees only the limits on their own calls", async () => {
    const { aliceToken, bobToken } = await setup();
    const ids = {
      aliceUser: (await create({ scope: { user: "alice" }, metric: "cost_usd", window: "day", max: 1 })).id,
      aliceToken: (await create({ scope: { token: aliceToken }, metric: "requests", window: "hour", max: 10 })).id,
      gptForAll: (await create({ scope: { llm: "gpt" }, metric: "concurrent", max: 4 })).id,
      everyone: (await create({ scope: { default: true }, metric: "cost_usd", window: "month", max: 20 })).id,
      bobUser: (await create({ scope: { user: "bob" }, metric: "cost_usd", window: "day", max: 5 })).id,
      bobToken: (await create({ scope: { token: bobToken }, metric: "requests", window: "hour", max: 10 })).id,
      claudeForAll: (await create({ scope: { llm: "claude" }, metric: "concurrent", max: 4 })).id,
    };
    const alice = contextFor("alice", [{ role: "run", resource: "llms", name: "gpt" }], await userIdOf("alice"));
    expect((await listLimits({ ctx: alice })).map((limit) => limit.id).sort()).toEqual([ids.aliceUser, ids.aliceToken, ids.gptForAll, ids.everyone].sort());
  });
});

async function userIdOf(name: string): Promise<number> {
  const row = await currentStore().read(({ db, t }) => one(db.select({ id: t.users.id }).from(t.users).where(eq(t.users.name, name))));
  return row!.id;
}
