import { describe, expect, it } from "vitest";
import { densifyHours, exportUrl, niceMax, parseAuditSearch, resolveFilter, toAuditSearch } from "./audit-filter-state";

describe("audit URL state", () => {
  it("defaults to the last 24 hours and drops defaults from the URL", async () => {
    const state = parseAuditSearch(new URLSearchParams(""));
    expect(state).toEqual({ event: "", user: "", llm: "", api: "", status: "", range: "24h", from: null, to: null });
    expect(toAuditSearch(state)).toBe("");
  });

  it("round-trips filters and custom ranges; ignores junk", async () => {
    const text = "event=llm_inference_call&user=alice&llm=gpt&status=4&range=custom&from=1000&to=2000";
    expect(toAuditSearch(parseAuditSearch(new URLSearchParams(text)))).toBe(text);
    expect(parseAuditSearch({ range: "forever", status: "9", from: "soon" })).toMatchObject({ range: "24h", status: "", from: null });
  });

  it("resolves relative ranges against now and custom ranges as given", async () => {
    const now = 10_000_000_000;
    expect(resolveFilter(parseAuditSearch({ user: "bob", status: "5" }), now)).toEqual({ user: "bob", statusClass: 5, from: now - 86_400_000 });
    expect(resolveFilter(parseAuditSearch({ api: "messages" }), now)).toEqual({ api: "messages", from: now - 86_400_000 });
    // An API the gateway does not speak is no filter at all.
    expect(parseAuditSearch({ api: "completions" }).api).toBe("");
    expect(resolveFilter(parseAuditSearch({ range: "all" }), now)).toEqual({});
    expect(resolveFilter(parseAuditSearch({ range: "custom", from: "5", to: "9" }), now)).toEqual({ from: 5, to: 9 });
  });

  it("builds the export URL from the filter", async () => {
    expect(exportUrl({ user: "alice", statusClass: 2, from: 7 })).toBe("/api/audit/export?user=alice&statusClass=2&from=7");
    expect(exportUrl({})).toBe("/api/audit/export");
  });
});

describe("chart helpers", () => {
  it("fills empty hours with zeros", async () => {
    const bars = densifyHours({ from: 0, to: 3 * 3600_000, hours: [{ hour: 3600_000, ok: 2, clientError: 1, serverError: 0, other: 0 }] });
    expect(bars.map((bar) => bar.total)).toEqual([0, 3, 0]);
  });

  it("rounds axis maxima", async () => {
    expect([0, 1, 3, 7, 12, 480, 1001].map(niceMax)).toEqual([1, 1, 5, 10, 20, 500, 2000]);
  });
});
