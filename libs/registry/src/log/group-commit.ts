/**
 * Group commit: items submitted while a commit is in flight wait for it to end and then go
 * together in the next one, so concurrent callers share one transaction (one lock, one write)
 * instead of queueing on a lock one by one. The first item goes at once: no added latency alone.
 */
export class GroupCommit<I, O> {
  private readonly waiting: Array<{ item: I; resolve: (outcome: O) => void; reject: (error: unknown) => void }> = [];
  private draining = false;

  /** `commit` gets a batch of at most `maxBatch` items and answers each, in order. */
  constructor(
    private readonly commit: (items: I[]) => Promise<O[]>,
    private readonly maxBatch = 64,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.maxBatch);
      try {
        const outcomes = await this.commit(batch.map((b) => b.item));
        batch.forEach((b, i) => b.resolve(outcomes[i]!));
      } catch (error) {
        if (batch.length === 1) batch[0]!.reject(error);
        // One bad item must not fail the others: each is committed alone, and only what fails alone fails.
        else for (const b of batch) await this.commitAlone(b);
      }
    }
    this.draining = false;
  }

  private async commitAlone(waiter: { item: I; resolve: (outcome: O) => void; reject: (error: unknown) => void }): Promise<void> {
    try {
      const [outcome] = await this.commit([waiter.item]);
      waiter.resolve(outcome!);
    } catch (error) {
      waiter.reject(error);
    }
  }
}
