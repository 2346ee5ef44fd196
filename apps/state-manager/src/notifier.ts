import type { JsonValue, Review } from "@chorus/core";
import { GitHubNotifier } from "./github-notifier.ts";
import { SlackNotifier } from "./slack-notifier.ts";

/** What happened to a review, as notifications tell it. */
export type ReviewEvent = "opened" | "approved" | "merged" | "rejected";

/** One notification: the event, the review as it stands, and the state under review. */
export interface ReviewNotice {
  event: ReviewEvent;
  workflowId: string;
  review: Review;
  /** the review branch's head state (a GitHub status reads the commit sha from it) */
  state: JsonValue;
}

/**
 * A place review events are sent to (Slack, a GitHub commit status). `send` throws or rejects
 * when the other side did not take the notice: the outbox retries it with backoff.
 */
export interface Notifier {
  /** stable name, stored with each pending notice */
  readonly name: string;
  send(notice: ReviewNotice): Promise<void>;
}

/**
 * The notifiers this worker's secrets configure: Slack with `SLACK_TOKEN` (and `SLACK_CHANNEL`),
 * a GitHub commit status with `GITHUB_TOKEN` (and `GITHUB_REPOSITORY`, `owner/repo`); the API base
 * URLs are `SLACK_API_URL` and `GITHUB_API_URL` (tests point them at fakes).
 * @param env the worker's environment
 * @returns the notifiers by name; none when no secret is set
 */
export function configuredNotifiers(env: object): Map<string, Notifier> {
  const vars = env as Record<string, unknown>;
  const text = (name: string) => {
    const value = vars[name];
    return typeof value === "string" && value !== "" ? value : undefined;
  };
  const notifiers = new Map<string, Notifier>();
  const slackToken = text("SLACK_TOKEN");
  if (slackToken !== undefined) {
    const slack = new SlackNotifier({
      token: slackToken,
      channel: text("SLACK_CHANNEL") ?? "#chorus",
      apiUrl: text("SLACK_API_URL") ?? "https://slack.com/api",
    });
    notifiers.set(slack.name, slack);
  }
  const githubToken = text("GITHUB_TOKEN");
  const repository = text("GITHUB_REPOSITORY");
  if (githubToken !== undefined && repository !== undefined) {
    const github = new GitHubNotifier({
      token: githubToken,
      repository,
      apiUrl: text("GITHUB_API_URL") ?? "https://api.github.com",
      shaPointer: text("GITHUB_SHA_POINTER") ?? "/metadata/gitSha",
    });
    notifiers.set(github.name, github);
  }
  return notifiers;
}
