/**
 * Work in hand, bounded per caller and in all: `take` refuses past either bound (the caller's
 * first, so one caller's burst is told it is theirs) and hands back the release, which frees the
 * slot once however often it is called. For work that holds memory or CPU while it runs (model
 * reports, evidence uploads), so a burst costs a bounded amount and other callers keep their share.
 */
export class CallerSlots {
  private total = 0;
  private readonly byCaller = new Map<string, number>();

  constructor(
    private readonly limits: { perCaller: number; total: number },
    private readonly refusals: { perCaller: (limit: number) => Error; total: (inHand: number) => Error },
  ) {}

  /** Slots taken and not yet released. */
  get inHand(): number {
    return this.total;
  }

  take(caller: string): () => void {
    const mine = this.byCaller.get(caller) ?? 0;
    if (mine >= this.limits.perCaller) throw this.refusals.perCaller(this.limits.perCaller);
    if (this.total >= this.limits.total) throw this.refusals.total(this.total);
    this.byCaller.set(caller, mine + 1);
    this.total++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total--;
      const left = this.byCaller.get(caller)! - 1;
      if (left) this.byCaller.set(caller, left);
      else this.byCaller.delete(caller);
    };
  }
}
