import type { JsonValue } from "@chorus/core";
import { h } from "../dom.ts";
import { announce } from "../format.ts";
import { childPointer } from "../pointer.ts";

/**
 * A JSON document as a collapsible tree. Each node carries its JSON Pointer (`data-path`) and a
 * button that copies it. Closed branches are drawn when first opened, so a large state stays fast;
 * `open` remembers which branches the reader opened across redraws.
 * @param value the document
 * @param open the pointers of open branches (updated as the reader toggles them)
 * @returns the tree's element
 */
export function jsonTree(value: JsonValue, open: Set<string>): HTMLElement {
  return h(
    "div",
    { class: "tree", role: "tree", "aria-label": "State" },
    node("", "state", value, open),
  );
}

function copyButton(path: string) {
  return h(
    "button",
    {
      type: "button",
      class: "link copy",
      "aria-label": `Copy path ${path === "" ? "(root)" : path}`,
      onclick: (event: Event) => {
        event.preventDefault();
        void copy(path);
      },
    },
    "copy path",
  );
}

async function copy(path: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(path);
    announce(`Copied ${path === "" ? "the root pointer (empty)" : path}`);
  } catch {
    announce(`Path: ${path}`);
  }
}

function leafText(value: JsonValue) {
  if (typeof value === "string") return h("span", { class: "str" }, JSON.stringify(value));
  if (typeof value === "number") return h("span", { class: "num" }, String(value));
  return h("span", { class: "lit" }, String(value));
}

function node(path: string, key: string, value: JsonValue, open: Set<string>): HTMLElement {
  if (value === null || typeof value !== "object") {
    return h(
      "div",
      { class: "leaf", role: "treeitem", "data-path": path },
      h("span", { class: "key" }, key),
      ": ",
      leafText(value),
      " ",
      copyButton(path),
    );
  }
  const entries: [string, JsonValue][] = Array.isArray(value)
    ? value.map((item, index) => [String(index), item])
    : Object.entries(value);
  const size = Array.isArray(value) ? `[${entries.length}]` : `{${entries.length}}`;
  const body = h("div", { role: "group" });
  const isOpen = open.has(path) || path === "";
  const details = h(
    "details",
    { role: "treeitem", "data-path": path, open: isOpen },
    h(
      "summary",
      {},
      h("span", { class: "key" }, key),
      " ",
      h("span", { class: "muted" }, size),
      " ",
      copyButton(path),
    ),
    body,
  );
  let drawn = false;
  const draw = () => {
    if (drawn) return;
    drawn = true;
    body.append(
      ...entries.map(([childKey, child]) =>
        node(childPointer(path, childKey), childKey, child, open),
      ),
    );
  };
  if (isOpen) draw();
  details.addEventListener("toggle", () => {
    if (details.open) {
      open.add(path);
      draw();
    } else open.delete(path);
  });
  return details;
}
