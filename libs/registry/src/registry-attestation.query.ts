import { createPrivateKey } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { notFound } from '@app/problems';
import { signInTotoStatement, type DsseEnvelope } from '@app/tlog';
import { RegistrySigningKeyService } from './log/registry-signing-key.service.js';
import { RegistryQuery } from './registry.query.js';
import { releaseDecisionStatement } from './registry-attestation.util.js';

/** `GET /v1/public/registry/:id/attestation`: a record's release decision as a DSSE-signed in-toto statement. */
@Injectable()
export class RegistryAttestationQuery {
  constructor(
    private readonly registry: RegistryQuery,
    private readonly keys: RegistrySigningKeyService,
  ) {}

  /** 404 for an unknown record and for one whose model version names no weights. */
  async attestation(id: string): Promise<DsseEnvelope> {
    const statement = releaseDecisionStatement(await this.registry.record(id));
    if (statement === null) throw notFound('the record’s model version has no checkpointSha256, so no attestation');
    const key = await this.keys.signingKey();
    return signInTotoStatement(statement, [{ keyid: key.keyId, privateKey: createPrivateKey(key.privateKeyPem) }]);
  }
}
