import { createHash } from 'node:crypto';
import { PoolClient, type PoolClientConfig } from './pool-client.js';

export interface NamedStatementOptions {
  /** A text is named on its `after`-th run on a connection: one-off SQL stays unnamed. */
  after: number;
  /** Named statements per connection at most (each holds a parse tree and plans in the server's memory). */
  maxNamed: number;
  /** Distinct texts counted per connection at most, so dynamic SQL cannot grow the counts without bound. */
  maxCounted: number;
}

export const NAMED_STATEMENT_DEFAULTS: NamedStatementOptions = { after: 3, maxNamed: 250, maxCounted: 2_000 };

/**
 * Statements kept unnamed: a page of a list (`LIMIT $n`) and optional filters (`$n IS NULL OR …`),
 * save a SKIP LOCKED claim. After five runs Postgres may switch a named statement to a generic
 * plan, made without the parameters' values: a skewed filter (one `state` holds most cases), an
 * unknown LIMIT or a filter that a value would have removed can then pick a plan that is right on
 * average and slow for the value at hand. These keep a custom plan per call, as before.
 */
const KEEP_UNNAMED = /\bLIMIT\s+\$\d|\$\d+(::[\w ]+(\[\])?)?\s+IS\s+(NOT\s+)?NULL\s+OR\b/i;
const CLAIM = /\bSKIP\s+LOCKED\b/i;
/** A text without parameters is named only when it is one plain statement (a prepared statement holds one). */
const ONE_STATEMENT = /^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b[^;]*$/i;

// SQLSTATE 26000 invalid_sql_statement_name: the server forgot it (DISCARD ALL, DEALLOCATE).
const STATEMENT_GONE = '26000';
// 0A000 "cached plan must not change result type": a migration changed a table a statement returns.
const FEATURE_NOT_SUPPORTED = '0A000';

interface ParsedStatements {
  parsedStatements: Record<string, string>;
}

/**
 * A `pg.Client` (the pool's, through TypeORM's `extra.Client`) that turns a text it has run
 * `after` times on this connection (with parameters, or one plain statement without) into a
 * named prepared statement, so Postgres parses and analyses it once per connection, and plans it
 * once when it settles on a generic plan, instead of at every run. Texts named are capped per
 * connection; past the cap, new texts run unnamed as before.
 */
export class NamedStatementClient extends PoolClient {
  private readonly options: NamedStatementOptions;
  private readonly counts = new Map<string, number>();
  private readonly names = new Map<string, string>();
  /** Texts never to name again on this connection (their statement broke: see `forget`). */
  private readonly unnamed = new Set<string>();

  /** pg.Pool hands every client its own options: `namedStatements` rides along with them. */
  constructor(config?: PoolClientConfig & { namedStatements?: Partial<NamedStatementOptions> }) {
    super(config);
    this.options = { ...NAMED_STATEMENT_DEFAULTS, ...config?.namedStatements };
  }

  /** The name to run `text` under, or null to run it unnamed. */
  nameFor(text: string): string | null {
    const known = this.names.get(text);
    if (known) return known;
    const { after, maxNamed, maxCounted } = this.options;
    if (this.names.size >= maxNamed || this.unnamed.has(text) || (KEEP_UNNAMED.test(text) && !CLAIM.test(text))) return null;
    const count = (this.counts.get(text) ?? 0) + 1;
    if (count < after) {
      if (this.counts.size < maxCounted || this.counts.has(text)) this.counts.set(text, count);
      return null;
    }
    this.counts.delete(text);
    const name = `c_${createHash('sha1').update(text).digest('base64url')}`;
    this.names.set(text, name);
    return name;
  }

  /**
   * After an error of a named statement: a statement the server no longer has is parsed again on
   * its next run; one whose result type changed under it (a migration) is never named again here.
   */
  forget(text: string, code: string | undefined): void {
    const name = this.names.get(text);
    if (!name) return;
    if (code === STATEMENT_GONE) delete (this as unknown as { connection: ParsedStatements }).connection.parsedStatements[name];
    if (code === FEATURE_NOT_SUPPORTED) {
      this.names.delete(text);
      this.unnamed.add(text);
    }
  }
}

type QueryArgs = [config: unknown, values?: unknown, callback?: unknown];

// Defined on the prototype (not as a class method) so the overloads of pg's `query` stay as they are;
// it runs PoolClient's query (which watches for an answer that never comes), and that one looks
// pg.Client.prototype.query up at each call, so a wrapper installed there (bench/support/statement-counter.ts) still counts.
(NamedStatementClient.prototype as unknown as { query: (...args: QueryArgs) => unknown }).query = function query(this: NamedStatementClient, ...args: QueryArgs) {
  const base = PoolClient.prototype.query as unknown as (...a: unknown[]) => unknown;
  const [text, values, callback] = args;
  const eligible =
    typeof text === 'string' && callback === undefined && (Array.isArray(values) ? values.length > 0 || ONE_STATEMENT.test(text) : values === undefined && ONE_STATEMENT.test(text));
  const name = eligible ? this.nameFor(text) : null;
  if (!name) return base.apply(this, args);
  const result = base.call(this, { name, text, values: values ?? [] }) as Promise<unknown>;
  return result.catch((error: { code?: string }) => {
    this.forget(text as string, error?.code);
    throw error;
  });
};
