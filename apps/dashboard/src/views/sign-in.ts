import { ApiError, api } from "../api.ts";
import { h, replace } from "../dom.ts";
import { errorText } from "../format.ts";
import { signIn, signOut } from "../session.ts";

/**
 * The sign-in form: the token is checked with one request, then kept in sessionStorage.
 * @param main where to draw
 * @returns nothing to stop
 */
export function signInView(main: HTMLElement): () => void {
  const input = h("input", {
    id: "token",
    name: "token",
    type: "password",
    autocomplete: "off",
    required: true,
  });
  const error = h("p", { class: "error", role: "alert" });
  const form = h(
    "form",
    { onsubmit: (event: Event) => void submit(event) },
    h("label", { for: "token" }, "API token", input),
    h("button", { type: "submit", class: "primary" }, "Sign in"),
    error,
  );
  async function submit(event: Event): Promise<void> {
    event.preventDefault();
    signIn(input.value.trim());
    try {
      await api.workflows({});
      window.dispatchEvent(new Event("chorus:signed-in"));
    } catch (caught) {
      signOut();
      error.textContent =
        caught instanceof ApiError && caught.status === 401
          ? "That token is not valid."
          : `Could not sign in: ${errorText(caught)}`;
    }
  }
  replace(
    main,
    h(
      "section",
      { class: "card signin" },
      h("h1", {}, "Sign in to Chorus"),
      h(
        "p",
        { class: "muted" },
        "Use an API token (the dev stack prints its admin token). It is kept for this tab only.",
      ),
      form,
    ),
  );
  input.focus();
  return () => {};
}
