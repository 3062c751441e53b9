import { existsSync, readFileSync } from 'node:fs';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { generateSigningKeyPair, signingKeyId } from '@app/integrity';
import { RegistryRepository, type SigningKeyRow } from '@app/persistence';
import { ed25519NoteSigner, type NoteSigner } from '@app/tlog';

/** A configured key is PKCS#8 PEM text, or the path of a file holding it. */
const readConfiguredKey = (value: string): string => (value.includes('-----BEGIN') ? value : readFileSync(existsSync(value) ? value : value.trim(), 'utf8'));

/**
 * The registry's Ed25519 key: `REGISTRY_SIGNING_KEY` when configured (its public part is listed in
 * Postgres so old keys stay at /v1/public/keys after a rotation), else one generated and kept in
 * Postgres. It signs records and, as a C2SP signed-note key named after the log's origin, checkpoints.
 */
@Injectable()
export class RegistrySigningKeyService {
  private readonly logger = new Logger(RegistrySigningKeyService.name);
  private configured: SigningKeyRow | null | undefined;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: RegistryRepository,
  ) {}

  /** `active`: the active key row when the caller has read it already (undefined: read it here). */
  async signingKey(active?: SigningKeyRow | null): Promise<SigningKeyRow> {
    const configured = this.configuredKey();
    if (configured) return this.register(configured, active);
    const existing = active !== undefined ? active : await this.registry.activeKey();
    if (existing) return existing;
    await this.registry.insertKeyIfNoneActive(generateSigningKeyPair());
    const key = await this.registry.activeKey();
    if (!key) throw new Error('no active registry signing key after generating one');
    this.logger.log({ keyId: key.keyId }, 'registry signing key in use');
    return key;
  }

  /** The C2SP signed-note signer of the log: key name = the log's origin. */
  async noteSigner(): Promise<NoteSigner & { verifierKey: string; keyId: number; registryKeyId: string }> {
    const key = await this.signingKey();
    const signer = ed25519NoteSigner(this.config.REGISTRY_LOG_ORIGIN, createPrivateKey(key.privateKeyPem));
    return Object.assign(signer, { registryKeyId: key.keyId });
  }

  private configuredKey(): SigningKeyRow | null {
    if (this.configured !== undefined) return this.configured;
    const value = this.config.REGISTRY_SIGNING_KEY;
    if (!value) return (this.configured = null);
    const privateKeyPem = readConfiguredKey(value);
    const privateKey = createPrivateKey(privateKeyPem);
    if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('REGISTRY_SIGNING_KEY is not an Ed25519 private key');
    const publicKeyPem = createPublicKey(privateKey).export({ format: 'pem', type: 'spki' }).toString();
    this.configured = { keyId: signingKeyId(publicKeyPem), publicKeyPem, privateKeyPem, active: true, createdAt: new Date() };
    return this.configured;
  }

  /** Lists the configured key's public part as the active key, retiring any other (its private part is never stored). */
  private async register(key: SigningKeyRow, known?: SigningKeyRow | null): Promise<SigningKeyRow> {
    const active = known !== undefined ? known : await this.registry.activeKey();
    if (active?.keyId !== key.keyId) {
      await this.dataSource.transaction(async (db) => {
        await this.registry.retireActiveKeys(db);
        await this.registry.activateKey({ keyId: key.keyId, publicKeyPem: key.publicKeyPem, privateKeyPem: '' }, db);
      });
      this.logger.log({ keyId: key.keyId }, 'configured registry signing key in use');
    }
    return key;
  }
}
