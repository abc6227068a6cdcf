import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { type Page, expect } from "@playwright/test";

/** Every demo person signs in with this password (`khub seed --demo`). */
export const DEMO_PASSWORD = "knowledge-hub-demo";
export const AMARA = "amara.okafor@leeds.gov.uk";
export const PRIYA = "priya.shah@bristol.gov.uk";
export const RHYS = "rhys.evans@cardiff.gov.uk";
export const TOM = "tom.hughes@manchester.gov.uk";

const MAIL = join(import.meta.dirname, ".hub-data", "mail");
const SCREENSHOTS = join(import.meta.dirname, "..", "screenshots");

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto("/sign-in");
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
}

/** The newest message the hub wrote (as .eml files) to `address`. */
function newestMail(address: string): string {
  const messages = readdirSync(MAIL, { recursive: true })
    .map((name) => join(MAIL, String(name)))
    .filter((path) => path.endsWith(".eml"))
    .sort((a, b) => statSync(a).mtimeMs - statSync(b).mtimeMs)
    .map((path) => quotedPrintable(readFileSync(path, "utf8")))
    .filter((text) => text.includes(`\nTo: ${address}`));
  const newest = messages.at(-1);
  if (!newest) throw new Error(`nothing mailed to ${address}`);
  return newest;
}

/** The message's text with its quoted-printable parts decoded (soft line breaks and `=XX`). */
function quotedPrintable(text: string): string {
  return text
    .replace(/=\r?\n/g, "")
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** The six-digit confirmation code last mailed to `address`. */
export function mailedCode(address: string): string {
  const code = newestMail(address).match(/Subject: Your Knowledge Hub code: (\d{6})/)?.[1];
  if (!code) throw new Error(`no code mailed to ${address}`);
  return code;
}

/** The path and query of the link to `path` last mailed to `address`. */
export function mailedLink(address: string, path: string): string {
  const token = newestMail(address).match(new RegExp(`${path}\\?token=([A-Za-z0-9_-]+)`))?.[1];
  if (!token) throw new Error(`no ${path} link mailed to ${address}`);
  return `${path}?token=${token}`;
}

/** No serious or critical WCAG 2.2 AA violation on the page as it is now. */
export async function accessible(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"])
    .analyze();
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`)).toEqual([]);
}

/** A full-page screenshot for web/README.md. */
export async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
