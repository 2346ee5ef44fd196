import { sha256Hex } from "./checksum.ts";

/**
 * The id of the Linear issue that mirrors a task: a UUID (v4 in form, as Linear's `issueCreate`
 * takes) derived from the workflow and task ids, so the same task always names the same issue
 * and a create retried after a restart can find the one it may already have made.
 * @param workflowId the workflow
 * @param taskId the task
 * @returns a lowercase UUID
 * @example
 * await linearIssueId("w1", "t1"); // the same UUID every time
 */
export async function linearIssueId(workflowId: string, taskId: string): Promise<string> {
  // JSON keeps the two ids apart whatever characters they hold.
  const hex = await sha256Hex(JSON.stringify(["chorus-linear-issue", workflowId, taskId]));
  const variant = ((Number.parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
