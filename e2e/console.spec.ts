import fs from "node:fs";
import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { PIECE_DELAY_MS, STREAMED_PIECES, STREAMED_TEXT } from "./fake-openai";
import { choose, env, expectToast, screenshot, signIn } from "./helpers";

// One story, in order: each test builds on the state the previous ones left.
test.describe.configure({ mode: "serial" });

const BASE = env("GATEWAY_BASE_URL");
const UPSTREAM = env("FAKE_UPSTREAM_URL");
const ADMIN_PASSWORD = env("GATEWAY_ADMIN_PASSWORD");
const SECRET_VALUE = "sk-fake-e2e-value";
const CAROL_PASSWORD = "carol-password-1";

let admin: Page;
let adminContext: BrowserContext;
let carolToken = "";

async function newPage(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: BASE, viewport: { width: 1024, height: 768 }, permissions: ["clipboard-read", "clipboard-write"] });
  return { context, page: await context.newPage() };
}

/** tRPC mutation through the signed-in page's cookie, as the console itself calls it. */
async function trpcMutation(page: Page, path: string, input: unknown): Promise<void> {
  const response = await page.request.post(`/api/trpc/${path}`, { headers: { "x-gateway-csrf": "1" }, data: input });
  expect(response.status(), await response.text()).toBe(200);
}

async function sendInPlayground(page: Page, text: string): Promise<void> {
  await page.getByLabel("Message").fill(text);
  await page.getByRole("button", { name: "Send" }).click();
}

test.beforeAll(async ({ browser }) => {
  ({ context: adminContext, page: admin } = await newPage(browser));
});

test.afterAll(async () => {
  await adminContext?.close();
});

test("an anonymous visit goes to sign-in and comes back after it", async () => {
  await admin.goto("/audit");
  await expect(admin).toHaveURL(/\/login\?next=%2Faudit$/);
  await screenshot(admin, "login");
  await signIn(admin, "admin", "wrong-password");
  await expect(admin.getByRole("alert").filter({ hasText: "Invalid or missing credentials" })).toBeVisible();
  await signIn(admin, "admin", ADMIN_PASSWORD);
  await expect(admin).toHaveURL(/\/audit$/);
  await expect(admin.getByTestId("current-user")).toHaveText("admin");
  for (const link of ["Llms", "Secrets", "Access", "Usage", "Limits", "Audit", "My account"]) {
    await expect(admin.getByRole("navigation", { name: "Console" }).getByRole("link", { name: link })).toBeVisible();
  }
});

test("admin creates a local Secret with an api_key", async () => {
  await admin.goto("/secrets");
  await expect(admin.getByText("No Secrets yet")).toBeVisible();
  await admin.getByRole("button", { name: "New Secret" }).first().click();
  const dialog = admin.getByRole("dialog", { name: "New Secret" });
  await dialog.getByLabel("Name", { exact: true }).fill("upstream-key");
  await expect(dialog.getByLabel("Key 1", { exact: true })).toHaveValue("api_key");
  await expect(dialog.getByLabel("Value for key 1")).toHaveAttribute("type", "password");
  await dialog.getByLabel("Value for key 1").fill(SECRET_VALUE);
  await screenshot(admin, "secret-create-dialog");
  await dialog.getByRole("button", { name: "Create Secret" }).click();
  await expect(dialog).toBeHidden();
  await expectToast(admin, "Created upstream-key");
  const row = admin.getByTestId("secret-row-upstream-key");
  await expect(row).toContainText("local");
  await expect(row).toContainText("api_key");
  await expect(row).toContainText("unused");
  // Write-only: after a reload nothing the server sent contains the value.
  await admin.reload();
  await expect(row).toBeVisible();
  expect((await admin.content()).includes(SECRET_VALUE), "the secret value reached the page").toBe(false);
});

