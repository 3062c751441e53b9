import { Counter, Registry, collectDefaultMetrics } from 'prom-client';
import type { MisbehaviourKind } from './misbehaviour.util.js';

/** The witness's Prometheus metrics, on a registry of its own (GET /metrics). */
export class WitnessMetrics {
  readonly registry = new Registry();
  private readonly answers = new Counter({
    name: 'witness_add_checkpoint_total',
    help: 'add-checkpoint requests by HTTP status',
    labelNames: ['status'],
    registers: [this.registry],
  });
  private readonly alerts = new Counter({
    name: 'witness_alerts_total',
    help: 'fork, shrink or inconsistent-proof detections by log origin and kind (alert on any increase)',
    labelNames: ['origin', 'kind'],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'witness_' });
  }

  answered(status: number): void {
    this.answers.inc({ status: String(status) });
  }

  alerted(origin: string, kind: MisbehaviourKind): void {
    this.alerts.inc({ origin, kind });
  }
}
