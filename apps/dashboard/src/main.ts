import { h, replace } from "./dom.ts";
import { signOut, token } from "./session.ts";
import { overviewView } from "./views/overview.ts";
import { signInView } from "./views/sign-in.ts";
import { workflowView } from "./views/workflow.ts";
import { workflowsView } from "./views/workflows.ts";

/** A view draws into `main` and returns what stops its timers and streams. */
export type View = (main: HTMLElement, query: URLSearchParams) => () => void;

let stop: () => void = () => {};

// Routes live in the hash (`#/workflows/wf_…`), so the gateway serves one index.html for all.
function route(): void {
  stop();
  const main = document.getElementById("main");
  const nav = document.getElementById("nav");
  if (main === null || nav === null) return;
  const [path = "/", search = ""] = location.hash.slice(1).split("?");
  const query = new URLSearchParams(search);
  if (token() === undefined) {
    replace(nav);
    stop = signInView(main);
    return;
  }
  replace(
    nav,
    h("a", { href: "#/" }, "Overview"),
    h("a", { href: "#/workflows" }, "Workflows"),
    h("button", { type: "button", class: "signout", onclick: leave }, "Sign out"),
  );
  const workflow = /^\/workflows\/([^/]+)$/.exec(path);
  if (workflow?.[1] !== undefined)
    stop = workflowView(decodeURIComponent(workflow[1]))(main, query);
  else if (path === "/workflows") stop = workflowsView(main, query);
  else stop = overviewView(main);
}

function leave(): void {
  signOut();
  location.hash = "#/";
  route();
}

window.addEventListener("hashchange", route);
window.addEventListener("chorus:signed-in", route);
route();