test("admin creates an Llm pointing at the fake upstream, with inline validation errors", async () => {
  await admin.goto("/llms");
  await admin.getByRole("button", { name: "New Llm" }).first().click();
  const dialog = admin.getByRole("dialog", { name: "New Llm" });

  await test.step("the browser refuses a vllm Llm without URL", async () => {
    await dialog.getByLabel("Name", { exact: true }).fill("fake-gpt");
    await choose(admin, "Provider", /^vLLM/, dialog);
    await dialog.getByLabel("Model", { exact: true }).fill("fake-model");
    await dialog.getByRole("button", { name: "Create Llm" }).click();
    await expect(dialog.getByText("a vLLM llm needs a URL")).toBeVisible();
  });

  await test.step("the server's field error lands on the Name input", async () => {
    await choose(admin, "Provider", /^OpenAI/, dialog);
    await expect(dialog.getByLabel(/^URL/)).toHaveAttribute("placeholder", "https://api.openai.com/v1");
    await dialog.getByLabel("Name", { exact: true }).fill("Bad Name");
    await dialog.getByRole("button", { name: "Create Llm" }).click();
    await expect(dialog.getByText(/must be 1-63 characters/)).toBeVisible();
  });

  await test.step("anthropic fills a default max_tokens", async () => {
    await choose(admin, "Provider", /^Anthropic/, dialog);
    await expect(dialog.getByLabel("Default max_tokens")).toHaveValue("4096");
    await choose(admin, "Provider", /^OpenAI/, dialog);
  });

  await test.step("a valid Llm with its key picked from the Secret", async () => {
    await dialog.getByLabel("Name", { exact: true }).fill("fake-gpt");
    await dialog.getByLabel(/^URL/).fill(`${UPSTREAM}/v1`);
    await choose(admin, "Secret", /^upstream-key/, dialog);
    await expect(dialog.getByRole("button", { name: /^Key/ })).toContainText("api_key");
    await screenshot(admin, "llm-create-dialog");
    await dialog.getByRole("button", { name: "Create Llm" }).click();
    await expect(dialog).toBeHidden();
    await expectToast(admin, "Created fake-gpt");
  });

  const row = admin.getByTestId("llm-row-fake-gpt");
  await expect(row).toContainText("OpenAI");
  await expect(row).toContainText("fake-model");
  await expect(row).toContainText(`${UPSTREAM}/v1`);
  await expect(row).toContainText("upstream-key");
  await expect(row).toContainText("api_key");

  // Fixtures for later steps, through the same tRPC API the console uses.
  const base = { provider: "openai", url: `${UPSTREAM}/v1`, apiKeyRef: { secret: "upstream-key", key: "api_key" } };
  await trpcMutation(admin, "llms.create", { ...base, name: "fake-other", model: "fake-model" });
  await trpcMutation(admin, "llms.create", { ...base, name: "fake-broken", model: "cut-midstream" });
  await trpcMutation(admin, "llms.create", { ...base, name: "fake-500", model: "upstream-500" });
  await admin.reload();
  await expect(admin.getByTestId("llm-row-fake-other")).toBeVisible();
  await screenshot(admin, "llms");

  await test.step("edit keeps the name and saves the change", async () => {
    await admin.getByRole("button", { name: "Edit fake-gpt" }).click();
    const edit = admin.getByRole("dialog", { name: "Edit fake-gpt" });
    await expect(edit.getByLabel("Name", { exact: true })).toBeDisabled();
    await expect(edit.getByLabel("Default max_tokens")).toHaveValue("");
    await edit.getByLabel("Description (optional)").fill("The e2e model");
    // The fake model is in no price table: the Llm gets prices of its own (USD per million tokens).
    await edit.getByLabel("Input", { exact: true }).fill("2");
    await edit.getByRole("button", { name: "Save changes" }).click();
    await expect(edit.getByText("needed with the other prices")).toBeVisible();
    await edit.getByLabel("Output", { exact: true }).fill("10");
    await edit.getByRole("button", { name: "Save changes" }).click();
    await expect(edit).toBeHidden();
    await expectToast(admin, "Saved fake-gpt");
    await admin.getByRole("button", { name: "Edit fake-gpt" }).click();
    const again = admin.getByRole("dialog", { name: "Edit fake-gpt" });
    await expect(again.getByLabel("Output", { exact: true })).toHaveValue("10");
    await expect(again.getByLabel("Cache read", { exact: true })).toHaveValue("");
    await again.getByRole("button", { name: "Cancel" }).click();
    await expect(again).toBeHidden();
  });
});

