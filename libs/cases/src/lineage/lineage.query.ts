import { Injectable } from '@nestjs/common';
import { requireUuid } from '@app/http';
import { ModelVersionRepository, iso, type LineageRow } from '@app/persistence';
import type { BaseModelRelation } from '@app/policy';
import { notFound } from '@app/problems';
import type { CaseState } from '@app/workflow';
import { LINEAGE_ALARM_STATES } from '../transition/case-records.service.js';
import { lineageEdges, placeLineage, type LineageEdge } from './lineage-graph.util.js';

export interface LineageGraphNode {
  modelVersionId: string;
  name: string;
  version: string;
  developerOrganisationId: string;
  depth: number;
  case: { id: string; state: string; releasedAt: string | null } | null;
  /** Its latest case is held, revoked or in reassessment: its descendants are flagged. */
  flagged: boolean;
  externalBases: Array<{ name: string; origin: string; sha256: string | null; relation: BaseModelRelation | null }>;
}

export interface LineageGraph {
  modelVersionId: string;
  nodes: LineageGraphNode[];
  edges: LineageEdge[];
  /** A walk stopped at LINEAGE_WALK_LIMIT: there are model versions beyond the farthest nodes. */
  truncated: boolean;
}

export interface PublicLineage {
  ancestors: PublicLineageItem[];
  descendants: PublicLineageItem[];
  truncated: boolean;
}

/**
 * Model versions walked each way at most, nearest generations first. Both routes are read by
 * anyone with a link (the public one without a token): a base model with tens of thousands of
 * derivatives must not cost a walk and an answer of that size per request. A reader continues
 * from a node at the edge. The flag walk (BASE_MODEL_FLAGGED) is not limited.
 */
export const LINEAGE_WALK_LIMIT = 1000;

export interface PublicLineageItem {
  recordId: string;
  name: string;
  version: string;
  relation: BaseModelRelation | null;
  state: string;
  depth: number;
}

const byDepthThenName = (a: { depth: number; name: string; version: string }, b: { depth: number; name: string; version: string }) =>
  a.depth - b.depth || a.name.localeCompare(b.name) || a.version.localeCompare(b.version);

/** The lineage of a model version: the regulator's whole graph and the public view of published records. */
@Injectable()
export class LineageQuery {
  constructor(private readonly models: ModelVersionRepository) {}

  /** Regulator: the model version, its ancestors and descendants at any depth, each with its latest case, and the links between them. */
  async graph(modelVersionId: string): Promise<LineageGraph> {
    const { rows, truncated } = await this.models.lineage(requireUuid(modelVersionId, 'no such model version'), LINEAGE_WALK_LIMIT);
    const root = rows.find((r) => r.modelVersionId === modelVersionId);
    if (!root) throw notFound('no such model version');
    const { ancestors, descendants } = placeLineage(modelVersionId, rows);
    const placed: Array<{ node: LineageRow; depth: number }> = [{ node: root, depth: 0 }, ...ancestors, ...descendants];
    return {
      modelVersionId,
      nodes: placed.map(({ node, depth }) => this.graphNode(node, depth)).sort(byDepthThenName),
      edges: lineageEdges(placed.map((p) => p.node)),
      truncated,
    };
  }

  /**
   * Public: the ancestors and descendants of a record's model version that have a published
   * record, each as its newest record. Unpublished model versions are walked through, never named.
   */
  async published(recordId: string): Promise<PublicLineage> {
    const modelVersionId = await this.models.idOfRecord(requireUuid(recordId, 'no such record'));
    if (!modelVersionId) throw notFound('no such record');
    const { rows, truncated } = await this.models.lineage(modelVersionId, LINEAGE_WALK_LIMIT);
    const { ancestors, descendants } = placeLineage(modelVersionId, rows);
    const published = (placed: typeof ancestors): PublicLineageItem[] =>
      placed
        .filter(({ node }) => node.recordId !== null)
        .map(({ node, depth, relation }) => ({ recordId: node.recordId!, name: node.name, version: node.version, relation, state: node.recordState ?? '', depth }))
        .sort(byDepthThenName);
    return { ancestors: published(ancestors), descendants: published(descendants), truncated };
  }

  private graphNode(row: LineageRow, depth: number): LineageGraphNode {
    return {
      modelVersionId: row.modelVersionId,
      name: row.name,
      version: row.version,
      developerOrganisationId: row.developerOrganisationId,
      depth,
      case: row.caseId ? { id: row.caseId, state: row.caseState!, releasedAt: iso(row.releasedAt) } : null,
      flagged: row.caseState !== null && LINEAGE_ALARM_STATES.includes(row.caseState as CaseState),
      externalBases: row.baseModels.flatMap((b) =>
        'external' in b ? [{ name: b.external.name, origin: b.external.origin, sha256: b.external.sha256 ?? null, relation: b.relation ?? null }] : [],
      ),
    };
  }
}
