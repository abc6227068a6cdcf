import { expect, test } from "@playwright/test";
import { TOM, accessible, mailedCode, mailedLink, screenshot, signIn } from "./helpers";

test("a newcomer registers with the mailed code, joins an open community, asks to join a restricted one, signs out and in again", async ({
  page,
}) => {
  const email = "sam.newcomer@york.gov.uk";
  const password = "lantern orchard quietly humming";
  await page.goto("/register");
  await accessible(page);
  await screenshot(page, "register");

  // A bad address is refused next to its field, and nothing is sent.
  await page.getByLabel("Work email address").fill("not-an-address");
  await page.getByLabel("Your name").fill("Sam Newcomer");
  await page.getByLabel("Handle").fill("sam-newcomer");
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("alert")).toContainText("There is a problem");
  await expect(page.locator("#email-error")).toBeVisible();
  await accessible(page);

  await page.getByLabel("Work email address").fill(email);
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  // A wrong code is refused beside its field; a new code can be sent, and it works.
  await page.getByLabel("Confirmation code").fill("000000");
  await page.getByRole("button", { name: "Confirm" }).click();
  await expect(page.locator("#code-error")).toBeVisible();
  const first = mailedCode(email);
  await page.getByRole("button", { name: "Send a new code" }).click();
  await expect(page.getByRole("status")).toContainText("We sent a new code");
  await expect.poll(() => mailedCode(email)).not.toBe(first);
  await page.getByLabel("Confirmation code").fill(mailedCode(email));
  await page.getByRole("button", { name: "Confirm" }).click();
  await expect(page.getByRole("heading", { name: "Communities" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Sam Newcomer" })).toBeVisible();

  await page.getByRole("link", { name: "Homelessness prevention" }).first().click();
  await page.getByRole("button", { name: "Join this community" }).click();
  await expect(page.getByText("You are a member of this community.")).toBeVisible();
  await accessible(page);
  // A RESTRICTED community is asked to join, and says so until a facilitator decides.
  await page.goto("/communities/adult-social-care-leaders");
  await page.getByRole("button", { name: "Ask to join" }).click();
  await expect(page.getByText("You asked to join. A facilitator will decide.")).toBeVisible();
  await page.reload();
  await expect(page.getByText("You asked to join. A facilitator will decide.")).toBeVisible();

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("navigation").getByRole("link", { name: "Sign in" })).toBeVisible();
  await page.getByRole("navigation").getByRole("link", { name: "Sign in" }).click();
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill("the wrong password entirely");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toBeVisible();
  await accessible(page);
  await screenshot(page, "sign-in-error");
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: /Welcome back, Sam Newcomer/ })).toBeVisible();
  await expect(page.getByRole("link", { name: "Homelessness prevention" })).toBeVisible();
  await screenshot(page, "home");
});

test("a forgotten password is reset through the mailed link, and the new one signs in", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByRole("link", { name: "Forgotten your password?" }).click();
  await page.getByLabel("Email address").fill(TOM);
  await page.getByRole("button", { name: "Send me a link" }).click();
  await expect(page.getByRole("status")).toContainText("we have sent it a link");
  await accessible(page);

  await page.goto(mailedLink(TOM, "/reset-password"));
  await page.getByLabel("New password").fill("short");
  await page.getByRole("button", { name: "Save and sign in" }).click();
  await expect(page.locator("#newPassword-error")).toBeVisible();
  await accessible(page);
  await page.getByLabel("New password").fill("kettle meadow lantern quietly");
  await page.getByRole("button", { name: "Save and sign in" }).click();
  await expect(page.getByRole("heading", { name: /Welcome back, Tom Hughes/ })).toBeVisible();

  await page.getByRole("button", { name: "Sign out" }).click();
  await signIn(page, TOM, "kettle meadow lantern quietly");
});
