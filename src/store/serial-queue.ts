/**
 * Runs async tasks one at a time in call order. Appends go through one, so planning against the
 * index and committing to it can never interleave with another append.
 */
export class SerialQueue {
  #last: Promise<unknown> = Promise.resolve();

  run<Result>(task: () => Promise<Result>): Promise<Result> {
    const result = this.#last.then(task);
    // Why swallow here: a failed task must not stop the queue; its caller gets the error from `result`.
    this.#last = result.catch(() => undefined);
    return result;
  }

  /** Resolves once every task queued so far has settled. */
  async drain(): Promise<void> {
    await this.#last;
  }
}
