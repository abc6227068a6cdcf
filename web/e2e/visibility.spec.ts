import { expect, test } from "@playwright/test";
import { PRIYA, RHYS, signIn } from "./helpers";

const PRIVATE = "Safeguarding practice review";

test("a PRIVATE community never appears to an outsider, signed in or not", async ({ page }) => {
  for (const who of [null, PRIYA]) {
    if (who) await signIn(page, who);
    await page.goto("/communities");
    await expect(page.getByRole("link", { name: "Homelessness prevention" })).toBeVisible();
    await expect(page.getByText(PRIVATE)).toHaveCount(0);
    await page.goto("/search?q=safeguarding");
    await expect(page.getByRole("status")).toContainText("results");
    await expect(page.getByText(PRIVATE)).toHaveCount(0);
    await page.goto("/communities/safeguarding-practice-review");
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  }
});

test("a member of the PRIVATE community sees it", async ({ page }) => {
  await signIn(page, RHYS);
  await page.goto("/communities");
  await expect(page.getByRole("link", { name: PRIVATE })).toBeVisible();
  await page.getByRole("link", { name: PRIVATE }).click();
  await expect(page.getByText("You are a member of this community.")).toBeVisible();
});
