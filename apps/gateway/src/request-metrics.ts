/** Requests served by this isolate, by method, route pattern and status. */
const served = new Map<string, { labels: RequestLabels; count: number; seconds: number }>();

/** The labels of one request series. */
export interface RequestLabels {
  method: string;
  /** the route pattern (`/api/workflows/:id/state`), or `unmatched` */
  route: string;
  status: number;
}

/**
 * Counts one served request.
 * @param labels its method, route pattern and status
 * @param seconds how long it took
 */
export function countRequest(labels: RequestLabels, seconds: number): void {
  const key = `${labels.method} ${labels.route} ${labels.status}`;
  const entry = served.get(key) ?? { labels, count: 0, seconds: 0 };
  entry.count++;
  entry.seconds += seconds;
  served.set(key, entry);
}

/** @returns every series counted so far in this isolate */
export function requestSeries(): Array<{ labels: RequestLabels; count: number; seconds: number }> {
  return [...served.values()];
}
