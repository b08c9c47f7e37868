import { describe, expect, it } from "vitest";
import { can, holdsEverything, RESOURCES, ROLES, VERBS, type Binding, type Resource, type Role, type Verb } from "./permissions";

const EXPECTED: Record<Role, Verb[]> = {
  view: ["view"],
  edit: ["view", "create", "edit", "delete"],
  run: ["run"],
  admin: ["view", "create", "edit", "delete", "run"],
};

describe("can: role × verb × resource × scope", () => {
  const cases: Array<{ role: Role; verb: Verb; resource: Resource; scope: "unscoped" | "scoped-same" | "scoped-other" | "star"; expected: boolean }> = [];
  for (const role of ROLES)
    for (const verb of VERBS)
      for (const resource of RESOURCES)
        for (const scope of ["unscoped", "scoped-same", "scoped-other", "star"] as const)
          cases.push({ role, verb, resource, scope, expected: EXPECTED[role].includes(verb) && scope !== "scoped-other" });

  it.each(cases)("$role on $resource ($scope) → $verb = $expected", ({ role, verb, resource, scope, expected }) => {
    const binding: Binding =
      scope === "star" ? { role, resource: "*", name: null } : { role, resource, name: scope === "unscoped" ? null : scope === "scoped-same" ? "a" : "b" };
    expect(can([binding], verb, resource, "a")).toBe(expected);
  });

  it("a binding on one resource grants nothing on another", async () => {
    expect(can([{ role: "admin", resource: "llms", name: null }], "view", "secrets", "x")).toBe(false);
  });

  it("edit:llms does not grant run", async () => {
    expect(can([{ role: "edit", resource: "llms", name: null }], "run", "llms", "claude")).toBe(false);
  });

  it("a binding on llm a grants nothing on llm b, nor on the collection", async () => {
    const bindings: Binding[] = [{ role: "admin", resource: "llms", name: "a" }];
    expect(can(bindings, "run", "llms", "a")).toBe(true);
    expect(can(bindings, "run", "llms", "b")).toBe(false);
    expect(can(bindings, "view", "llms", null)).toBe(false);
  });

  it("denies by default", async () => {
    expect(can([], "view", "llms", "a")).toBe(false);
  });
});

describe("holdsEverything (no escalation)", () => {
  const editor: Binding[] = [{ role: "edit", resource: "llms", name: null }];
  it("allows granting what the holder has", async () => {
    expect(holdsEverything(editor, [{ role: "view", resource: "llms", name: "a" }])).toBe(true);
    expect(holdsEverything(editor, [{ role: "edit", resource: "llms", name: null }])).toBe(true);
  });
  it("refuses run when the holder only edits", async () => {
    expect(holdsEverything(editor, [{ role: "run", resource: "llms", name: "a" }])).toBe(false);
  });
  it("refuses * when the holder has one resource", async () => {
    expect(holdsEverything([{ role: "admin", resource: "llms", name: null }], [{ role: "view", resource: "*", name: null }])).toBe(false);
  });
  it("refuses an unscoped grant when the holder is scoped", async () => {
    expect(holdsEverything([{ role: "admin", resource: "llms", name: "a" }], [{ role: "run", resource: "llms", name: null }])).toBe(false);
  });
});
