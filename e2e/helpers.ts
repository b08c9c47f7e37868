import fs from "node:fs";
import path from "node:path";
import { expect, type Page } from "@playwright/test";

export function env(name: "GATEWAY_BASE_URL" | "FAKE_UPSTREAM_URL" | "GATEWAY_ADMIN_PASSWORD"): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: the e2e global setup did not run`);
  return value;
}

const SCREENSHOTS = path.resolve("test-results", "screenshots");

/** A full-page screenshot of the current page, kept as a test artifact. */
export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  // Let closing dialogs finish their leave transition so they do not ghost over the page.
  await page.waitForFunction(() => !document.querySelector("[data-leave]"));
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

export async function signIn(page: Page, name: string, password: string): Promise<void> {
  await page.getByLabel("User name").fill(name);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Chooses `option` in the Headless UI listbox labelled `label` (inside `scope`, e.g. a dialog). */
export async function choose(page: Page, label: string, option: string | RegExp, scope = page.locator("body")): Promise<void> {
  await scope.getByRole("button", { name: new RegExp(`^${label}`) }).click();
  await page.getByRole("option", { name: option }).click();
}

export async function expectToast(page: Page, text: string | RegExp): Promise<void> {
  await expect(page.locator("[data-sonner-toast]").filter({ hasText: text }).first()).toBeVisible();
}
