import type { JsonValue, QueuedConflict } from "@chorus/core";
import { api } from "../api.ts";
import { h } from "../dom.ts";
import { announce, errorText, short, time } from "../format.ts";

/**
 * An open conflict: base, ours and theirs for each path, and a form that resolves it with ours,
 * theirs, or a value edited per path.
 * @param workflowId the workflow
 * @param conflict the queued conflict
 * @param done called once it is resolved
 * @returns the conflict's element
 */
export function conflictForm(
  workflowId: string,
  conflict: QueuedConflict,
  done: () => void,
): HTMLElement {
  const name = `resolution-${conflict.id}`;
  const choice = (value: string, label: string, checked = false) =>
    h("label", {}, h("input", { type: "radio", name, value, checked }), label);
  const editors = new Map<string, HTMLTextAreaElement>();
  const error = h("p", { class: "error", role: "alert" });
  const rows = conflict.conflicts.map((entry, index) => {
    const id = `edit-${conflict.id}-${index}`;
    const editor = h("textarea", { id, name: id, rows: 2, spellcheck: "false" });
    editor.value = JSON.stringify(entry.theirs ?? entry.ours ?? null);
    editors.set(entry.path, editor);
    return h(
      "tr",
      { "data-path": entry.path },
      h("td", { class: "mono" }, entry.path),
      h("td", {}, h("pre", {}, short(entry.base, 200))),
      h("td", {}, h("pre", {}, short(entry.ours, 200))),
      h("td", {}, h("pre", {}, short(entry.theirs, 200))),
      h("td", {}, h("label", { for: id }, `Edited value of ${entry.path}`, editor)),
    );
  });
  const form: HTMLFormElement = h(
    "form",
    {
      class: "conflict",
      "data-conflict": conflict.id,
      "aria-label": `Conflict ${conflict.id}`,
      onsubmit: (event: Event) => void submit(event),
    },
    h(
      "p",
      {},
      h("span", { class: "badge open" }, "open"),
      " ",
      `${conflict.description || conflict.source} by ${conflict.author} on ${conflict.branch}, `,
      `from v${conflict.base} against v${conflict.head}, ${time(conflict.createdAt)}`,
    ),
    h(
      "table",
      {},
      h(
        "tr",
        {},
        ["path", "base", "ours (the branch)", "theirs (incoming)", "edited"].map((c) =>
          h("th", {}, c),
        ),
      ),
      rows,
    ),
    h(
      "fieldset",
      {},
      h("legend", { class: "muted" }, "Resolve with"),
      choice("ours", "ours"),
      choice("theirs", "theirs", true),
      choice("edited", "edited values"),
    ),
    h("button", { type: "submit", class: "primary" }, "Resolve"),
    error,
  );
  async function submit(event: Event): Promise<void> {
    event.preventDefault();
    const picked = new FormData(form).get(name);
    try {
      let resolution: "ours" | "theirs" | { values: Record<string, JsonValue> };
      if (picked === "edited") {
        const values: Record<string, JsonValue> = {};
        for (const [path, editor] of editors) {
          try {
            values[path] = JSON.parse(editor.value) as JsonValue;
          } catch {
            error.textContent = `The edited value of ${path} is not JSON.`;
            editor.focus();
            return;
          }
        }
        resolution = { values };
      } else resolution = picked === "ours" ? "ours" : "theirs";
      const result = await api.resolve(workflowId, conflict.id, resolution);
      announce(`Conflict resolved as v${result.version.version}`);
      done();
    } catch (caught) {
      error.textContent = errorText(caught);
    }
  }
  return form;
}
