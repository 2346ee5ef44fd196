/**
 * Which workflows' change deliveries the Integration Dashboard keeps: those its overview samples,
 * and those the coordinator's lists do not hold yet (new ones, which a refresh may pick). Every
 * other workflow's deliveries are paused at the state manager (core's `ChangeAck`): a workflow
 * the overview does not sample costs its commits nothing here. A refresh that picks a workflow
 * resumes it, and reads its sample then anyway.
 */
export class DashboardInterest {
  #known = new Set<string>();
  /** the workflows picked at this instance's last refresh; none before its first */
  #sampled: Set<string> | undefined;

  /** @returns whether a delivery of this workflow may be answered with a pause */
  pausable(workflowId: string): boolean {
    return (
      this.#sampled !== undefined && this.#known.has(workflowId) && !this.#sampled.has(workflowId)
    );
  }

  /** @returns whether the lists held the workflow at the last refresh */
  known(workflowId: string): boolean {
    return this.#known.has(workflowId);
  }

  /**
   * Takes in a refresh: resumes the workflows it newly picked (every picked one at an instance's
   * first refresh, since a pause may date from an earlier instance). One whose resume failed
   * stays out of the sampled set, so the next refresh tries it again.
   * @param known every workflow in the lists
   * @param picked the workflows the overview samples
   * @param resume resumes one workflow's deliveries; false when it could not
   */
  async update(
    known: readonly string[],
    picked: readonly string[],
    resume: (workflowId: string) => Promise<boolean>,
  ): Promise<void> {
    const entering = picked.filter((id) => this.#sampled?.has(id) !== true);
    const resumed = await Promise.all(entering.map(resume));
    const failed = new Set(entering.filter((_, index) => !resumed[index]));
    this.#known = new Set(known);
    this.#sampled = new Set(picked.filter((id) => !failed.has(id)));
  }
}
