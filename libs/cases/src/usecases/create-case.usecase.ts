import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { parseBody } from '@app/http';
import { BASE_MODEL_RELATIONS, parsePackRef } from '@app/policy';
import { GENESIS_HASH } from '@app/integrity';
import { CaseRepository, ModelVersionRepository, PolicyPackRepository, type CaseRow, type Db } from '@app/persistence';
import { caseExists, validationFailed } from '@app/problems';
import { isFinalState, startCase, type UserActor } from '@app/workflow';

const DEFAULT_PACK_ID = 'caip-2025';

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex SHA-256');
// Optional: lineage recorded before relations existed has none, and a single card id may name none.
const relation = z.enum(BASE_MODEL_RELATIONS).optional();
export const baseModelsSchema = z
  .array(
    z.union([
      z.strictObject({ modelVersionId: z.uuid(), relation }),
      z.strictObject({
        external: z.strictObject({ name: z.string().trim().min(1).max(300), origin: z.string().trim().min(1).max(2000), sha256: sha256.optional() }),
        relation,
      }),
    ]),
  )
  .max(100);

export const createCaseSchema = z.strictObject({
  model: z.strictObject({
    name: z.string().trim().min(1).max(300),
    version: z.string().trim().min(1).max(100),
    checkpointSha256: sha256.optional(),
    baseModels: baseModelsSchema.optional(),
  }),
  policyPack: z.string().min(1).max(200).optional(),
});

export type CreateCaseCommand = z.infer<typeof createCaseSchema>;

/** Opens a case for one of the developer organisation's model versions. */
@Injectable()
export class CreateCaseUseCase {
  constructor(
    private readonly cases: CaseRepository,
    private readonly models: ModelVersionRepository,
    private readonly packs: PolicyPackRepository,
  ) {}

  static parse(body: unknown): CreateCaseCommand {
    return parseBody(createCaseSchema, body);
  }

  async execute(command: CreateCaseCommand, developer: UserActor, db: Db): Promise<CaseRow> {
    const pack = await this.resolvePack(command.policyPack, db);
    const baseModels = command.model.baseModels ?? [];
    const problems = [];
    for (const [i, base] of baseModels.entries()) {
      if ('modelVersionId' in base && !(await this.models.findById(base.modelVersionId, db)))
        problems.push({ path: `$.model.baseModels[${i}].modelVersionId`, message: 'no such model version' });
    }
    const known = await this.models.findByKey(developer.organisationId!, command.model.name, command.model.version, db);
    if (known?.checkpointSha256 && command.model.checkpointSha256 && known.checkpointSha256 !== command.model.checkpointSha256)
      problems.push({
        path: '$.model.checkpointSha256',
        message: `${known.name}@${known.version} is recorded with another checkpoint; a different checkpoint is a new model version`,
      });
    if (problems.length) throw validationFailed(problems);

    const model = await this.models.upsert(
      {
        developerOrganisationId: developer.organisationId!,
        name: command.model.name,
        version: command.model.version,
        checkpointSha256: command.model.checkpointSha256,
        baseModels: command.model.baseModels,
      },
      db,
    );
    const states = await this.cases.statesOfModelVersion(model.id, db);
    if (states.some((s) => !isFinalState(s)))
      throw caseExists(`${model.name}@${model.version} already has a case that is not final`);
    const start = startCase(developer.organisationId!);
    return this.cases
      .insert(
        {
          modelVersionId: model.id,
          developerOrganisationId: developer.organisationId!,
          state: start.state,
          isFinal: false,
          workflowVersion: start.workflowVersion,
          policyPackId: pack.id,
          policyPackVersion: pack.version,
          context: start.context,
          createdBy: developer.id,
          headHash: GENESIS_HASH,
        },
        db,
      )
      .catch((error: { code?: string }) => {
        // The partial unique index settles a race between two creations.
        if (error.code === '23505') throw caseExists(`${model.name}@${model.version} already has a case that is not final`);
        throw error;
      });
  }

  private async resolvePack(ref: string | undefined, db: Db) {
    const parsed = ref ? (parsePackRef(ref) ?? { id: ref, version: null }) : { id: DEFAULT_PACK_ID, version: null };
    const pack = parsed.version ? await this.packs.find(parsed.id, parsed.version, db) : await this.packs.latest(parsed.id, db);
    if (!pack) throw validationFailed([{ path: '$.policyPack', message: `no published policy pack ${ref ?? DEFAULT_PACK_ID}` }]);
    return pack;
  }
}
