import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The whole schema of the core engine. Never edited once committed: add a new migration instead. */
export class Init1764300000000 implements MigrationInterface {
  name = 'Init1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pgcrypto`);
    await q.query(`
      CREATE TABLE organisations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('developer', 'audit_firm', 'regulator')),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL,
        display_name text NOT NULL,
        organisation_id uuid REFERENCES organisations (id),
        role text NOT NULL CHECK (role IN ('developer', 'auditor', 'regulator', 'admin')),
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((role = 'admin') = (organisation_id IS NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX users_email_key ON users (lower(email))`);
    await q.query(`
      CREATE TABLE api_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id),
        token_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      )`);
    await q.query(`
      CREATE TABLE conflicts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        audit_firm_id uuid NOT NULL REFERENCES organisations (id),
        developer_organisation_id uuid NOT NULL REFERENCES organisations (id),
        kind text NOT NULL CHECK (kind IN ('financial', 'operational', 'management', 'personal')),
        scope text NOT NULL CHECK (scope IN ('firm', 'individual')),
        auditor_id uuid REFERENCES users (id),
        since timestamptz,
        until timestamptz,
        reason text,
        case_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((scope = 'individual') = (auditor_id IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX conflicts_pair_idx ON conflicts (developer_organisation_id, audit_firm_id)`);
    await q.query(`
      CREATE TABLE policy_packs (
        id text NOT NULL,
        version text NOT NULL,
        version_key int[] NOT NULL,
        document jsonb NOT NULL,
        published_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (id, version)
      )`);
    await q.query(`
      CREATE TABLE model_versions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        developer_organisation_id uuid NOT NULL REFERENCES organisations (id),
        name text NOT NULL,
        version text NOT NULL,
        checkpoint_sha256 text,
        base_models jsonb NOT NULL DEFAULT '[]',
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (developer_organisation_id, name, version)
      )`);
    await q.query(`
      CREATE TABLE cases (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        model_version_id uuid NOT NULL REFERENCES model_versions (id),
        developer_organisation_id uuid NOT NULL REFERENCES organisations (id),
        state text NOT NULL,
        is_final boolean NOT NULL DEFAULT false,
        workflow_version text NOT NULL,
        policy_pack_id text NOT NULL,
        policy_pack_version text NOT NULL,
        context jsonb NOT NULL,
        version int NOT NULL DEFAULT 1,
        revision int NOT NULL DEFAULT 0,
        revision_hash text,
        tier text,
        assessment jsonb NOT NULL DEFAULT '{}',
        released_at timestamptz,
        created_by uuid NOT NULL REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        state_entered_at timestamptz NOT NULL DEFAULT now(),
        head_hash text NOT NULL,
        last_seq int NOT NULL DEFAULT 0,
        FOREIGN KEY (policy_pack_id, policy_pack_version) REFERENCES policy_packs (id, version)
      )`);
    // A model version has at most one non-final case.
    await q.query(`CREATE UNIQUE INDEX cases_one_open_per_model ON cases (model_version_id) WHERE NOT is_final`);
    await q.query(`CREATE INDEX cases_queue_idx ON cases (state, state_entered_at, id)`);
    await q.query(`CREATE INDEX cases_org_created_idx ON cases (developer_organisation_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX cases_created_idx ON cases (created_at DESC, id DESC)`);
    await q.query(`
      CREATE TABLE evidence (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES cases (id),
        sha256 text NOT NULL,
        size bigint NOT NULL,
        media_type text NOT NULL,
        filename text,
        content bytea NOT NULL,
        uploaded_by uuid NOT NULL REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX evidence_case_idx ON evidence (case_id)`);
    await q.query(`
      CREATE TABLE revisions (
        case_id uuid NOT NULL REFERENCES cases (id),
        number int NOT NULL,
        hash text NOT NULL,
        assessment jsonb NOT NULL,
        evidence_ids uuid[] NOT NULL,
        evidence_sha256 text[] NOT NULL,
        tier text,
        submitted_by uuid NOT NULL REFERENCES users (id),
        submitted_at timestamptz NOT NULL,
        PRIMARY KEY (case_id, number)
      )`);
    await q.query(`
      CREATE TABLE assignments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES cases (id),
        auditor_id uuid NOT NULL REFERENCES users (id),
        audit_firm_id uuid NOT NULL REFERENCES organisations (id),
        assigned_at timestamptz NOT NULL,
        unassigned_at timestamptz,
        unassigned_reason text
      )`);
    await q.query(`CREATE INDEX assignments_auditor_idx ON assignments (auditor_id, case_id)`);
    await q.query(`CREATE INDEX assignments_case_idx ON assignments (case_id)`);
    await q.query(`
      CREATE TABLE findings (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES cases (id),
        severity text NOT NULL CHECK (severity IN ('info', 'minor', 'major', 'critical')),
        title text NOT NULL,
        detail text NOT NULL,
        component text,
        domain text,
        raised_by uuid NOT NULL REFERENCES users (id),
        revision int NOT NULL,
        status text NOT NULL CHECK (status IN ('open', 'responded', 'resolved')),
        response text,
        resolution_note text,
        created_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX findings_case_idx ON findings (case_id, created_at)`);
    await q.query(`
      CREATE TABLE opinions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES cases (id),
        auditor_id uuid NOT NULL REFERENCES users (id),
        revision_hash text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('unmodified', 'qualified', 'adverse', 'disclaimer')),
        assurance text NOT NULL CHECK (assurance IN ('reasonable', 'limited')),
        basis text,
        conditions jsonb NOT NULL DEFAULT '[]',
        issued_at timestamptz NOT NULL,
        voided_at timestamptz
      )`);
    await q.query(`CREATE INDEX opinions_case_idx ON opinions (case_id, issued_at)`);
    await q.query(`
      CREATE TABLE deadlines (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES cases (id),
        kind text NOT NULL,
        opened_at timestamptz NOT NULL,
        due_at timestamptz NOT NULL,
        paused_at timestamptz,
        escalated_at timestamptz,
        closed_at timestamptz
      )`);
    await q.query(`CREATE INDEX deadlines_case_open_idx ON deadlines (case_id) WHERE closed_at IS NULL`);
    await q.query(`CREATE INDEX deadlines_due_idx ON deadlines (due_at) WHERE closed_at IS NULL AND paused_at IS NULL`);
    await q.query(`
      CREATE TABLE case_events (
        case_id uuid NOT NULL REFERENCES cases (id),
        seq int NOT NULL,
        type text NOT NULL,
        actor jsonb NOT NULL,
        from_state text NOT NULL,
        to_state text NOT NULL,
        at timestamptz NOT NULL,
        payload jsonb NOT NULL,
        prev_hash text NOT NULL,
        hash text NOT NULL,
        PRIMARY KEY (case_id, seq)
      )`);
    // History is append-only: the database itself refuses rewrites.
    await q.query(`
      CREATE FUNCTION case_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'case_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER case_events_no_update_delete BEFORE UPDATE OR DELETE ON case_events
      FOR EACH ROW EXECUTE FUNCTION case_events_append_only()`);
    await q.query(`
      CREATE TRIGGER case_events_no_truncate BEFORE TRUNCATE ON case_events
      FOR EACH STATEMENT EXECUTE FUNCTION case_events_append_only()`);
    await q.query(`
      CREATE TABLE outbox (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid REFERENCES cases (id),
        kind text NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz
      )`);
    await q.query(`CREATE INDEX outbox_unsent_idx ON outbox (created_at) WHERE sent_at IS NULL`);
    await q.query(`
      CREATE TABLE idempotency_keys (
        user_id uuid NOT NULL REFERENCES users (id),
        method text NOT NULL,
        path text NOT NULL,
        key text NOT NULL,
        request_hash text NOT NULL,
        status int,
        body jsonb,
        etag text,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, method, path, key)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'idempotency_keys',
      'outbox',
      'case_events',
      'deadlines',
      'opinions',
      'findings',
      'assignments',
      'revisions',
      'evidence',
      'cases',
      'model_versions',
      'policy_packs',
      'conflicts',
      'api_tokens',
      'users',
      'organisations',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
    await q.query(`DROP FUNCTION IF EXISTS case_events_append_only()`);
  }
}
