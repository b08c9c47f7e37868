import { describe, expect, it } from "vitest";
import { safeNext } from "./safe-next";

describe("safeNext", () => {
  it("keeps same-origin paths", async () => {
    expect(safeNext("/llms/gpt?tab=1#x")).toBe("/llms/gpt?tab=1#x");
    expect(safeNext("/audit")).toBe("/audit");
    // Still encoded, %09 is part of a path here; decoded (as the login page reads it) it is refused below.
    expect(safeNext("/%09/evil.example")).toBe("/%09/evil.example");
  });

  it.each([
    "//evil.example",
    "/\\evil.example",
    "/\t/evil.example",
    "/\t\t//evil.example",
    "/\n/evil.example",
    "\\/evil.example",
    "/\\/evil.example",
    "https://evil.example/x",
    "javascript:alert(1)",
    "",
    null,
  ])("sends %j to the console's start page", async (next) => {
    expect(safeNext(next)).toBe("/");
  });
});
