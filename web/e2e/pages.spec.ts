import { expect, test } from "@playwright/test";
import { AMARA, accessible, screenshot, signIn } from "./helpers";

// Every page a member meets, checked with axe and photographed for web/README.md.
test("every page is accessible, on a desktop and on a phone", async ({ page }) => {
  await signIn(page, AMARA);
  const pages: [string, string, RegExp | string][] = [
    ["/", "home-member", /Welcome back/],
    ["/communities", "communities", "Communities"],
    ["/communities/homelessness-prevention", "community", "Homelessness prevention"],
    ["/practices/new", "write-practice", "Write a practice"],
    ["/people/amara", "profile", "Amara Okafor"],
    ["/leaderboard", "leaderboard", "Leaderboard"],
    ["/search?q=landlord", "search", "Search"],
    ["/saved-searches", "saved-searches", "Saved searches"],
    ["/notifications", "notifications", "Notifications"],
  ];
  for (const [path, name, heading] of pages) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
    await expect(page.getByText("Loading…")).toHaveCount(0);
    await accessible(page);
    await screenshot(page, name);
  }
  await page.setViewportSize({ width: 375, height: 740 });
  for (const [path, name, heading] of pages.slice(0, 3)) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
    await accessible(page);
    if (name === "community") await screenshot(page, "phone-community");
  }
  // On a phone the menu folds behind a button, and opens from the keyboard.
  const menu = page.getByRole("button", { name: "Menu" });
  await expect(page.getByRole("link", { name: "Leaderboard" })).toBeHidden();
  await menu.focus();
  await page.keyboard.press("Enter");
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  await expect(page.getByRole("link", { name: "Leaderboard" })).toBeVisible();
  await accessible(page);
});

test("search saves a search, and it is listed", async ({ page }) => {
  await signIn(page, AMARA);
  await page.goto("/search?q=landlord");
  await expect(page.getByRole("status")).toContainText("results for “landlord”");
  await page.getByRole("button", { name: "Save this search" }).click();
  await page.getByRole("link", { name: "Your saved searches" }).click();
  await expect(page.getByRole("link", { name: "landlord" })).toBeVisible();
});

test("the playground is GraphiQL from the hub's own origin under a strict policy", async ({ page }) => {
  const outside: string[] = [];
  page.on("request", (request) => {
    if (!request.url().startsWith("http://127.0.0.1")) outside.push(request.url());
  });
  const violations: string[] = [];
  page.on("console", (message) => {
    if (message.text().includes("Content Security Policy")) violations.push(message.text());
  });
  const response = await page.goto("/graphql");
  expect(response?.headers()["content-security-policy"]).toContain("script-src 'self'");
  await expect(page.locator(".graphiql-container")).toBeVisible();
  await expect(page.getByText("Welcome to Knowledge Hub").first()).toBeVisible();
  expect(outside).toEqual([]);
  expect(violations).toEqual([]);
});
