import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import {
  checkAddCheckpoint,
  encodeBase64,
  formatSignatureLine,
  openNote,
  parseAddCheckpointRequest,
  parseCheckpoint,
  parseNote,
  type AddCheckpointDecision,
  type AddCheckpointRequest,
  type Checkpoint,
  type NoteSigner,
  type NoteVerifier,
} from '@app/tlog';
import { classifyMisbehaviour, type MisbehaviourKind } from './misbehaviour.util.js';
import type { WitnessMetrics } from './witness-metrics.js';
import type { CosignedLog, WitnessRepository } from './witness.repository.js';

/** An HTTP answer of add-checkpoint (C2SP tlog-witness). */
export interface WitnessAnswer {
  status: number;
  contentType: string;
  body: string;
}

const DETAILS: Record<MisbehaviourKind, (cosigned: CosignedLog, checkpoint: Checkpoint, oldSize: number) => string> = {
  fork: (cosigned, checkpoint) =>
    `the log signed a root for size ${checkpoint.size} other than the one this witness cosigned (latest cosigned size ${cosigned.size})`,
  shrink: (cosigned, checkpoint, oldSize) =>
    `the log offered size ${checkpoint.size} as the successor of size ${oldSize}; this witness cosigned size ${cosigned.size}`,
  'inconsistent-proof': (cosigned, checkpoint) =>
    `the consistency proof from the cosigned size ${cosigned.size} to the signed size ${checkpoint.size} does not verify`,
};

/**
 * `POST /add-checkpoint`: checks a submission in the C2SP order (libs/tlog checkAddCheckpoint)
 * while holding its origin's row lock, so concurrent submissions serialise and the check and the
 * update are atomic; cosigns what extends the cosigned tree; records, logs and counts an alert
 * when a checkpoint the log signed contradicts it.
 */
export class AddCheckpointService {
  constructor(
    private readonly repository: WitnessRepository,
    private readonly cosigner: NoteSigner,
    private readonly logVerifiers: (origin: string) => readonly NoteVerifier[],
    private readonly metrics: WitnessMetrics,
    private readonly logger: Logger,
  ) {}

  async execute(body: string): Promise<WitnessAnswer> {
    const answer = await this.decide(body);
    this.metrics.answered(answer.status);
    return answer;
  }

  private async decide(body: string): Promise<WitnessAnswer> {
    const authentic = this.authentic(body);
    // Malformed (400), unknown origin (404) or no valid log signature (403): no state to read.
    if (authentic === null) return this.answer(checkAddCheckpoint(body, this.logVerifiers, () => null));
    const { request, checkpoint } = authentic;

    const outcome = await this.repository.withLockedLog(checkpoint.origin, async (cosigned, tx) => {
      const decision = checkAddCheckpoint(body, this.logVerifiers, () => ({ size: cosigned.size, rootHash: cosigned.rootHash }));
      const rootAtSize = checkpoint.size < cosigned.size ? await tx.cosignedRootAt(checkpoint.size) : null;
      const kind = classifyMisbehaviour(checkpoint, request.oldSize, cosigned, rootAtSize, decision);
      const alert =
        kind === null
          ? null
          : {
              kind,
              cosignedSize: cosigned.size,
              ...(await tx.recordAlert({
                origin: checkpoint.origin,
                kind,
                detail: DETAILS[kind](cosigned, checkpoint, request.oldSize),
                cosignedSize: cosigned.size,
                cosignedCheckpoint: cosigned.checkpoint,
                submittedOldSize: request.oldSize,
                submittedCheckpoint: request.checkpoint,
                submittedProof: request.proof.map((hash) => encodeBase64(hash)),
                submittedSha256: createHash('sha256').update(parseNote(request.checkpoint).text).digest('hex'),
              })),
            };
      if (decision.status === 200) await tx.recordCosigned(checkpoint.size, checkpoint.rootHash, request.checkpoint);
      return { decision, alert };
    });

    if (outcome.alert) {
      const { id, kind, created, cosignedSize } = outcome.alert;
      this.metrics.alerted(checkpoint.origin, kind);
      this.logger.error(
        { alert: { id, kind, origin: checkpoint.origin, cosignedSize, submittedSize: checkpoint.size, oldSize: request.oldSize, repeated: !created } },
        `witness alert: ${kind} of log ${checkpoint.origin}`,
      );
    }
    return this.answer(outcome.decision);
  }

  /** The request and its checkpoint when the checkpoint is well formed and signed by a key of its log; else null. */
  private authentic(body: string): { request: AddCheckpointRequest; checkpoint: Checkpoint } | null {
    const request = parseAddCheckpointRequest(body);
    if (request === null) return null;
    try {
      const checkpoint = parseCheckpoint(parseNote(request.checkpoint).text);
      const verifiers = this.logVerifiers(checkpoint.origin);
      if (verifiers.length === 0) return null;
      openNote(request.checkpoint, verifiers);
      return { request, checkpoint };
    } catch {
      return null;
    }
  }

  private answer(decision: AddCheckpointDecision): WitnessAnswer {
    switch (decision.status) {
      case 200: {
        const signature = this.cosigner.sign(Buffer.from(decision.text, 'utf8'));
        return { status: 200, contentType: 'text/plain; charset=utf-8', body: formatSignatureLine(this.cosigner.name, this.cosigner.keyId, signature) };
      }
      case 409:
        return { status: 409, contentType: 'text/x.tlog.size', body: `${decision.latestSize}\n` };
      case 400:
      case 403:
      case 404:
      case 422:
        return { status: decision.status, contentType: 'text/plain; charset=utf-8', body: `${decision.reason}\n` };
    }
  }
}
