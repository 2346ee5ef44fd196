/**
 * Which workflows' change deliveries the Integration Dashboard keeps. Kept: those its overview
 * samples, while someone looks (a page is connected, or an overview was asked for within
 * `quietMs`), and those the coordinator's lists do not hold yet (new ones, which a refresh may
 * pick). Every other delivery is answered with a pause (core's `ChangeAck`), so a workflow costs
 * its commits nothing here while nobody could see it change. A refresh that picks a workflow,
 * or finds someone looking again, resumes the paused ones it samples and has them read afresh.
 */
export class DashboardInterest {
  readonly #quietMs: number;
  #known = new Set<string>();
  /** the workflows picked at this instance's last refresh; none before its first */
  #sampled: Set<string> | undefined;
  /** sampled workflows paused because nobody looked: read afresh when someone does */
  readonly #quietPaused = new Set<string>();
  #askedAt = Number.NEGATIVE_INFINITY;

  /** @param quietMs how long after the last overview asked for, with no page, nobody looks */
  constructor(quietMs: number) {
    this.#quietMs = quietMs;
  }

  /** Notes that someone looks now (an overview asked for, a page connecting). */
  asked(now: number): void {
    this.#askedAt = now;
  }

  /**
   * @param workflowId the workflow delivered
   * @param watched whether a page is connected
   * @param now the time
   * @returns whether the delivery may be answered with a pause
   */
  pausable(workflowId: string, watched: boolean, now: number): boolean {
    if (this.#sampled === undefined || !this.#known.has(workflowId)) return false;
    if (!this.#sampled.has(workflowId)) return true;
    if (this.#looking(watched, now)) return false;
    this.#quietPaused.add(workflowId);
    return true;
  }

  /** @returns whether the lists held the workflow at the last refresh */
  known(workflowId: string): boolean {
    return this.#known.has(workflowId);
  }

  /**
   * Takes in a refresh: resumes the workflows it newly picked (every picked one at an instance's
   * first refresh, since a pause may date from an earlier one) and, when someone looks, the
   * sampled ones paused while nobody did. One whose resume failed is tried again at the next
   * refresh.
   * @param known every workflow in the lists
   * @param picked the workflows the overview samples
   * @param watched whether a page is connected
   * @param now the time
   * @param resume resumes one workflow's deliveries; false when it could not
   * @returns the workflows resumed, whose samples must be read afresh
   */
  async update(
    known: readonly string[],
    picked: readonly string[],
    watched: boolean,
    now: number,
    resume: (workflowId: string) => Promise<boolean>,
  ): Promise<string[]> {
    const looking = this.#looking(watched, now);
    const entering = picked.filter(
      (id) => this.#sampled?.has(id) !== true || (looking && this.#quietPaused.has(id)),
    );
    const resumed = await Promise.all(entering.map(resume));
    const failed = new Set(entering.filter((_, index) => !resumed[index]));
    this.#known = new Set(known);
    this.#sampled = new Set(picked.filter((id) => !failed.has(id)));
    const done = entering.filter((id) => !failed.has(id));
    for (const id of done) this.#quietPaused.delete(id);
    for (const id of this.#quietPaused) if (!this.#sampled.has(id)) this.#quietPaused.delete(id);
    return done;
  }

  #looking(watched: boolean, now: number): boolean {
    return watched || now - this.#askedAt < this.#quietMs;
  }
}