test("the playground streams the answer token by token and shows usage and latency", async () => {
  await admin.goto("/llms/fake-gpt");
  await expect(admin.getByRole("heading", { name: "Settings" })).toBeVisible();
  // Record every state of the streaming bubble, to prove the text grew in place.
  await admin.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { seen: string[] }).seen = seen;
    new MutationObserver(() => {
      const bubble = document.querySelector('[data-testid="assistant-streaming"]');
      if (bubble && seen[seen.length - 1] !== bubble.textContent) seen.push(bubble.textContent ?? "");
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  const started = Date.now();
  await sendInPlayground(admin, "Say hello");
  await expect(admin.getByTestId("user-message")).toHaveText("Say hello");
  await expect(admin.getByTestId("assistant-streaming")).toBeVisible();
  await expect(admin.getByTestId("assistant-message")).toHaveText(STREAMED_TEXT);
  expect(Date.now() - started).toBeGreaterThanOrEqual(PIECE_DELAY_MS * (STREAMED_PIECES.length - 2));

  const seen = await admin.evaluate(() => (window as unknown as { seen: string[] }).seen);
  const partial = seen.filter((text) => text.length > 0 && text.length < STREAMED_TEXT.length && STREAMED_TEXT.startsWith(text));
  expect(partial.length, `streaming states seen: ${JSON.stringify(seen)}`).toBeGreaterThanOrEqual(3);

  await expect(admin.getByTestId("playground-usage")).toHaveText(`Prompt 11 · Completion ${STREAMED_PIECES.length} tokens`);
  await expect(admin.getByTestId("playground-stats")).toContainText("Time to first token");
  await expect(admin.getByTestId("playground-stats")).toContainText("Total");
  await screenshot(admin, "llm-playground");

  const upstreamCalls = (await (await fetch(`${UPSTREAM}/__requests`)).json()) as Array<{ authorization: string | null; model: string }>;
  expect(upstreamCalls.at(-1)).toMatchObject({ authorization: `Bearer ${SECRET_VALUE}`, model: "fake-model" });
});

test("the playground shows upstream failures readably", async () => {
  await test.step("an upstream error before the first byte", async () => {
    await admin.goto("/llms/fake-500");
    await sendInPlayground(admin, "hi");
    await expect(admin.getByTestId("playground-error")).toContainText("the fake model is overloaded");
  });
  await test.step("a stream cut after its first tokens keeps the partial answer", async () => {
    await admin.goto("/llms/fake-broken");
    await sendInPlayground(admin, "hi");
    await expect(admin.getByTestId("playground-error")).toBeVisible();
    await expect(admin.getByTestId("assistant-message")).toContainText(STREAMED_PIECES[0]!);
    await expect(admin.getByTestId("assistant-message")).toContainText("(incomplete)");
    await screenshot(admin, "llm-playground-error");
  });
});

test("admin creates a user, a run binding on one Llm, and a token shown once", async () => {
  await admin.goto("/access");
  await test.step("user", async () => {
    await admin.getByRole("button", { name: "New user" }).click();
    const dialog = admin.getByRole("dialog", { name: "New user" });
    await dialog.getByLabel("User name", { exact: true }).fill("carol");
    await dialog.getByLabel("Display name (optional)").fill("Carol Example");
    await dialog.getByLabel("Initial password").fill(CAROL_PASSWORD);
    await dialog.getByRole("button", { name: "Create user" }).click();
    await expect(dialog).toBeHidden();
    await expect(admin.getByTestId("user-row-carol")).toContainText("active");
    await screenshot(admin, "access-users");
  });

  await test.step("run binding on fake-gpt", async () => {
    await admin.getByRole("tab", { name: "Role bindings" }).click();
    await expect(admin).toHaveURL(/tab=bindings/);
    await admin.getByRole("button", { name: "New binding" }).click();
    const dialog = admin.getByRole("dialog", { name: "New role binding" });
    await choose(admin, "User", "carol", dialog);
    await choose(admin, "Role", /^run/, dialog);
    await choose(admin, "Resource", /^llms$/, dialog);
    await dialog.getByLabel("Name (optional)").fill("fake-gpt");
    await admin.getByRole("option", { name: "fake-gpt", exact: true }).click();
    await expect(dialog).toContainText("Grants run on llms:fake-gpt to carol.");
    await dialog.getByRole("button", { name: "Create binding" }).click();
    await expect(dialog).toBeHidden();
    const row = admin.locator("tr", { hasText: "carol" }).filter({ hasText: "fake-gpt" });
    await expect(row).toContainText("run");
    await screenshot(admin, "access-bindings");
  });

  await test.step("token, displayed exactly once with a copy button", async () => {
    await admin.getByRole("tab", { name: "API tokens" }).click();
    await admin.getByRole("button", { name: "New token" }).click();
    const dialog = admin.getByRole("dialog", { name: "New API token" });
    await choose(admin, "User", "carol", dialog);
    await dialog.getByLabel("Label", { exact: true }).fill("carol-ci");
    await dialog.getByRole("button", { name: "Create token" }).click();
    const shown = dialog.getByTestId("new-token");
    await expect(shown).toHaveValue(/^gw_[0-9A-Za-z]{40}$/);
    carolToken = await shown.inputValue();
    await dialog.getByRole("button", { name: "Copy token" }).click();
    await expect(dialog.getByRole("button", { name: "Copied" })).toBeVisible();
    expect(await admin.evaluate(() => navigator.clipboard.readText())).toBe(carolToken);
    await screenshot(admin, "access-token-created");
    await dialog.getByRole("button", { name: "Done" }).click();
    await expect(dialog).toBeHidden();
    const row = admin.getByTestId(`token-row-${carolToken.slice(0, 12)}`);
    await expect(row).toContainText("carol-ci");
    await expect(row).toContainText("active");
    await admin.reload();
    await expect(admin.getByTestId(`token-row-${carolToken.slice(0, 12)}`)).toBeVisible();
    expect((await admin.content()).includes(carolToken), "the token reached the page again").toBe(false);
    await screenshot(admin, "access-tokens");
  });

  await test.step("the token works on the API, for the one Llm only", async () => {
    const allowed = await admin.request.post(`/api/v1/llms/fake-gpt/infer`, {
      headers: { authorization: `Bearer ${carolToken}` },
      data: { messages: [{ role: "user", content: "hi" }] },
    });
    expect(allowed.status()).toBe(200);
    expect((await allowed.json()).choices[0].message.content).toBe(STREAMED_TEXT);
    const refused = await admin.request.post(`/api/v1/llms/fake-other/infer`, {
      headers: { authorization: `Bearer ${carolToken}` },
      data: { messages: [{ role: "user", content: "hi" }] },
    });
    expect(refused.status()).toBe(403);
  });
});

test("carol sees no Secrets or Access, runs her Llm and is refused the other", async ({ browser }) => {
  const { context, page } = await newPage(browser);
  await page.goto("/");
  await expect(page).toHaveURL(/\/login$/);
  await signIn(page, "carol", CAROL_PASSWORD);
  await expect(page).toHaveURL(/\/llms$/);
  const nav = page.getByRole("navigation", { name: "Console" });
  await expect(nav.getByRole("link", { name: "Llms" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "My account" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Secrets" })).toHaveCount(0);
  await expect(nav.getByRole("link", { name: "Access" })).toHaveCount(0);
  await expect(nav.getByRole("link", { name: "Audit" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "New Llm" })).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "Models you can run" })).toBeVisible();
  await screenshot(page, "llms-run-only-user");

  await page.getByRole("link", { name: "fake-gpt" }).click();
  await expect(page.getByText("You may not view this Llm's settings.")).toBeVisible();
  await sendInPlayground(page, "hello as carol");
  await expect(page.getByTestId("assistant-message")).toHaveText(STREAMED_TEXT);

  await test.step("the CSV export needs view:audit, by session or bearer token", async () => {
    expect((await page.request.get("/api/audit/export")).status()).toBe(403);
    expect((await page.request.get("/api/audit/export", { headers: { authorization: `Bearer ${carolToken}` } })).status()).toBe(403);
    expect((await page.request.get("/api/audit/export", { headers: { authorization: "Bearer gw_not-a-token" } })).status()).toBe(401);
  });

  await page.goto("/llms/fake-other");
  await sendInPlayground(page, "may I?");
  await expect(page.getByTestId("playground-error")).toHaveText("You may not run this model (missing permission run:llms:fake-other).");
  await screenshot(page, "llm-playground-refused");

  await test.step("her own account: a token of her own", async () => {
    await page.getByRole("link", { name: "My account" }).click();
    await expect(page.getByText("run on llms:fake-gpt")).toBeVisible();
    await expect(page.getByTestId(`token-row-${carolToken.slice(0, 12)}`)).toBeVisible();
    await page.getByRole("button", { name: "New token" }).click();
    const dialog = page.getByRole("dialog", { name: "New API token" });
    await dialog.getByLabel("Label", { exact: true }).fill("laptop");
    await dialog.getByLabel("Limit to (optional)").fill("run:llms:fake-gpt");
    await dialog.getByRole("button", { name: "Create token" }).click();
    await expect(dialog.getByTestId("new-token")).toHaveValue(/^gw_/);
    const scoped = await dialog.getByTestId("new-token").inputValue();
    await dialog.getByRole("button", { name: "Done" }).click();
    await expect(page.locator("tr", { hasText: "laptop" })).toContainText("limited to run:llms:fake-gpt");
    // The scoped token runs what its scope names and nothing else (carol holds no more anyway).
    const models = await page.request.get(`${BASE}/api/v1/models`, { headers: { authorization: `Bearer ${scoped}` } });
    expect(((await models.json()) as { data: Array<{ id: string }> }).data.map((model) => model.id)).toEqual(["fake-gpt"]);
    await screenshot(page, "account");
  });

  await test.step("a wrong current password is reported on its field", async () => {
    await page.getByLabel("Current password").fill("not-my-password");
    await page.getByLabel("New password", { exact: true }).fill("another-password-2");
    await page.getByLabel("Repeat new password").fill("another-password-2");
    await page.getByRole("button", { name: "Change password" }).click();
    await expect(page.getByText("current password is wrong")).toBeVisible();
  });
  await context.close();
});

test("the audit log shows the calls with the right users and filters them", async () => {
  await admin.goto("/audit?event=llm_inference_call");
  await expect(admin.getByTestId("audit-row").first()).toBeVisible();
  const users = await admin.getByTestId("audit-user").allTextContents();
  expect(users).toContain("admin");
  expect(users).toContain("carol");
  await expect(admin.getByTestId("audit-chart")).toBeVisible();
  await screenshot(admin, "audit");

  await test.step("filter by user through the combobox", async () => {
    await admin.getByRole("combobox", { name: "User" }).fill("carol");
    await admin.getByRole("option", { name: "carol", exact: true }).click();
    await expect(admin).toHaveURL(/user=carol/);
    await expect.poll(async () => [...new Set(await admin.getByTestId("audit-user").allTextContents())]).toEqual(["carol"]);
  });

  await test.step("and by status class: only her refused calls remain", async () => {
    await choose(admin, "Status", /^4xx/);
    await expect(admin).toHaveURL(/status=4/);
    await expect(admin.getByTestId("audit-row")).toHaveCount(2);
    expect(await admin.getByTestId("audit-llm").allTextContents()).toEqual(["fake-other", "fake-other"]);
    const totals = admin.getByTestId("audit-totals");
    await expect(totals).toContainText("Calls2");
    await expect(totals).toContainText("Errors2");
  });

  await test.step("a row opens its detail drawer", async () => {
    await admin.getByTestId("audit-row").first().getByRole("button").click();
    const drawer = admin.getByRole("dialog");
    await expect(drawer).toContainText("missing permission run:llms:fake-other");
    await expect(drawer).toContainText("Request id");
    await screenshot(admin, "audit-detail");
    await admin.keyboard.press("Escape");
    await expect(drawer).toBeHidden();
  });

  await test.step("keyset pages go older and back", async () => {
    const call = () =>
      admin.request.post(`/api/v1/llms/fake-gpt/infer`, {
        headers: { authorization: `Bearer ${carolToken}` },
        data: { messages: [{ role: "user", content: "page" }] },
      });
    expect((await Promise.all(Array.from({ length: 50 }, call))).every((response) => response.status() === 200)).toBe(true);
    // Inference audit rows are written in batches just after each response: wait until all landed.
    const exported = async () =>
      (await (await admin.request.get("/api/audit/export?event=llm_inference_call&user=carol")).text()).trimEnd().split("\r\n").length - 1;
    await expect.poll(exported).toBe(54);
    await admin.goto("/audit?event=llm_inference_call&user=carol");
    await expect(admin.getByTestId("audit-totals")).toContainText("Calls54");
    // Each call: 9 prompt tokens at $2 and 3 completion tokens at $10 per million.
    await admin.getByTestId("audit-row").first().getByRole("button").click();
    await expect(admin.getByRole("dialog")).toContainText("Cost$0.000048 (the Llm's prices)");
    await admin.keyboard.press("Escape");
    const rows = admin.getByTestId("audit-row");
    await expect(rows).toHaveCount(50);
    await expect(admin.getByText(/^Page 1 · 50 events/)).toBeVisible();
    await admin.getByRole("button", { name: "Older" }).click();
    await expect(admin.getByText(/^Page 2 · 4 events/)).toBeVisible();
    await expect(rows).toHaveCount(4);
    await expect(admin.getByRole("button", { name: "Older" })).toBeDisabled();
    await admin.getByRole("button", { name: "Newer" }).click();
    await expect(rows).toHaveCount(50);
    await admin.goto("/audit?event=llm_inference_call&user=carol&status=4");
    await expect(rows).toHaveCount(2);
  });

  await test.step("CSV export downloads exactly the filtered rows", async () => {
    const [download] = await Promise.all([admin.waitForEvent("download"), admin.getByTestId("audit-export").click()]);
    expect(download.suggestedFilename()).toMatch(/^audit-\d{8}-\d{6}\.csv$/);
    const text = fs.readFileSync(await download.path(), "utf8");
    const [header, ...lines] = text.trimEnd().split("\r\n");
    const columns = header!.split(",");
    expect(columns.slice(0, 9)).toEqual(["id", "ts", "time", "event", "user", "llm", "provider", "model", "status"]);
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      const cells = line.split(",");
      expect(cells[columns.indexOf("event")]).toBe("llm_inference_call");
      expect(cells[columns.indexOf("user")]).toBe("carol");
      expect(cells[columns.indexOf("llm")]).toBe("fake-other");
      expect(cells[columns.indexOf("status")]).toBe("403");
    }
    expect(text).not.toContain(carolToken);
  });

  await test.step("the Usage page sums what the calls cost, by user", async () => {
    // carol's cost as the audit log has it, call by call.
    const csv = (await (await admin.request.get("/api/audit/export?event=llm_inference_call&user=carol")).text()).trimEnd().split("\r\n");
    const columns = csv[0]!.split(",");
    const costs = csv.slice(1).map((line) => Number(line.split(",")[columns.indexOf("cost_usd")] || 0));
    const total = costs.reduce((sum, cost) => sum + cost, 0);
    expect(costs.filter((cost) => cost > 0).length).toBeGreaterThanOrEqual(50);
    await admin.getByRole("link", { name: "Usage" }).click();
    await expect(admin.getByRole("heading", { name: "Usage" })).toBeVisible();
    const carol = admin.getByTestId("usage-user").filter({ hasText: "carol" });
    await expect(carol).toContainText(`$${total.toPrecision(4).replace(/0+$/, "").replace(/\.$/, "")}`);
    await expect(admin.getByTestId("usage-day")).not.toHaveCount(0);
    await expect(admin.getByTestId("usage-totals")).toContainText("Cost$");
    await admin.getByRole("button", { name: "Last 30d" }).click();
    await expect(admin).toHaveURL(/\/usage\?range=30d$/);
    await expect(carol).toBeVisible();
    await screenshot(admin, "usage");
  });
});

