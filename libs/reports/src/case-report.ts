/** What a model report shows, already read and formatted: the renderer only lays it out. */
export interface CaseReport {
  /** RFC 3339 time the report was made (the database clock). */
  generatedAt: string;
  caseId: string;
  state: string;
  tier: string | null;
  revision: number;
  revisionHash: string | null;
  releasedAt: string | null;
  createdAt: string;
  policyPack: string;
  workflowVersion: string;
  developerOrganisation: string;
  model: { name: string; version: string; checkpointSha256: string | null; baseModels: string[] };
  /** Every component of the Model Openness Framework, in its order: a component not listed is withheld. */
  components: Array<{ component: string; release: string; gating: string | null }>;
  evaluations: Array<{ domain: string; method: string; tier: string; summary: string }>;
  safeguards: Array<{ kind: string; description: string; residualRisk: string }>;
  rationale: string | null;
  findings: Array<{
    severity: string;
    title: string;
    status: string;
    concerns: string | null;
    revision: number;
    detail: string;
    response: string | null;
    resolutionNote: string | null;
  }>;
  opinions: Array<{
    auditor: string;
    kind: string;
    assurance: string;
    issuedAt: string;
    revisionHash: string;
    basis: string | null;
    conditions: string[];
  }>;
  /** Open deadlines. */
  deadlines: Array<{ kind: string; dueAt: string; pausedAt: string | null; escalatedAt: string | null }>;
  history: { length: number; headHash: string; verifyUrl: string };
}
