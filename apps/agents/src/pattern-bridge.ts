import { BaseAgent } from "./base-agent.ts";

/**
 * The Pattern Bridge: rules that turn a workflow's changes into actions (`set`, `createTask`,
 * `webhook`). One per workflow.
 */
export class PatternBridge extends BaseAgent {}