test("a limit set in the console refuses calls past it; its bar and carol's account show how full it is", async ({ browser }) => {
  const call = () =>
    admin.request.post(`/api/v1/llms/fake-gpt/infer`, {
      headers: { authorization: `Bearer ${carolToken}` },
      data: { messages: [{ role: "user", content: "limited" }] },
    });
  await admin.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Limits" }).click();
  await expect(admin.getByRole("heading", { name: "Limits", exact: true })).toBeVisible();
  await expect(admin.getByRole("heading", { name: "No limits" })).toBeVisible();
  await admin.getByRole("button", { name: "New limit" }).click();
  const dialog = admin.getByRole("dialog", { name: "New limit" });
  await dialog.getByRole("combobox", { name: "User" }).fill("carol");
  await admin.getByRole("option", { name: "carol", exact: true }).click();
  await choose(admin, "Metric", "requests", dialog);
  await choose(admin, "Window", "per day (UTC)", dialog);
  await dialog.getByLabel("Max").fill("many");
  await dialog.getByRole("button", { name: "Create limit" }).click();
  await expect(dialog.getByText("must be a number")).toBeVisible();
  await dialog.getByLabel("Max").fill("3");
  await dialog.getByRole("button", { name: "Create limit" }).click();
  await expectToast(admin, "Limit created: user carol: requests per day ≤ 3");
  const row = admin.locator('[data-testid^="limit-row-"]').filter({ hasText: "user carol" });
  await expect(row.getByRole("meter")).toHaveAttribute("aria-valuetext", "0%: 0 of 3");

  await test.step("calls past the limit are refused with 429 and never reach the provider", async () => {
    await expect.poll(async () => (await call()).headers()["x-ratelimit-limit-requests"]).toBe("3");
    expect((await call()).status()).toBe(200);
    expect((await call()).status()).toBe(200);
    const refused = await call();
    expect(refused.status()).toBe(429);
    expect((await refused.json()).error).toMatchObject({ type: "rate_limit_exceeded", message: expect.stringContaining("user carol: requests per day ≤ 3") });
    // The bars are redrawn every few seconds.
    await expect(row.getByRole("meter")).toHaveAttribute("aria-valuetext", "100%: 3 of 3", { timeout: 15_000 });
    await screenshot(admin, "limits");
  });

  await test.step("its max is changed in place", async () => {
    await admin.getByRole("button", { name: "Change the max of user carol: requests per day ≤ 3" }).click();
    const edit = admin.getByRole("dialog", { name: "Change max" });
    await edit.getByLabel("Max").fill("5");
    await edit.getByRole("button", { name: "Save" }).click();
    await expectToast(admin, "Limit updated: user carol: requests per day ≤ 5");
    await expect(row.getByRole("meter")).toHaveAttribute("aria-valuetext", "60%: 3 of 5");
    expect((await call()).status()).toBe(200);
  });

  await test.step("carol sees her own limit and spend on My account", async () => {
    const { context, page } = await newPage(browser);
    await page.goto("/account");
    await signIn(page, "carol", CAROL_PASSWORD);
    await expect(page).toHaveURL(/\/account$/);
    const limit = page.getByTestId("my-limit");
    await expect(limit).toHaveCount(1);
    await expect(limit).toContainText("user carol: requests per day ≤ 5");
    await expect(limit.getByRole("meter")).toHaveAttribute("aria-valuetext", "80%: 4 of 5");
    await expect(page.getByText("Calls today")).toBeVisible();
    await screenshot(page, "account-limits");
    await context.close();
  });

  await test.step("deleting it asks first", async () => {
    await admin.getByRole("button", { name: "Delete limit user carol: requests per day ≤ 5" }).click();
    await admin.getByRole("dialog", { name: "Delete limit?" }).getByRole("button", { name: "Delete limit" }).click();
    await expectToast(admin, "Limit deleted");
    await expect(admin.getByRole("heading", { name: "No limits" })).toBeVisible();
  });
});

