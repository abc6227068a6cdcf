import { expect, test } from "@playwright/test";
import { AMARA, PRIYA, accessible, screenshot, signIn } from "./helpers";

const THREAD = "How do you reach landlords before notice is served?";

test("a reply typed in one browser appears in another without a reload, and reactions count", async ({ browser }) => {
  const amara = await browser.newContext();
  const priya = await browser.newContext();
  const writer = await amara.newPage();
  const reader = await priya.newPage();
  await signIn(writer, AMARA);
  await signIn(reader, PRIYA);

  await writer.goto("/communities/homelessness-prevention");
  await writer.getByRole("link", { name: THREAD }).click();
  await expect(writer.getByRole("heading", { name: THREAD })).toBeVisible();
  await reader.goto(writer.url());
  await expect(reader.getByRole("heading", { name: THREAD })).toBeVisible();
  // The reader's subscriptions are open before the reply is written.
  await reader.waitForTimeout(1_000);
  const unread = async () => {
    const badge = reader.locator(".app-count");
    return (await badge.count()) === 0 ? 0 : Number(await badge.textContent());
  };
  const before = await unread();

  const words = `Live from Leeds at ${Date.now()}: we phone within a day.`;
  await writer.getByLabel("Your reply").fill(words);
  await writer.getByRole("button", { name: "Post reply" }).click();
  await expect(writer.getByLabel("Your reply")).toHaveValue("");
  const arrived = reader.getByRole("article").filter({ hasText: words });
  await expect(arrived).toBeVisible();
  // Priya started the thread: she is told, and her unread count moves without a reload.
  await expect.poll(unread).toBeGreaterThan(before);

  // The reader reacts; the writer's page hears the new count live.
  await arrived.getByRole("button", { name: /Helpful/ }).click();
  await expect(arrived.getByRole("button", { name: /Helpful/ })).toHaveAttribute("aria-pressed", "true");
  await expect(
    writer
      .getByRole("article")
      .filter({ hasText: words })
      .getByRole("button", { name: /Helpful/ }),
  ).toContainText("1");
  await accessible(reader);
  await screenshot(reader, "thread");

  await reader.getByRole("link", { name: /^Notifications/ }).click();
  await expect(reader.getByRole("listitem").filter({ hasText: "Amara Okafor" }).first()).toBeVisible();
  await reader.getByRole("button", { name: "Mark all as read" }).click();
  await expect(reader.locator(".app-count")).toHaveCount(0);
  await expect(reader.getByRole("status")).toHaveText("0 unread");
  await amara.close();
  await priya.close();
});

test("the asker accepts an answer to a question", async ({ page }) => {
  await signIn(page, PRIYA);
  await page.goto("/communities/homelessness-prevention");
  await page.getByRole("radio", { name: "Question" }).check();
  await page.getByLabel("Title").fill("Which landlords answer a letter?");
  await page.getByLabel("Message").fill("We write first. Does anyone phone instead?");
  await page.getByRole("button", { name: "Start conversation" }).click();
  await expect(page.getByRole("heading", { name: "Which landlords answer a letter?" })).toBeVisible();
  await page.getByLabel("Your reply").fill("We phone, then write to confirm.");
  await page.getByRole("button", { name: "Post reply" }).click();
  const reply = page.getByRole("article").filter({ hasText: "We phone, then write to confirm." });
  await reply.getByRole("button", { name: "Accept as the answer" }).click();
  await expect(reply.getByText("Accepted answer")).toBeVisible();
  await page.reload();
  await expect(
    page.getByRole("article").filter({ hasText: "We phone, then write to confirm." }).getByText("Accepted answer"),
  ).toBeVisible();
});
