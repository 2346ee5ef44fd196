// The public surface of @chorus/devstack: start the local stack, run the demo against it.

export type { DemoOptions } from "./demo-run.ts";
export { runDemo } from "./demo-run.ts";
export type { Stack, StackOptions } from "./stack.ts";
export { devAdminToken, startStack } from "./stack.ts";
