/**
 * A time as the page shows it: `HH:MM:SS` today, the date before that.
 * @param ms milliseconds since the epoch
 * @returns the text
 */
export function time(ms: number): string {
  const at = new Date(ms);
  const iso = at.toISOString();
  return at.toDateString() === new Date().toDateString()
    ? at.toLocaleTimeString([], { hour12: false })
    : `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

/**
 * How long ago, for heartbeats and leases: `4 s ago`, `in 25 s`.
 * @param ms milliseconds since the epoch
 * @param now the present
 * @returns the text
 */
export function relative(ms: number, now = Date.now()): string {
  const seconds = Math.round((ms - now) / 1000);
  const size = Math.abs(seconds);
  const amount =
    size < 120
      ? `${size} s`
      : size < 7200
        ? `${Math.round(size / 60)} min`
        : `${Math.round(size / 3600)} h`;
  return seconds <= 0 ? `${amount} ago` : `in ${amount}`;
}

/**
 * A JSON value on one line, cut to a length (`undefined`: "—", for a value that is absent).
 * @param value the value
 * @param max the most characters shown
 * @returns the text
 */
export function short(value: unknown, max = 120): string {
  if (value === undefined) return "—";
  const text = JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * Shows a passing message in the status line (read out by screen readers).
 * @param message what happened
 */
export function announce(message: string): void {
  const status = document.getElementById("status");
  if (status === null) return;
  status.textContent = message;
  const shown = message;
  setTimeout(() => {
    if (status.textContent === shown) status.textContent = "";
  }, 4000);
}

/**
 * An error as the page reports it.
 * @param error what was thrown
 * @returns its message
 */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Marks the first time a view drew its data (`chorus:first-render` in the Performance timeline),
 * which the browser tests read to hold the page to its budget.
 */
export function markFirstRender(): void {
  if (performance.getEntriesByName("chorus:first-render").length === 0) {
    performance.mark("chorus:first-render");
  }
}
