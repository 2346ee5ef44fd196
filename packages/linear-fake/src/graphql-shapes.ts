import type { FakeIssue, FakeWorkflowState } from "./model.ts";

// The SDK builds its models from these members; it reads no others without a further query, so
// the fake answers each fragment's members that the SDK's constructors touch.

const PAGE_INFO = { __typename: "PageInfo", hasNextPage: false, hasPreviousPage: false };

/**
 * An issue as the SDK's `Issue` fragment expects it.
 * @param issue the stored issue
 * @returns the GraphQL object
 */
export function issueNode(issue: FakeIssue): Record<string, unknown> {
  return {
    __typename: "Issue",
    id: issue.id,
    identifier: issue.identifier,
    number: issue.number,
    title: issue.title,
    description: issue.description,
    priority: 0,
    priorityLabel: "No priority",
    labelIds: issue.labelIds,
    createdAt: issue.createdAt,
    updatedAt: issue.updatedAt,
    url: `https://linear.app/fake/issue/${issue.identifier}`,
    team: { id: issue.teamId },
    state: { id: issue.stateId },
    assignee: issue.assigneeId === null ? null : { id: issue.assigneeId },
    reactions: [],
    reactionData: [],
    sharedAccess: {
      isShared: false,
      sharedWithCount: 0,
      viewerHasOnlySharedAccess: false,
      disallowedIssueFields: [],
      sharedWithUsers: [],
    },
  };
}

/**
 * A connection of issues, one page.
 * @param issues the issues
 * @returns the GraphQL object
 */
export function issueConnection(issues: FakeIssue[]): Record<string, unknown> {
  return { __typename: "IssueConnection", nodes: issues.map(issueNode), pageInfo: PAGE_INFO };
}

/**
 * A connection of workflow states, one page.
 * @param states the states
 * @returns the GraphQL object
 */
export function stateConnection(states: FakeWorkflowState[]): Record<string, unknown> {
  return {
    __typename: "WorkflowStateConnection",
    nodes: states.map((state) => ({
      __typename: "WorkflowState",
      id: state.id,
      name: state.name,
      type: state.type,
      position: state.position,
      color: state.color,
      team: { id: state.teamId },
      createdAt: "2026-01-01T00:00:00.000Z",
      updatedAt: "2026-01-01T00:00:00.000Z",
    })),
    pageInfo: PAGE_INFO,
  };
}

/**
 * The payload of `issueCreate` / `issueUpdate`.
 * @param issue the issue created or updated
 * @param lastSyncId the fake's change counter
 * @returns the GraphQL object
 */
export function issuePayload(issue: FakeIssue, lastSyncId: number): Record<string, unknown> {
  return { __typename: "IssuePayload", success: true, lastSyncId, issue: { id: issue.id } };
}
