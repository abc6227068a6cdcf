import { expect, test } from "@playwright/test";
import { RHYS, signIn } from "./helpers";

test("an expired access token is refreshed without losing what was typed", async ({ page }) => {
  const refreshes: string[] = [];
  page.on("request", (request) => {
    if (request.method() === "POST" && request.postData()?.includes("refreshSession")) refreshes.push(request.url());
  });
  await signIn(page, RHYS);
  await page.goto("/communities/homelessness-prevention");
  await page.getByRole("link", { name: "How do you reach landlords before notice is served?" }).click();
  const words = "Typed before the access token ran out, posted after.";
  await page.getByLabel("Your reply").fill(words);
  const before = refreshes.length;
  // The hub under test issues access tokens for 10 seconds.
  await page.waitForTimeout(11_000);
  await page.getByRole("button", { name: "Post reply" }).click();
  await expect(page.getByRole("article").filter({ hasText: words })).toBeVisible();
  await expect(page.getByLabel("Your reply")).toHaveValue("");
  expect(refreshes.length).toBeGreaterThan(before);
  await expect(page.getByRole("alert")).toHaveCount(0);
});

test("a draft survives a reload, and the session survives it too", async ({ page }) => {
  await signIn(page, RHYS);
  await page.goto("/communities/homelessness-prevention");
  await page.getByRole("link", { name: "How do you reach landlords before notice is served?" }).click();
  await page.getByLabel("Your reply").fill("Half a thought");
  await page.reload();
  await expect(page.getByLabel("Your reply")).toHaveValue("Half a thought");
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
});

test("signing out everywhere ends the other browser's session", async ({ browser }) => {
  const phone = await (await browser.newContext()).newPage();
  const desk = await (await browser.newContext()).newPage();
  await signIn(phone, RHYS);
  await signIn(desk, RHYS);
  await desk.getByRole("link", { name: "Rhys Evans" }).click();
  await desk.getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(desk.getByRole("navigation").getByRole("link", { name: "Sign in" })).toBeVisible();
  // The phone's next refresh is refused: it is signed out, not shown stale member pages.
  await phone.waitForTimeout(11_000);
  await phone.goto("/notifications");
  await expect(phone.getByRole("heading", { name: "Sign in" })).toBeVisible();
});
