import { describe, it, expect } from '@jest/globals';
import { Buffer } from 'node:buffer';
import { generateKeyPairSync } from 'node:crypto';
import { formatCheckpoint, openCheckpoint, parseCheckpoint, signCheckpoint } from './checkpoint.util.js';
import { ed25519NoteSigner, noteVerifierFromKey } from './ed25519-note.util.js';
import { NoteError } from './signed-note.util.js';

// c2sp.org/tlog-checkpoint example.
const SPEC_TEXT = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';

describe('checkpoints', () => {
  it('parses and formats the spec example', () => {
    const checkpoint = parseCheckpoint(SPEC_TEXT);
    expect(checkpoint).toMatchObject({ origin: 'example.com/behind-the-sofa', size: 20852163, extensions: [] });
    expect(checkpoint.rootHash).toEqual(Buffer.from('CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=', 'base64'));
    expect(formatCheckpoint(checkpoint)).toBe(SPEC_TEXT);
  });

  it('keeps extension lines and allows the empty tree', () => {
    const text = `${SPEC_TEXT}ext one\next two\n`;
    expect(parseCheckpoint(text).extensions).toEqual(['ext one', 'ext two']);
    expect(parseCheckpoint('log\n0\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n').size).toBe(0);
  });

  it.each([
    ['two lines', 'example.com/log\n20852163\n'],
    ['no final newline', SPEC_TEXT.slice(0, -1)],
    ['a leading zero', SPEC_TEXT.replace('20852163', '020852163')],
    ['a negative size', SPEC_TEXT.replace('20852163', '-1')],
    ['a short root', SPEC_TEXT.replace('CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=', 'CsUYapGGPo4dkMgI')],
    ['an empty origin', SPEC_TEXT.replace('example.com/behind-the-sofa', '')],
    ['an empty extension line', `${SPEC_TEXT}\n`],
  ])('refuses %s', (_, text) => {
    expect(() => parseCheckpoint(text)).toThrow(NoteError);
  });

  it('signs and opens a checkpoint for its origin only', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const signer = ed25519NoteSigner('clearance.example/registry', privateKey);
    const rootHash = Buffer.alloc(32, 1);
    const note = signCheckpoint({ origin: 'clearance.example/registry', size: 5, rootHash }, [signer]);
    expect(note.startsWith(`clearance.example/registry\n5\n${rootHash.toString('base64')}\n\n\u2014 clearance.example/registry `)).toBe(true);
    const verifier = noteVerifierFromKey(signer.verifierKey);
    expect(openCheckpoint(note, [verifier], 'clearance.example/registry').checkpoint).toMatchObject({ size: 5, rootHash });
    expect(() => openCheckpoint(note, [verifier], 'other.example/log')).toThrow(NoteError);
    expect(() => openCheckpoint(note.replace('\n5\n', '\n6\n'), [verifier])).toThrow('invalid signature');
  });
});