test("deleting a Secret asks first and shows the refusal while Llms use it", async () => {
  await admin.goto("/secrets");
  await expect(admin.getByTestId("secret-row-upstream-key")).toContainText("fake-gpt");
  // Saving the Llm (as an admin, who may edit the Secret) let its key go to the Llm's origin.
  await expect(admin.getByTestId("secret-origins-upstream-key")).toHaveText(new URL(UPSTREAM).origin);
  await admin.getByRole("button", { name: "Delete upstream-key" }).click();
  const dialog = admin.getByRole("dialog", { name: "Delete upstream-key?" });
  await dialog.getByRole("button", { name: "Delete Secret" }).click();
  await expect(dialog.getByRole("alert")).toContainText("secret 'upstream-key' is used by llm");
  await expect(dialog.getByRole("alert")).toContainText("'fake-gpt'");
  await screenshot(admin, "secret-delete-refused");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  await expect(admin.getByTestId("secret-row-upstream-key")).toBeVisible();

  await test.step("a key's value is rotated through a write-only field", async () => {
    await admin.getByRole("button", { name: "Set values of upstream-key" }).click();
    const dialog = admin.getByRole("dialog", { name: "Keys of upstream-key" });
    const value = dialog.getByLabel("Value for key 1");
    await expect(value).toHaveValue("");
    await expect(value).toHaveAttribute("type", "password");
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect(dialog.getByRole("alert")).toContainText("Nothing changed");
    await value.fill("sk-rotated-value");
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect(dialog).toBeHidden();
    await expectToast(admin, "Updated upstream-key");
    const call = await admin.request.post(`/api/v1/llms/fake-gpt/infer`, {
      headers: { authorization: `Bearer ${carolToken}` },
      data: { messages: [{ role: "user", content: "hi" }] },
    });
    expect(call.status()).toBe(200);
    const upstreamCalls = (await (await fetch(`${UPSTREAM}/__requests`)).json()) as Array<{ authorization: string | null }>;
    expect(upstreamCalls.at(-1)?.authorization).toBe("Bearer sk-rotated-value");
  });

  await test.step("an unused Secret is deleted after confirmation", async () => {
    await trpcMutation(admin, "secrets.create", { name: "spare", backend: "env", envVars: { api_key: "SPARE_KEY" } });
    await admin.reload();
    await expect(admin.getByTestId("secret-row-spare")).toContainText("SPARE_KEY");
    await screenshot(admin, "secrets");
    await admin.getByRole("button", { name: "Delete spare" }).click();
    await admin.getByRole("dialog", { name: "Delete spare?" }).getByRole("button", { name: "Delete Secret" }).click();
    await expectToast(admin, "Deleted spare");
    await expect(admin.getByTestId("secret-row-spare")).toHaveCount(0);
  });
});

