// The token lives in sessionStorage: it ends with the tab and never reaches a URL.
const KEY = "chorus.token";

/** The signed-in token, if any. */
export function token(): string | undefined {
  return sessionStorage.getItem(KEY) ?? undefined;
}

/**
 * Keeps the token for this tab.
 * @param value the bearer token
 */
export function signIn(value: string): void {
  sessionStorage.setItem(KEY, value);
}

/** Forgets the token. */
export function signOut(): void {
  sessionStorage.removeItem(KEY);
}
