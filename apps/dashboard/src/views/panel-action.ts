import { announce, errorText } from "../format.ts";

/**
 * Runs a panel's action: announces what it did, or shows why it was refused in `error`, and
 * either way calls `changed`, because a refusal can change what the workflow shows too (a
 * merge refused with 409 has queued a conflict).
 * @param error the panel's alert paragraph
 * @param changed redraws the workflow
 * @returns the runner, given the work that answers what it did
 */
export function panelAction(error: HTMLElement, changed: () => void) {
  return async (work: () => Promise<string>): Promise<void> => {
    try {
      error.textContent = "";
      announce(await work());
    } catch (caught) {
      error.textContent = errorText(caught);
    }
    changed();
  };
}