test("an Llm's page says how to connect: base URL, model and snippets", async () => {
  await admin.goto("/llms/fake-gpt");
  const panel = admin.getByTestId("connect-panel");
  await expect(panel.getByTestId("connect-base-url")).toHaveText(`${new URL(admin.url()).origin}/api/v1`);
  await expect(panel.getByTestId("connect-snippet")).toContainText('"model":"fake-gpt"');
  await panel.getByRole("tab", { name: "Python" }).click();
  await expect(panel.getByTestId("connect-snippet")).toContainText(`OpenAI(base_url="${new URL(admin.url()).origin}/api/v1"`);
  await panel.getByRole("tab", { name: "Claude Code" }).click();
  await expect(panel.getByTestId("connect-snippet")).toContainText(`export ANTHROPIC_BASE_URL=${new URL(admin.url()).origin}/api\n`);
  await expect(panel.getByTestId("connect-snippet")).toContainText("export ANTHROPIC_MODEL=fake-gpt");
  await panel.getByRole("tab", { name: "Codex CLI" }).click();
  await expect(panel.getByTestId("connect-snippet")).toContainText('wire_api = "responses"');
});

test("the console has a favicon, and on a narrow screen the sidebar keeps its icons only", async () => {
  await admin.goto("/llms");
  const icon = await admin.locator('head link[rel="icon"]').first().getAttribute("href");
  expect(icon).toBeTruthy();
  expect((await admin.request.get(new URL(icon!, admin.url()).toString())).headers()["content-type"]).toContain("image/svg+xml");
  const sidebar = admin.getByTestId("sidebar");
  expect((await sidebar.boundingBox())!.width).toBeGreaterThan(150);
  await admin.setViewportSize({ width: 600, height: 800 });
  await expect.poll(async () => (await sidebar.boundingBox())!.width).toBeLessThan(80);
  const nav = admin.getByRole("navigation", { name: "Console" });
  await nav.getByRole("link", { name: "Audit" }).click();
  await expect(admin).toHaveURL(/\/audit/);
  await screenshot(admin, "narrow-screen");
  await admin.setViewportSize({ width: 1280, height: 720 });
});

