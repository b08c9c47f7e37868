import { describe, expect, it } from "vitest";
import type { RoutingView } from "../llms/schemas";
import { pickTarget, TargetState, type Candidate } from "./targets";

const PLAIN = { retryAfterMs: null, rateLimited: false };
const ROUTING: RoutingView = { targets: [], maxAttempts: 3, failureThreshold: 3, cooldownS: 30, affinity: null };

function candidate(llm: string, options: { group?: number; weight?: number; inFlight?: number } = {}): Candidate {
  const state = new TargetState();
  state.inFlight = options.inFlight ?? 0;
  return { llm, group: options.group ?? 0, weight: options.weight ?? 1, state };
}

describe("a target's cooldown", () => {
  it("starts after failureThreshold failures in a row, and a success in between starts the count again", () => {
    const state = new TargetState();
    state.failed(ROUTING, "boom", PLAIN, 1000);
    state.failed(ROUTING, "boom", PLAIN, 1000);
    state.succeeded();
    state.failed(ROUTING, "boom", PLAIN, 1000);
    state.failed(ROUTING, "boom", PLAIN, 1000);
    expect(state.status(1000)).toBe("available");
    state.failed(ROUTING, "boom", PLAIN, 1000);
    expect(state.status(1000)).toBe("cooling");
    expect(state.coolUntil).toBe(31_000);
    expect(state.status(31_000)).toBe("probe");
  });

  it("a 429's wait is used when longer than the cooldown, and no later failure shortens a cooldown", () => {
    const state = new TargetState();
    state.failed(ROUTING, "slow down", { retryAfterMs: 120_000, rateLimited: true }, 0);
    expect(state.coolUntil).toBe(120_000);
    state.failed(ROUTING, "slow down", { retryAfterMs: 5_000, rateLimited: true }, 10_000);
    state.failed(ROUTING, "boom", PLAIN, 20_000);
    expect(state.coolUntil).toBe(120_000);
    const short = new TargetState();
    short.failed(ROUTING, "slow down", { retryAfterMs: 2_000, rateLimited: true }, 0);
    expect(short.coolUntil).toBe(30_000);
  });

  it("lets one probe through when the cooldown ends; a failed probe cools it again at once", () => {
    const state = new TargetState();
    for (let index = 0; index < 3; index += 1) state.failed(ROUTING, "boom", PLAIN, 0);
    state.probing = true;
    expect(state.status(40_000)).toBe("probing");
    state.failed(ROUTING, "still down", PLAIN, 40_000);
    expect(state.status(40_000)).toBe("cooling");
    expect(state.coolUntil).toBe(70_000);
    expect(state.recentErrors.map((error) => error.message)).toEqual(["boom", "boom", "boom", "still down"]);
  });
});

describe("picking a target", () => {
  it("takes the lowest group with a candidate", () => {
    expect(pickTarget([candidate("b", { group: 2 }), candidate("a", { group: 1 })], null)?.llm).toBe("a");
    expect(pickTarget([], null)).toBeNull();
  });

  it("of two weighted picks, prefers the one with fewer calls in flight", () => {
    const busy = candidate("busy", { inFlight: 5 });
    const idle = candidate("idle", { inFlight: 1 });
    // The first pick lands on `busy`, the second on `idle`.
    const sequence = [0.1, 0.1];
    expect(pickTarget([busy, idle], null, () => sequence.shift()!)?.llm).toBe("idle");
  });

  it("with affinity keeps each key on its target, and losing a target moves only its own keys", () => {
    const all = ["a", "b", "c", "d"].map((llm) => candidate(llm));
    const before = new Map<string, string>();
    for (let index = 0; index < 200; index += 1) before.set(`key-${index}`, pickTarget(all, `key-${index}`)!.llm);
    expect(new Set(before.values()).size).toBe(4);
    const withoutC = all.filter((entry) => entry.llm !== "c");
    for (const [key, llm] of before) {
      const after = pickTarget(withoutC, key)!.llm;
      if (llm !== "c") expect(after).toBe(llm);
      else expect(after).not.toBe("c");
    }
  });
});

describe("a wait asked with another failure", () => {
  it("does not start a cooldown by itself, but lengthens the one the failures start", () => {
    const state = new TargetState();
    const overloaded = { retryAfterMs: 90_000, rateLimited: false };
    state.failed(ROUTING, "overloaded", overloaded, 0);
    expect(state.status(0)).toBe("available");
    state.failed(ROUTING, "overloaded", overloaded, 0);
    state.failed(ROUTING, "overloaded", overloaded, 0);
    expect(state.coolUntil).toBe(90_000);
  });
});
