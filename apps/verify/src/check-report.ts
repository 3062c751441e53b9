/** A check that failed: the verifier stops at the first one and exits non-zero naming it. */
export class VerificationFailure extends Error {
  override readonly name = 'VerificationFailure';
}

/** Bad arguments or an unreadable input: nothing was verified (exit 2, not 1). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Prints one line per check, ✓ or ✗ with what was checked; the first ✗ throws VerificationFailure. */
export class CheckReport {
  private passedCount = 0;

  constructor(private readonly writeLine: (line: string) => void) {}

  get passed(): number {
    return this.passedCount;
  }

  pass(what: string): void {
    this.passedCount++;
    this.writeLine(`✓ ${what}`);
  }

  fail(what: string): never {
    this.writeLine(`✗ ${what}`);
    throw new VerificationFailure(what);
  }

  /** `✓ what` when ok, else `✗ what: why`. */
  check(ok: boolean, what: string, why: string): void {
    if (ok) this.pass(what);
    else this.fail(`${what}: ${why}`);
  }

  /** Information that is not a check (what was skipped, which rule applied). */
  note(text: string): void {
    this.writeLine(`  ${text}`);
  }
}
