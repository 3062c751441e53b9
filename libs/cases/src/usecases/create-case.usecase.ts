import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { parseBody } from '@app/http';
import { BASE_MODEL_RELATIONS, parsePackRef } from '@app/policy';
import { GENESIS_HASH } from '@app/integrity';
import { CaseRepository, type CaseRow, type Db, type ModelVersionRow } from '@app/persistence';
import { caseExists, validationFailed } from '@app/problems';
import { startCase, type UserActor } from '@app/workflow';

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

/**
 * Opens a case for one of the developer organisation's model versions, in two statements: one read
 * for every check (CaseRepository.creationRead), then one write of the model version and the case
 * that the partial unique index refuses, writing nothing, when a concurrent creation got there first.
 */
@Injectable()
export class CreateCaseUseCase {
  constructor(private readonly cases: CaseRepository) {}

  static parse(body: unknown): CreateCaseCommand {
    return parseBody(createCaseSchema, body);
  }

  async execute(command: CreateCaseCommand, developer: UserActor, db?: Db): Promise<{ row: CaseRow; model: ModelVersionRow }> {
    const organisationId = developer.organisationId!;
    const baseModels = command.model.baseModels ?? [];
    const ref = command.policyPack;
    const packRef = ref ? (parsePackRef(ref) ?? { id: ref, version: null }) : { id: DEFAULT_PACK_ID, version: null };
    const read = await this.cases.creationRead(
      packRef,
      { developerOrganisationId: organisationId, name: command.model.name, version: command.model.version },
      baseModels.flatMap((base) => ('modelVersionId' in base ? [base.modelVersionId] : [])),
      db,
    );
    const pack = read.pack;
    if (!pack) throw validationFailed([{ path: '$.policyPack', message: `no published policy pack ${ref ?? DEFAULT_PACK_ID}` }]);
    const problems = [];
    for (const [i, base] of baseModels.entries()) {
      if ('modelVersionId' in base && !read.knownBaseModels.includes(base.modelVersionId.toLowerCase()))
        problems.push({ path: `$.model.baseModels[${i}].modelVersionId`, message: 'no such model version' });
    }
    const known = read.model;
    if (known?.checkpointSha256 && command.model.checkpointSha256 && known.checkpointSha256 !== command.model.checkpointSha256)
      problems.push({
        path: '$.model.checkpointSha256',
        message: `${known.name}@${known.version} is recorded with another checkpoint; a different checkpoint is a new model version`,
      });
    if (problems.length) throw validationFailed(problems);
    const exists = () => caseExists(`${command.model.name}@${command.model.version} already has a case that is not final`);
    if (read.liveCase) throw exists();

    const start = startCase(organisationId);
    return this.cases
      .create(
        {
          developerOrganisationId: organisationId,
          name: command.model.name,
          version: command.model.version,
          checkpointSha256: command.model.checkpointSha256,
          baseModels: command.model.baseModels,
        },
        {
          developerOrganisationId: organisationId,
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
      .catch((error: { code?: string; constraint?: string }) => {
        // The partial unique index settles a race between two creations; the statement wrote nothing.
        if (error.code === '23505' && error.constraint === 'cases_one_open_per_model') throw exists();
        throw error;
      });
  }
}
