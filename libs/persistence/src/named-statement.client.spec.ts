import { describe, expect, it } from '@jest/globals';
import { NamedStatementClient } from './named-statement.client.js';

const make = (options: Partial<{ after: number; maxNamed: number; maxCounted: number }> = {}) =>
  new NamedStatementClient({ namedStatements: { after: 3, maxNamed: 2, maxCounted: 3, ...options } });

describe(NamedStatementClient.name, () => {
  it('names a text on its third run, under one name from then on, derived from the text', () => {
    const sut = make();
    const text = 'SELECT 1 FROM cases WHERE id = $1';
    expect([sut.nameFor(text), sut.nameFor(text)]).toEqual([null, null]);
    const name = sut.nameFor(text);
    expect(name).toMatch(/^c_[\w-]{27}$/);
    expect(sut.nameFor(text)).toBe(name);
    expect(make().nameFor(text) ?? make().nameFor(text) ?? make().nameFor(text)).toBeNull();
  });

  it('keeps a paged list and optional filters unnamed (their plans depend on the values), but names a SKIP LOCKED claim', () => {
    const sut = make({ after: 1 });
    expect(sut.nameFor('SELECT id FROM cases WHERE state = $1 ORDER BY created_at LIMIT $2')).toBeNull();
    expect(sut.nameFor('SELECT count(*) FROM deadlines WHERE ($1::timestamptz IS NULL OR due_at >= $1)')).toBeNull();
    expect(sut.nameFor('SELECT count(*) FROM deadlines WHERE due_at >= $1')).not.toBeNull();
    expect(sut.nameFor('SELECT id FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED')).not.toBeNull();
  });

  it('names at most maxNamed texts per connection and counts at most maxCounted', () => {
    const sut = make({ after: 2 });
    const texts = ['a', 'b', 'c', 'd'].map((t) => `SELECT $1::text AS ${t}`);
    for (const text of texts) sut.nameFor(text);
    // Only three texts were counted: the fourth starts from zero again.
    expect(sut.nameFor(texts[3]!)).toBeNull();
    expect(sut.nameFor(texts[0]!)).not.toBeNull();
    expect(sut.nameFor(texts[1]!)).not.toBeNull();
    expect(sut.nameFor(texts[2]!)).toBeNull();
    expect(sut.nameFor(texts[2]!)).toBeNull();
  });

  it('never names a text again once its result type changed under it (a migration), and parses a forgotten one again', () => {
    const sut = make({ after: 1 });
    const text = 'SELECT * FROM cases WHERE id = $1';
    const name = sut.nameFor(text)!;
    const parsed = (sut as unknown as { connection: { parsedStatements: Record<string, string> } }).connection.parsedStatements;
    parsed[name] = text;
    sut.forget(text, '26000');
    expect(parsed[name]).toBeUndefined();
    expect(sut.nameFor(text)).toBe(name);
    sut.forget(text, '0A000');
    expect(sut.nameFor(text)).toBeNull();
  });
});
