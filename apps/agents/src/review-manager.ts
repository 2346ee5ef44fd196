import {
  ChorusError,
  ErrorCodes,
  type ErrorData,
  type JsonObject,
  type Result,
  type Review,
  ReviewManagerConfig,
  type Task,
} from "@chorus/core";
import * as v from "valibot";
import type { AgentRow } from "./agent-store.ts";
import { BaseAgent } from "./base-agent.ts";
import { type ReviewTaskRow, ReviewTaskTable } from "./review-task-table.ts";
import { reviewTask } from "./review-tasks.ts";
import { REVIEW_MANAGER_MIGRATIONS } from "./sql/review-manager-schema.ts";

/**
 * The Review Manager: one per workflow, it turns the workflow's open reviews into tasks for
 * reviewers. Each open review gets one task, `review-<reviewId>`, that agents with the configured
 * capability (`review` by default) claim under a lease; once the review is merged the manager
 * completes the task under the reviewer's lease (or cancels it when nobody holds it), and once
 * it is rejected it cancels the task. The gates themselves stay in the state manager, where
 * commits are serialized; this agent only makes the work visible to reviewers.
 *
 * It reads the review list at every alarm run, which follows every delivered change at once:
 * a rejection, and a review opened on an existing branch, commit no version, so changes alone
 * would miss them. Every effect is keyed by the review (the task id, its row here, the task
 * board's replay of a create or cancel), so a redelivered change or a restart does nothing twice.
 */
export class ReviewManager extends BaseAgent {
  readonly #tasks = new ReviewTaskTable(this.ctx.storage.sql);

  protected override migrations(): readonly string[] {
    return REVIEW_MANAGER_MIGRATIONS;
  }

  protected override async onTick(now: number, agent: AgentRow): Promise<void> {
    const config = v.parse(ReviewManagerConfig, agent.config);
    const listed = (await this.env.STATE.listReviews({
      workflowId: agent.workflowId,
    })) as Result<Review[]>;
    if (!listed.ok) throw ChorusError.fromData(listed.error);
    // Newest first from the state manager; tasks are made oldest first.
    for (const review of [...listed.value].reverse()) {
      const row = this.#tasks.get(review.id);
      if (review.status === "open" || review.status === "conflicted") {
        if (row === undefined) await this.#open(agent, review, config, now);
      } else if (row?.status === "open") {
        await this.#close(agent, review, row, now);
      }
    }
  }

  protected override detail(): JsonObject {
    const rows = this.#tasks.all();
    const count = (status: ReviewTaskRow["status"]) =>
      rows.filter((row) => row.status === status).length;
    return {
      open: rows.filter((row) => row.status === "open").map((row) => row.taskId),
      completed: count("completed"),
      cancelled: count("cancelled"),
      settled: count("settled"),
    };
  }

  async #open(agent: AgentRow, review: Review, config: ReviewManagerConfig, now: number) {
    const task = reviewTask(agent.workflowId, review, config);
    const created = await this.coordinator.createTask({
      workflowId: agent.workflowId,
      author: this.author(agent),
      task,
    });
    // Another body under the id (a manager spawned before with another config): the task exists.
    if (!created.ok && created.error.code !== "ALREADY_EXISTS") {
      this.#refused("review task not created; tried again next run", review, created.error);
      return;
    }
    this.#tasks.opened(review.id, task.id, now);
    if (created.ok && !created.value.replayed) this.count("reviewTasksCreated");
    this.log("info", "review task open", { reviewId: review.id, taskId: task.id });
  }

  async #close(agent: AgentRow, review: Review, row: ReviewTaskRow, now: number) {
    const { workflowId } = agent;
    const read = (await this.env.STATE.getTask({ workflowId, taskId: row.taskId })) as Result<Task>;
    if (!read.ok && read.error.code !== "NOT_FOUND") throw ChorusError.fromData(read.error);
    const task = read.ok ? read.value : undefined;
    if (task === undefined || task.status === "completed" || task.status === "cancelled") {
      this.#tasks.settle(review.id, "settled", now);
      return;
    }
    if (review.status === "merged" && task.status === "claimed" && task.lease !== undefined) {
      // Completed under the reviewer's own lease: the approval that merged it was the work.
      const completed = await this.coordinator.completeTask({
        workflowId,
        taskId: task.id,
        leaseId: task.lease.id,
        result: {
          reviewId: review.id,
          status: review.status,
          mergeVersion: review.mergeVersion,
          approvedBy: review.approvedBy,
        },
      });
      if (!completed.ok) return this.#refused("review task not completed", review, completed.error);
      this.#tasks.settle(review.id, "completed", now);
      this.count("reviewTasksCompleted");
      this.log("info", "review task completed", { reviewId: review.id, taskId: task.id });
      return;
    }
    // Rejected, or merged with nobody holding the task: no reviewer's work is left to finish.
    const cancelled = await this.coordinator.cancelTask({
      workflowId,
      taskId: task.id,
      author: this.author(agent),
    });
    if (!cancelled.ok) return this.#refused("review task not cancelled", review, cancelled.error);
    this.#tasks.settle(review.id, "cancelled", now);
    this.count("reviewTasksCancelled");
    this.log("info", "review task cancelled", { reviewId: review.id, status: review.status });
  }

  // A refusal (a lease that just ran out, a task completed meanwhile) waits for the next run,
  // which reads the task again; a system failure throws into the alarm's backoff.
  #refused(message: string, review: Review, error: ErrorData): void {
    if (ErrorCodes[error.code] === "system") throw ChorusError.fromData(error);
    this.log("warn", message, { reviewId: review.id, error });
  }
}
