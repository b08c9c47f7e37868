import { describe, expect, it } from "vitest";
import { ADMIN_CONTEXT, contextFor, useFreshDatabase, currentStore } from "../../tests/helpers/fresh-db";
import { listAuditFilterOptions } from "./list-filter-options";
import { insertAuditRows } from "./test-rows";

describe("listAuditFilterOptions", () => {
  useFreshDatabase();

  it("lists the distinct events, users and llms, sorted, without nulls", async () => {
    await insertAuditRows(currentStore(), [
      { ts: 1, user: "bob", llm: "b" },
      { ts: 2, user: "alice", llm: "a" },
      { ts: 3, user: "bob", llm: "a" },
      { ts: 4, event: "login", user: null, llm: null },
    ]);
    expect(await listAuditFilterOptions({ ctx: ADMIN_CONTEXT })).toEqual({
      events: ["llm_inference_call", "login"],
      users: ["alice", "bob"],
      llms: ["a", "b"],
    });
  });

  it("is forbidden without view:audit", async () => {
    await expect(listAuditFilterOptions({ ctx: contextFor("eve", []) })).rejects.toThrow("missing permission view:audit");
  });
});
