// Writes apps/web/src/verification/testing/registry-log.fixture.json: records signed, logged and
// checkpointed by the server's own code (dist/, after `nest build`), for the web app's in-browser
// verification specs to check with code of their own. The key is a fixed seed; rerun after a change
// to what the registry signs:  nest build && node scripts/web-verification-fixture.mjs
import { createPublicKey } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { canonicalJson, publicKeyJwk, signCanonical } from '../dist/libs/integrity/src/index.js';
import { buildRegistryRecord } from '../dist/libs/registry/src/registry-record.util.js';
import {
  SIGNATURE_TYPE_ED25519, ed25519NoteSigner, ed25519PrivateKeyFromSeed, ed25519RawPublicKey, formatVerifierKey,
  hashAtFromLeafHashes, inTotoStatement, inclusionProof, leafHash, merkleRoot, signCheckpoint, signInTotoStatement,
} from '../dist/libs/tlog/src/index.js';

const ORIGIN = 'clearance.example/registry';
// The first seed byte whose verifier key's base64 holds a '+' (a parser splitting on every '+' fails it).
const seed = [...Array(256).keys()].find((b) => formatVerifierKey(ORIGIN, SIGNATURE_TYPE_ED25519, ed25519RawPublicKey(ed25519PrivateKeyFromSeed(Buffer.alloc(32, b)))).split('+').length > 3);
const privateKey = ed25519PrivateKeyFromSeed(Buffer.alloc(32, seed));
const privateKeyPem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const jwk = publicKeyJwk(createPublicKey(privateKey).export({ format: 'pem', type: 'spki' }).toString());

// The source row of libs/registry's unit spec (registry-record.util.spec.ts), with uuids.
const source = {
  caseId: '0b3f6d0e-7c1a-4c55-9d7e-2f1a7f3f0c01', seq: 5, state: 'cleared', at: '2025-01-01T00:00:00.000Z', hash: 'a'.repeat(64), everCleared: true,
  developer: { id: '5d1e9c1b-7d9a-4f6e-8a8f-0c2b1e3d4f05', name: 'Dev Org' },
  model: { name: 'm', version: '1.0', checkpointSha256: 'b'.repeat(64), baseModels: [] },
  policyPack: 'caip-2025@1.0.0', releasedAt: null,
  revision: { number: 1, hash: 'c'.repeat(64), tier: 'low', assessment: { summary: 'secret summary', components: [{ component: 'model_parameters', release: 'open' }, { component: 'inference_code', release: 'open' }] } },
  opinions: [{ auditFirm: { id: '9a4c2e1f-3b5d-4c6e-8f7a-1b2c3d4e5f06', name: 'Firm' }, kind: 'qualified', assurance: 'reasonable', basis: 'ok — “quoted” 😀', conditions: [{ text: 'api only', component: 'inference_code', maxRelease: 'api' }], issuedAt: '2025-01-01T00:00:00.000Z' }],
};

// A record published before the log: signed without kind and keyId (RegistryPublisherService's old rule).
const legacyBody = buildRegistryRecord({ ...source, seq: 4, state: 'regulator_review' }, { id: '1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f1', publishedAt: '2025-01-01T00:00:00.000Z' });
const legacy = { ...legacyBody, keyId: jwk.kid, signature: signCanonical(privateKeyPem, legacyBody) };
// A record as published today (RegistryPublisherService.publish).
const unsigned = { kind: 'record', ...buildRegistryRecord(source, { id: '2a3b4c5d-6e7f-4081-92a3-b4c5d6e7f809', publishedAt: '2025-01-02T00:00:00.000Z' }), redactions: [], keyId: jwk.kid };
const record = { ...unsigned, signature: signCanonical(privateKeyPem, unsigned) };

const entries = [
  { kind: 'legacy-record', record: legacy },
  { kind: 'heads', at: '2025-01-01T12:00:00.000Z', count: 1, root: 'd'.repeat(64) },
  record,
  { kind: 'heads', at: '2025-01-02T12:00:00.000Z', count: 1, root: 'e'.repeat(64) },
  { kind: 'heads', at: '2025-01-03T12:00:00.000Z', count: 2, root: 'f'.repeat(64) },
].map((entry) => Buffer.from(canonicalJson(entry), 'utf8'));
const leaves = entries.map((entry) => leafHash(entry));
const hashAt = hashAtFromLeafHashes(leaves);
const size = entries.length;
const signer = ed25519NoteSigner(ORIGIN, privateKey);
const checkpoint = signCheckpoint({ origin: ORIGIN, size, rootHash: merkleRoot(leaves) }, [signer]);
const proofOf = (logIndex) => ({ logIndex, treeSize: size, inclusionProof: inclusionProof(logIndex, size, hashAt).map((h) => h.toString('base64')), checkpoint });

// An attestation of the record's weights, signed with the registry key (the predicate's content is not checked here).
const statement = inTotoStatement([{ name: `${record.model.name}@${record.model.version}`, digest: { sha256: record.model.checkpointSha256 } }], 'https://clearance.example/release-decision/v1', { recordId: record.id, state: record.state });
const attestation = signInTotoStatement(statement, [{ keyid: jwk.kid, privateKey }]);

const fixture = {
  keys: { keys: [jwk] },
  logKey: formatVerifierKey(ORIGIN, SIGNATURE_TYPE_ED25519, ed25519RawPublicKey(privateKey)),
  legacy: { record: { ...legacy, logIndex: 0 }, proof: proofOf(0) },
  record: { record: { ...record, logIndex: 2 }, proof: proofOf(2), attestation },
};
writeFileSync(new URL('../apps/web/src/verification/testing/registry-log.fixture.json', import.meta.url), `${JSON.stringify(fixture, null, 2)}\n`);
