import { getAt, hasAt } from "@chorus/core";
import type { Notifier, ReviewNotice } from "./notifier.ts";

const STATES = {
  opened: "pending",
  approved: "pending",
  merged: "success",
  rejected: "failure",
} as const;

/**
 * Sets a GitHub commit status (`POST /repos/{owner}/{repo}/statuses/{sha}`, context
 * `chorus/review`) on the commit the reviewed state names: a 40-hex sha at `shaPointer`. A state
 * that names none gets no status.
 */
export class GitHubNotifier implements Notifier {
  readonly name = "github";
  readonly #options: { token: string; repository: string; apiUrl: string; shaPointer: string };

  /** @param options the token, `owner/repo`, the REST API's base URL, where the sha is */
  constructor(options: { token: string; repository: string; apiUrl: string; shaPointer: string }) {
    this.#options = options;
  }

  /** @throws Error unless GitHub answers 201 */
  async send(notice: ReviewNotice): Promise<void> {
    const sha = shaOf(notice, this.#options.shaPointer);
    if (sha === undefined) return;
    const { review } = notice;
    const url = `${this.#options.apiUrl}/repos/${this.#options.repository}/statuses/${sha}`;
    const response = await fetch(url, {
      method: "POST",
      headers: {
        authorization: `Bearer ${this.#options.token}`,
        accept: "application/vnd.github+json",
        "x-github-api-version": "2022-11-28",
        "user-agent": "chorus-state-manager",
        "content-type": "application/json",
      },
      body: JSON.stringify({
        state: STATES[notice.event],
        context: "chorus/review",
        // GitHub keeps at most 140 characters of a status's description.
        description: `${notice.event}: ${review.title}`.slice(0, 140),
      }),
    });
    await response.body?.cancel();
    if (response.status !== 201) throw new Error(`GitHub answered ${response.status}`);
  }
}

function shaOf({ state }: ReviewNotice, pointer: string): string | undefined {
  if (!hasAt(state, pointer)) return undefined;
  const value = getAt(state, pointer);
  return typeof value === "string" && /^[0-9a-f]{40}$/.test(value) ? value : undefined;
}
