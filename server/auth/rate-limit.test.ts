import { describe, expect, it } from "vitest";
import { currentStore, useFreshDatabase } from "../../tests/helpers/fresh-db";
import { clearLoginFailures, loginKeys, loginRetryAfterSeconds, loginSlowdownMs, noteLoginFailure } from "./rate-limit";

const MINUTE = 60_000;
const T0 = 1_800_000_000_000;

describe("login rate limit", () => {
  useFreshDatabase({ GATEWAY_LOGIN_MAX_FAILURES: "3" });

  it("says how long until enough failures have left the 15-minute window", async () => {
    const keys = loginKeys("rl-user", "10.1.1.1");
    await noteLoginFailure(currentStore(), keys, T0);
    await noteLoginFailure(currentStore(), keys, T0 + MINUTE);
    expect(await loginRetryAfterSeconds(currentStore(), keys, T0 + 2 * MINUTE)).toBe(0);
    await noteLoginFailure(currentStore(), keys, T0 + 2 * MINUTE);
    // Three failures: allowed again when the first (at T0) is 15 minutes old.
    expect(await loginRetryAfterSeconds(currentStore(), keys, T0 + 2 * MINUTE + 10_000)).toBe(15 * 60 - 2 * 60 - 10);
    await noteLoginFailure(currentStore(), keys, T0 + 3 * MINUTE);
    // Four: two must leave, so the second (at T0 + 1 min) decides.
    expect(await loginRetryAfterSeconds(currentStore(), keys, T0 + 3 * MINUTE)).toBe(15 * 60 - 2 * 60);
    expect(await loginRetryAfterSeconds(currentStore(), keys, T0 + 16 * MINUTE)).toBe(0);
  });

  it("limits by address too, and a success clears only the user's count", async () => {
    await noteLoginFailure(currentStore(), loginKeys("rl-a", "10.2.2.2"), T0);
    await noteLoginFailure(currentStore(), loginKeys("rl-b", "10.2.2.2"), T0);
    await noteLoginFailure(currentStore(), loginKeys("rl-c", "10.2.2.2"), T0);
    expect(await loginRetryAfterSeconds(currentStore(), loginKeys("rl-d", "10.2.2.2"), T0 + 1000)).toBe(899);
    expect(await loginRetryAfterSeconds(currentStore(), loginKeys("rl-d", "10.3.3.3"), T0 + 1000)).toBe(0);
    await clearLoginFailures(currentStore(), loginKeys("rl-a", "10.2.2.2"));
    expect(await loginRetryAfterSeconds(currentStore(), loginKeys("rl-a", "10.2.2.2"), T0 + 1000)).toBe(899);
  });

  it("failures for one user from rotating addresses only slow that user down, never lock them out", async () => {
    for (let index = 0; index < 10; index += 1) await noteLoginFailure(currentStore(), loginKeys("rl-admin", `10.9.0.${index}`), T0);
    const fromHome = loginKeys("rl-admin", "192.0.2.10");
    expect(await loginRetryAfterSeconds(currentStore(), fromHome, T0 + 1000)).toBe(0);
    // 10 failures against a limit of 3: held (10 - 3 + 1) × 500 ms, capped at 5 s.
    expect(await loginSlowdownMs(currentStore(), fromHome, T0 + 1000)).toBe(4000);
    for (let index = 10; index < 30; index += 1) await noteLoginFailure(currentStore(), loginKeys("rl-admin", `10.9.0.${index}`), T0);
    expect(await loginSlowdownMs(currentStore(), fromHome, T0 + 1000)).toBe(5000);
    expect(await loginSlowdownMs(currentStore(), loginKeys("rl-other", "10.9.0.1"), T0 + 1000)).toBe(0);
    // The same address failing for the same user still locks.
    expect(await loginRetryAfterSeconds(currentStore(), loginKeys("rl-admin", "10.9.0.1"), T0 + 1000)).toBe(0);
    for (let index = 0; index < 3; index += 1) await noteLoginFailure(currentStore(), loginKeys("rl-admin", "10.9.0.1"), T0);
    expect(await loginRetryAfterSeconds(currentStore(), loginKeys("rl-admin", "10.9.0.1"), T0 + 1000)).toBe(899);
  });
});
