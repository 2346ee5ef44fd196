// The stack as a process of its own, for the crash suite to SIGKILL: serves CHAOS_STATE_DIR on
// a free port and prints `ready <url> <token>` once it answers.
import { startStack } from "../src/index.ts";

const persist = process.env.CHAOS_STATE_DIR;
if (persist === undefined) throw new Error("CHAOS_STATE_DIR is not set");
const stack = await startStack({ port: 0, persist, workerOutput: "ignore" });
console.log(`ready ${stack.url} ${stack.token}`);
