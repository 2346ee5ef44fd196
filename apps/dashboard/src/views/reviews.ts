import type { Review } from "@chorus/core";
import { api } from "../api.ts";
import { h } from "../dom.ts";
import { announce, errorText, time } from "../format.ts";

/**
 * The workflow's reviews, newest first: each with its branch, status, approvals and the protected
 * paths it touches, and Approve and Reject on those still open.
 * @param workflowId the workflow
 * @param reviews the reviews
 * @param changed called after a decision
 * @returns the section's content
 */
export function reviewPanel(
  workflowId: string,
  reviews: readonly Review[],
  changed: () => void,
): HTMLElement {
  const error = h("p", { class: "error", role: "alert" });
  const decide = async (review: Review, decision: "approve" | "reject") => {
    try {
      error.textContent = "";
      const after = await api.decide(workflowId, review.id, decision);
      announce(`Review "${review.title}" is ${after.status}`);
    } catch (caught) {
      error.textContent = errorText(caught);
    }
    changed();
  };
  if (reviews.length === 0) return h("p", { class: "muted" }, "No reviews.");
  return h(
    "div",
    {},
    error,
    h(
      "table",
      { "aria-label": "Reviews" },
      h(
        "tr",
        {},
        ["review", "branch", "status", "approvals", "paths", "opened", ""].map((c) =>
          h("th", {}, c),
        ),
      ),
      reviews.map((review) =>
        h(
          "tr",
          { "data-review": review.id },
          h("td", {}, review.title || review.id, h("div", { class: "muted" }, review.author)),
          h("td", {}, `${review.branch} → ${review.into}`),
          h("td", {}, h("span", { class: `badge ${review.status}` }, review.status)),
          h("td", {}, `${review.approvedBy.length} / ${review.requiredApprovals}`),
          h("td", { class: "mono" }, review.gatedPaths.join(", ") || "—"),
          h("td", {}, time(review.createdAt)),
          h(
            "td",
            {},
            review.status !== "open"
              ? null
              : h(
                  "span",
                  { class: "row" },
                  h(
                    "button",
                    {
                      type: "button",
                      "aria-label": `Approve ${review.title || review.id}`,
                      onclick: () => void decide(review, "approve"),
                    },
                    "Approve",
                  ),
                  h(
                    "button",
                    {
                      type: "button",
                      "aria-label": `Reject ${review.title || review.id}`,
                      onclick: () => void decide(review, "reject"),
                    },
                    "Reject",
                  ),
                ),
          ),
        ),
      ),
    ),
  );
}
