import { addCosignatures, encodeAddCheckpointRequest, noteVerifierFromKey, parseCheckpoint, parseNote } from '@app/tlog';
import type { WitnessEndpoint } from './witness-endpoint.util.js';

/** The consistency proof between two sizes of the log (RFC 6962), as the log's store computes it. */
export type ConsistencyProofSource = (oldSize: number, newSize: number) => Promise<readonly Uint8Array[]>;

/** What one witness did with a checkpoint. */
export type WitnessOutcome =
  | { url: string; status: 'cosigned'; cosignatures: string }
  | { url: string; status: 'refused'; httpStatus: number; detail: string }
  /** The witness already cosigned a larger tree (this checkpoint was overtaken by a newer one): nothing to do. */
  | { url: string; status: 'superseded'; witnessSize: number }
  | { url: string; status: 'unreachable'; detail: string };

/** Retries after a 409 that reports another size: the size can move once more under concurrent submitters. */
const MAX_CONFLICT_RETRIES = 2;

/**
 * The log side of C2SP tlog-witness: submits each new checkpoint to every witness with a
 * consistency proof from the size the witness last cosigned (remembered per witness, 0 at
 * first), answers a 409 by retrying from the size the witness reports (or stopping when that
 * size is above the checkpoint's: a newer checkpoint was cosigned first), and merges the
 * cosignatures that verify under the witness keys (addCosignatures). A witness that is down
 * or refuses leaves the checkpoint without its cosignature; nothing throws for it.
 */
export class WitnessSubmitter {
  private readonly knownSizes = new Map<string, number>();

  constructor(
    private readonly witnesses: readonly WitnessEndpoint[],
    private readonly proofs: ConsistencyProofSource,
    private readonly options: { fetch?: typeof fetch; timeoutMs?: number } = {},
  ) {}

  /** Submits `signedCheckpoint` (the log's signed note) to every witness at once; `checkpoint` carries the cosignatures received. */
  async submit(signedCheckpoint: string): Promise<{ checkpoint: string; outcomes: WitnessOutcome[] }> {
    const size = parseCheckpoint(parseNote(signedCheckpoint).text).size;
    const outcomes = await Promise.all(this.witnesses.map((witness) => this.submitTo(witness, signedCheckpoint, size)));
    let checkpoint = signedCheckpoint;
    for (const [index, outcome] of outcomes.entries()) {
      if (outcome.status !== 'cosigned') continue;
      try {
        checkpoint = addCosignatures(checkpoint, outcome.cosignatures, [noteVerifierFromKey(this.witnesses[index]!.verifierKey)]);
      } catch (error) {
        outcomes[index] = { url: outcome.url, status: 'refused', httpStatus: 200, detail: `cosignature does not verify: ${(error as Error).message}` };
      }
    }
    return { checkpoint, outcomes };
  }

  private async submitTo(witness: WitnessEndpoint, signedCheckpoint: string, size: number): Promise<WitnessOutcome> {
    const { fetch: fetchImpl = fetch, timeoutMs = 10_000 } = this.options;
    for (let attempt = 0; ; attempt += 1) {
      const oldSize = this.knownSizes.get(witness.url) ?? 0;
      // A witness this submitter saw cosign a larger tree gets it anyway, as that tree's successor: it refuses and alerts on a shrink.
      const proof = oldSize === 0 || oldSize >= size ? [] : await this.proofs(oldSize, size);
      let response: Response;
      try {
        response = await fetchImpl(`${witness.url}/add-checkpoint`, {
          method: 'POST',
          headers: { 'content-type': 'text/plain; charset=utf-8' },
          body: encodeAddCheckpointRequest({ oldSize, proof, checkpoint: signedCheckpoint }),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        return { url: witness.url, status: 'unreachable', detail: (error as Error).message };
      }
      const body = await response.text().catch(() => '');
      if (response.status === 200) {
        this.knownSizes.set(witness.url, Math.max(size, this.knownSizes.get(witness.url) ?? 0));
        return { url: witness.url, status: 'cosigned', cosignatures: body };
      }
      const reported = response.status === 409 && response.headers.get('content-type')?.startsWith('text/x.tlog.size') ? /^(0|[1-9]\d*)\n$/.exec(body) : null;
      if (reported) {
        const witnessSize = Number(reported[1]);
        // Another submission (another replica, or a newer checkpoint) got there first: not this one's to push back.
        if (witnessSize > size) {
          this.knownSizes.set(witness.url, Math.max(witnessSize, this.knownSizes.get(witness.url) ?? 0));
          return { url: witness.url, status: 'superseded', witnessSize };
        }
        if (attempt < MAX_CONFLICT_RETRIES && witnessSize !== oldSize) {
          this.knownSizes.set(witness.url, witnessSize);
          continue;
        }
      }
      return { url: witness.url, status: 'refused', httpStatus: response.status, detail: body.trim() };
    }
  }
}

