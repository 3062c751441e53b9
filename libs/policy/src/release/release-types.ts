import type { Component } from '../vocabulary/components.js';
import type { Gating, ReleaseLevel } from '../vocabulary/release-levels.js';

/** An opinion's condition; `maxRelease` caps `component`, or every component when none is named. */
export type ReleaseCondition = { text: string; component?: Component; maxRelease?: ReleaseLevel };

/** What clearance permits for one component: at most `release`, gated no more weakly than `gating`. */
export type ClearedComponent = { component: Component; release: ReleaseLevel; gating?: Gating };

/** One component as the developer recorded it at `RECORD_RELEASE`. */
export type RecordedComponent = {
  component: Component;
  release: ReleaseLevel;
  location: string;
  gating?: Gating;
  sha256?: string;
};

/** A `RECORD_RELEASE` guard refusal. */
export type ReleaseViolation = { rule: string; message: string };
