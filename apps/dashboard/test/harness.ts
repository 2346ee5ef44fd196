import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ChorusClient } from "@chorus/client";
import { type Stack, startStack } from "@chorus/devstack";
import { type Browser, chromium, type Page } from "playwright-core";

/** Debian's chromium (`apt-get install chromium`); nothing here ever downloads a browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Screenshots of every run (gitignored); `docs/` holds the two the README shows. */
export const ARTIFACTS = fileURLToPath(new URL("../test-results/", import.meta.url));
export const DOCS = fileURLToPath(new URL("../../../docs/", import.meta.url));

/** The stack, a browser, and an admin client for making changes "from another client". */
export interface Harness {
  stack: Stack;
  browser: Browser;
  admin: ChorusClient;
  close(): Promise<void>;
}

/**
 * Starts the local stack (throwaway storage, a free port) and headless Chromium.
 * @returns the harness
 */
export async function startHarness(): Promise<Harness> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no browser at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`);
  }
  await mkdir(ARTIFACTS, { recursive: true });
  const stack = await startStack({ port: 0, persist: false, workerOutput: "ignore" });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Chromium's sandbox cannot run as root (CI containers); a user's run keeps it.
    args: process.getuid?.() === 0 ? ["--no-sandbox"] : [],
  });
  const admin = new ChorusClient({ baseUrl: stack.url, token: stack.token });
  return {
    stack,
    browser,
    admin,
    async close() {
      await browser.close();
      await stack.stop();
    },
  };
}

/**
 * Opens the dashboard in a fresh page (its own sessionStorage) and signs in with the token.
 * @param harness the stack and browser
 * @param hash where to go after signing in, e.g. `#/workflows/wf_…`
 * @returns the page
 */
export async function signedIn(harness: Harness, hash = "#/"): Promise<Page> {
  const context = await harness.browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  await page.goto(`${harness.stack.url}/${hash}`);
  await page.getByLabel("API token").fill(harness.stack.token);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("link", { name: "Workflows", exact: true }).waitFor();
  return page;
}

/**
 * Saves a screenshot under test-results/ (and into docs/ with `CHORUS_DOCS_SCREENSHOTS=1`).
 * @param page the page
 * @param name the file's name without `.png`
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  if (process.env.CHORUS_DOCS_SCREENSHOTS === "1") {
    await mkdir(DOCS, { recursive: true });
    await page.screenshot({ path: join(DOCS, `${name}.png`), fullPage: false });
  }
}
