import { type Page, expect, test } from "@playwright/test";
import { AMARA, DEMO_PASSWORD, PRIYA, accessible, screenshot, signIn } from "./helpers";

/** How many of `email`'s practices, drafts included, carry `title` (asked of the API as them). */
async function practicesTitled(page: Page, email: string, title: string): Promise<number> {
  const ask = async (query: string, variables: object, token?: string) =>
    (
      await page.request.post("/graphql", {
        data: { query, variables },
        headers: token ? { authorization: `Bearer ${token}` } : {},
      })
    ).json();
  const login = await ask(
    "mutation($e: String!, $p: String!) { login(input: { email: $e, password: $p }) { accessToken person { id } } }",
    { e: email, p: DEMO_PASSWORD },
  );
  const { accessToken, person } = login.data.login;
  const mine = await ask(
    "query($a: ID!) { practices(first: 100, filter: { authorId: $a, status: [DRAFT, PUBLISHED, PROMOTED] }) { nodes { title } } }",
    { a: person.id },
    accessToken,
  );
  return mine.data.practices.nodes.filter((p: { title: string }) => p.title === title).length;
}

test("a member writes and publishes a practice, and a peer from another council endorses it", async ({ browser }) => {
  const author = await (await browser.newContext()).newPage();
  await signIn(author, PRIYA);
  await author.getByRole("link", { name: "Write a practice" }).click();
  await accessible(author);

  // Publishing with no title is refused next to the field; what was typed stays.
  await author.getByLabel("Summary").fill("Tenancy sustainment calls in the first month.");
  await author.getByRole("button", { name: "Save and publish" }).click();
  await expect(author.locator("#title-error")).toBeVisible();
  await expect(author.getByLabel("Summary")).toHaveValue("Tenancy sustainment calls in the first month.");
  await accessible(author);
  await screenshot(author, "write-practice-error");

  await author.getByLabel("Title", { exact: true }).fill("First-month tenancy calls");
  await author.getByLabel("Community (optional)").selectOption({ label: "Homelessness prevention" });
  // A draft missing its parts is saved but not published, each missing part named; publishing
  // again updates that draft rather than saving a second one.
  await author.getByRole("button", { name: "Save and publish" }).click();
  await expect(author.locator("#context-error")).toBeVisible();
  await expect(author.getByText("Your draft is saved.")).toBeVisible();
  await author.getByLabel("Context").fill("New tenancies failed in the first month.");
  await author.getByLabel("Approach").fill("A support officer phones every new tenant in week one and week four.");
  await author.getByLabel("Outcomes").fill("Early arrears halved over two quarters.");
  await author.getByLabel("Evidence: title (optional)").fill("Evaluation summary");
  await author.getByLabel("Evidence: link (optional)").fill("https://www.bristol.gov.uk/evaluation");
  await author.getByLabel("Tags (optional)").fill("tenancy, arrears");
  await author.getByRole("button", { name: "Save and publish" }).click();
  await expect(author.getByRole("heading", { name: "First-month tenancy calls" })).toBeVisible();
  expect(await practicesTitled(author, PRIYA, "First-month tenancy calls")).toBe(1);
  await expect(author.getByText("Published", { exact: true })).toBeVisible();
  const url = author.url();

  const peer = await (await browser.newContext()).newPage();
  await signIn(peer, AMARA);
  await peer.goto(url);
  await peer.getByLabel("Why does this work?").fill("We tried the week-one call in Leeds: it works.");
  await peer.getByRole("button", { name: "Endorse this practice" }).click();
  await expect(peer.getByText("You endorsed this practice.")).toBeVisible();
  await peer.reload();
  await expect(peer.getByText("We tried the week-one call in Leeds: it works.")).toBeVisible();
  await expect(peer.locator(".app-facts__row", { hasText: "Endorsements" })).toContainText("1");
  await peer.getByLabel("How is it going?").selectOption("IN_PROGRESS");
  await peer.getByRole("button", { name: "Record adoption" }).click();
  await expect(peer.getByText("Your organisation’s adoption is recorded.")).toBeVisible();
  await accessible(peer);
});

test("a promoted practice shows its four parts, evidence, spread and a revision's changes", async ({ page }) => {
  await page.goto("/practices/landlord-mediation-before-notice");
  await expect(page.getByText("Practice worth repeating").first()).toBeVisible();
  for (const part of ["Context", "Approach", "Outcomes", "Evidence", "Where it spread"]) {
    await expect(page.getByRole("heading", { name: part })).toBeVisible();
  }
  await page
    .getByRole("button", { name: /Show changes from revision/ })
    .first()
    .click();
  await expect(page.locator(".app-diff").first()).toBeVisible();
  await accessible(page);
  await screenshot(page, "practice");
});