test("a route made in the console falls back from a failing Llm, and its page shows that target cooling down", async () => {
  await admin.goto("/llms");
  await admin.getByRole("button", { name: "New Llm" }).first().click();
  const dialog = admin.getByRole("dialog", { name: "New Llm" });
  await dialog.getByLabel("Name", { exact: true }).fill("fake-route");
  await choose(admin, "Provider", /^Route/, dialog);
  await expect(dialog.getByLabel("Model", { exact: true })).toHaveCount(0);
  await test.step("a target row without an Llm is refused in the browser", async () => {
    await dialog.getByRole("button", { name: "Create Llm" }).click();
    await expect(dialog.getByText("choose at least one target")).toBeVisible();
  });
  await choose(admin, "Target 1", /^fake-500/, dialog);
  await dialog.getByRole("button", { name: "Add target" }).click();
  await choose(admin, "Target 2", /^fake-gpt/, dialog);
  await dialog.getByLabel("Group of target 2").fill("1");
  await dialog.getByLabel("Failures before cooldown").fill("1");
  await screenshot(admin, "route-create-dialog");
  await dialog.getByRole("button", { name: "Create Llm" }).click();
  await expect(dialog).toBeHidden();
  await expectToast(admin, "Created fake-route");
  await expect(admin.getByTestId("llm-row-fake-route")).toContainText("→ fake-500, fake-gpt");

  await admin.goto("/llms/fake-route");
  const targets = admin.locator("[data-target]");
  await expect(targets).toHaveCount(2);
  await expect(admin.locator('[data-target="fake-500"]')).toContainText("available");
  await sendInPlayground(admin, "hi");
  // fake-500 fails before its first byte: the answer streams from fake-gpt, with nothing of the failure shown.
  await expect(admin.getByTestId("assistant-message")).toContainText(STREAMED_TEXT);
  await expect(admin.getByTestId("playground-error")).toHaveCount(0);
  await admin.reload();
  await expect(admin.locator('[data-target="fake-500"]')).toContainText("cooling down");
  await expect(admin.locator('[data-target="fake-500"]')).toContainText("the fake model is overloaded");
  await expect(admin.locator('[data-target="fake-gpt"]')).toContainText("available");
  await screenshot(admin, "route-page");

  await admin.goto("/audit?event=llm_inference_call");
  await admin.getByTestId("audit-row").first().getByRole("button").click();
  const drawer = admin.getByRole("dialog");
  await expect(drawer).toContainText("fake-route");
  await expect(drawer).toContainText("Served byfake-gpt (attempt 2)");
  await admin.keyboard.press("Escape");
});

