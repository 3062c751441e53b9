// The log side of C2SP tlog-witness: which witnesses, their keys, and submitting checkpoints to them.
export { resolveWitnesses, witnessList, type WitnessEndpoint, type WitnessListItem } from './witness-endpoint.util.js';
export { WitnessSubmitter, type ConsistencyProofSource, type WitnessOutcome } from './witness-submitter.js';
