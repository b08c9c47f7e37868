import { describe, expect, it } from "vitest";
import { acquireSlot } from "./concurrency";

describe("acquireSlot", () => {
  it("grants slots up to the limit, then first come first served as they are released", async () => {
    const never = new AbortController().signal;
    const first = await acquireSlot("pool-a", 1, 1000, never);
    const order: string[] = [];
    const second = acquireSlot("pool-a", 1, 1000, never).then((release) => (order.push("second"), release));
    const third = acquireSlot("pool-a", 1, 1000, never).then((release) => (order.push("third"), release));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(order).toEqual([]);
    first();
    (await second)();
    (await third)();
    expect(order).toEqual(["second", "third"]);
  });

  it("refuses with rate_limited after the bound and stops waiting when the signal aborts", async () => {
    const held = await acquireSlot("pool-b", 1, 1000, new AbortController().signal);
    await expect(acquireSlot("pool-b", 1, 30, new AbortController().signal)).rejects.toMatchObject({ code: "rate_limited" });
    const controller = new AbortController();
    const waiting = acquireSlot("pool-b", 1, 1000, controller.signal);
    controller.abort(new Error("client went away"));
    await expect(waiting).rejects.toThrow("client went away");
    held();
    const again = await acquireSlot("pool-b", 1, 30, new AbortController().signal);
    again();
  });
});
