import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { WitnessRepository } from './witness.repository.js';

/** The cosigning key: WITNESS_SIGNING_KEY when configured, else the one kept in the witness schema (generated on first start). */
export async function loadWitnessKey(configured: string | undefined, repository: WitnessRepository): Promise<KeyObject> {
  const pem =
    configured ??
    (await repository.signingKey(() => generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()));
  const key = createPrivateKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`WITNESS_SIGNING_KEY: an Ed25519 key is required, not ${key.asymmetricKeyType}`);
  return key;
}
