import type { Notifier, ReviewNotice } from "./notifier.ts";

/** Posts review events to a Slack channel with `chat.postMessage`. */
export class SlackNotifier implements Notifier {
  readonly name = "slack";
  readonly #options: { token: string; channel: string; apiUrl: string };

  /** @param options the bot token, the channel, and the Web API's base URL */
  constructor(options: { token: string; channel: string; apiUrl: string }) {
    this.#options = options;
  }

  /**
   * @throws Error when Slack does not answer `{ ok: true }` (it answers 200 with `ok: false`
   *   for most failures, 429 when rate limited)
   */
  async send(notice: ReviewNotice): Promise<void> {
    const response = await fetch(`${this.#options.apiUrl}/chat.postMessage`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${this.#options.token}`,
        "content-type": "application/json; charset=utf-8",
      },
      body: JSON.stringify({ channel: this.#options.channel, text: message(notice) }),
    });
    const answer = (await response.json().catch(() => null)) as {
      ok?: boolean;
      error?: string;
    } | null;
    if (!response.ok || answer?.ok !== true) {
      throw new Error(`Slack answered ${response.status} ${answer?.error ?? ""}`.trim());
    }
  }
}

function message({ event, workflowId, review }: ReviewNotice): string {
  const what = `review "${review.title}" (${review.id}) of ${review.branch} into ${review.into} in workflow ${workflowId}`;
  switch (event) {
    case "opened":
      return `Opened ${what} by ${review.author}: ${review.requiredApprovals} approval(s) needed`;
    case "approved":
      return `Approved ${what}: ${review.approvedBy.length}/${review.requiredApprovals} by ${review.approvedBy.join(", ")}`;
    case "merged":
      return `Merged ${what} as version ${review.mergeVersion}, approved by ${review.approvedBy.join(", ")}`;
    case "rejected":
      return `Rejected ${what}`;
  }
}