test("an agent's Messages call is in the audit log with its API and session, and the API filter finds it", async () => {
  const response = await admin.request.post("/api/v1/messages", {
    headers: { "x-api-key": carolToken, "x-claude-code-session-id": "e2e-agent-session", "anthropic-version": "2023-06-01" },
    data: { model: "fake-gpt", max_tokens: 20, messages: [{ role: "user", content: "hello from an agent" }] },
  });
  expect(response.status()).toBe(200);
  expect(await response.json()).toMatchObject({ type: "message", role: "assistant", content: [{ type: "text" }] });
  await admin.goto("/audit?event=llm_inference_call");
  await choose(admin, "API", "Anthropic Messages");
  await expect(admin).toHaveURL(/api=messages/);
  // The row is written in a batch just after the answer.
  await expect
    .poll(async () => {
      await admin.reload();
      return admin.getByTestId("audit-row").count();
    })
    .toBe(1);
  await expect(admin.getByTestId("audit-api")).toHaveText("messages");
  await admin.getByTestId("audit-row").first().getByRole("button").click();
  const drawer = admin.getByRole("dialog");
  await expect(drawer).toContainText("APIAnthropic Messages");
  await expect(drawer).toContainText("Sessione2e-agent-session");
  await screenshot(admin, "audit-agent-call");
  await admin.keyboard.press("Escape");
});

test("signing out ends the session", async () => {
  await admin.goto("/account");
  await admin.getByTestId("current-user").click();
  await admin.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(admin).toHaveURL(/\/login$/);
  await admin.goto("/secrets");
  await expect(admin).toHaveURL(/\/login\?next=%2Fsecrets$/);
});
