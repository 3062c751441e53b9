import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { MAX_FRONT_MATTER_CHARS, readModelCardLineage } from './model-card-lineage.util.js';

const card = (frontMatter: string, body = '# A model\n') => `---\n${frontMatter}\n---\n\n${body}`;
const relationsOf = (markdown: string) => {
  const reading = readModelCardLineage(markdown);
  if (!reading.ok) throw new Error(JSON.stringify(reading.problems));
  return reading.claims.map((c) => [c.name, c.relation ?? null]);
};
const problemsOf = (markdown: string) => {
  const reading = readModelCardLineage(markdown);
  if (reading.ok) throw new Error('expected problems');
  return reading.problems;
};

describe(readModelCardLineage.name, () => {
  it('reads the example card: two Hub ids merged, each with its Hub page as origin', () => {
    const reading = readModelCardLineage(readFileSync('docs/examples/model-card.md', 'utf8'));
    expect(reading).toEqual({
      ok: true,
      model: { path: '$' },
      claims: [
        { path: '$.base_model[0]', name: 'acme/helper-7b', origin: 'https://huggingface.co/acme/helper-7b', relation: 'merge', hubId: true },
        { path: '$.base_model[1]', name: 'mistralai/Mistral-7B-v0.1', origin: 'https://huggingface.co/mistralai/Mistral-7B-v0.1', relation: 'merge', hubId: true },
      ],
    });
  });

  it('gives merge to two or more ids without a relation, none to one, and the declared relation otherwise', () => {
    expect(relationsOf(card('base_model:\n  - a/one\n  - b/two'))).toEqual([['a/one', 'merge'], ['b/two', 'merge']]);
    expect(relationsOf(card('base_model: a/one'))).toEqual([['a/one', null]]);
    expect(relationsOf(card('base_model: [a/one]'))).toEqual([['a/one', null]]);
    expect(relationsOf(card('base_model: a/one\nbase_model_relation: quantized'))).toEqual([['a/one', 'quantized']]);
    expect(relationsOf(card('base_model: [a/one, b/two]\nbase_model_relation: adapter'))).toEqual([['a/one', 'adapter'], ['b/two', 'adapter']]);
  });

  it('reads a card without base_model as no base models, and a repeated id once', () => {
    expect(relationsOf(card('license: mit'))).toEqual([]);
    expect(relationsOf(card('base_model: [a/one, a/one]'))).toEqual([['a/one', null]]);
    expect(relationsOf(`\uFEFF---\r\nbase_model: a/one\r\n---\r\n# CRLF card\r\n`)).toEqual([['a/one', null]]);
  });

  it('lists every problem of the front matter by path', () => {
    expect(problemsOf(card('base_model: [a/one, {x: 1}, "not an id!"]\nbase_model_relation: fork'))).toEqual([
      { path: '$.base_model[1]', message: 'must be a Hugging Face Hub model id (`owner/name`)' },
      { path: '$.base_model[2]', message: 'must be a Hugging Face Hub model id (`owner/name`)' },
      { path: '$.base_model_relation', message: 'must be one of finetune, adapter, merge, quantized' },
    ]);
    expect(problemsOf(card('base_model: 7'))).toEqual([{ path: '$.base_model', message: 'must be a Hugging Face Hub model id (`owner/name`)' }]);
    expect(problemsOf(card('base_model_relation: merge'))).toEqual([{ path: '$.base_model', message: 'is required when base_model_relation is given' }]);
    expect(problemsOf(card(`base_model: [${Array.from({ length: 101 }, (_, i) => `o/m${i}`).join(', ')}]`))).toEqual([
      { path: '$.base_model', message: 'at most 100 base models' },
    ]);
  });

  it('refuses a card without front matter, front matter that is not YAML or not a mapping', () => {
    expect(problemsOf('# Just markdown\n\nbase_model: a/one\n')).toEqual([
      { path: '$', message: 'a model card starts with YAML front matter between two `---` lines' },
    ]);
    expect(problemsOf('intro\n---\nbase_model: a/one\n---\n')).toHaveLength(1);
    expect(problemsOf(card('- a\n- b'))).toEqual([{ path: '$', message: 'the front matter is a YAML mapping' }]);
    const broken = problemsOf(card('license: mit\nbase_model: [a/one\nbase_model: b'));
    expect(broken.length).toBeGreaterThan(0);
    for (const problem of broken) expect(problem).toMatchObject({ path: '$', message: expect.stringMatching(/^front matter line \d+ is not YAML: /) });
  });

  it('refuses front matter longer than it reads, without parsing it', () => {
    const long = `license: mit\nbase_model: a/one\ndescription: "${'x'.repeat(MAX_FRONT_MATTER_CHARS)}"`;
    expect(problemsOf(card(long))).toEqual([{ path: '$', message: 'the front matter is at most 128 KiB (131072 characters)' }]);
    expect(readModelCardLineage(card(`base_model: a/one\ndescription: "${'x'.repeat(MAX_FRONT_MATTER_CHARS - 100)}"`)).ok).toBe(true);
  });

  it('refuses a duplicated key and an alias bomb rather than expanding it', () => {
    expect(problemsOf(card('base_model: a/one\nbase_model: b/two'))[0]!.message).toMatch(/not YAML/);
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]`)];
    expect(problemsOf(card(bomb.join('\n')))).toEqual([{ path: '$', message: expect.stringMatching(/alias/i) }]);
  });
});
