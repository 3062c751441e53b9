import { describe, it, expect } from '@jest/globals';
import { Buffer } from 'node:buffer';
import { ed25519PrivateKeyFromSeed } from './ed25519-key.util.js';
import { ed25519NoteSigner, noteVerifierFromKey } from './ed25519-note.util.js';
import { parseVerifierKey } from './note-key.util.js';
import { MAX_NOTE_BYTES, NoteError, openNote, parseNote, signNote } from './signed-note.util.js';

// golang.org/x/mod sumdb/note note_test.go, copied verbatim.
const PETER_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const PETER_SKEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const ENOCH_VKEY = 'EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop';
const TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const PETER_SIG = '\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';
const ENOCH_SIG = '\u2014 EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n';

// The Go signer key is "PRIVATE+KEY+<name>+<id>+base64(0x01 ‖ 32-byte seed)".
const peterSeed = Buffer.from(PETER_SKEY.split('+').slice(4).join('+'), 'base64').subarray(1);
const peterSigner = ed25519NoteSigner('PeterNeumann', ed25519PrivateKeyFromSeed(peterSeed));
const peter = noteVerifierFromKey(PETER_VKEY);
// Go slices strings by byte: sig[:60] + "ABCD" + sig[60:] with the 3-byte em dash counted.
const corrupt = (line: string): string => {
  const bytes = Buffer.from(line);
  return `${bytes.subarray(0, 60).toString()}ABCD${bytes.subarray(60).toString()}`;
};
const enoch = noteVerifierFromKey(ENOCH_VKEY);

describe('verifier keys', () => {
  it('parses the PeterNeumann key', () => {
    expect(parseVerifierKey(PETER_VKEY)).toMatchObject({ name: 'PeterNeumann', keyId: 0xc74f20a3, type: 0x01 });
    expect(peter).toMatchObject({ name: 'PeterNeumann', keyId: 0xc74f20a3 });
  });

  it('derives the same verifier key and key id from the private key', () => {
    expect(peterSigner.keyId).toBe(0xc74f20a3);
    expect(peterSigner.verifierKey).toBe(PETER_VKEY);
  });

  // TestNewVerifier: every strict substring and every one-byte change must be refused.
  it('refuses every mangling of the key', () => {
    for (let i = 0; i <= PETER_VKEY.length; i++) {
      for (let j = i + 1; j <= PETER_VKEY.length; j++) {
        if (i !== 0 || j !== PETER_VKEY.length) expect([PETER_VKEY.slice(i, j), parseVerifierKey(PETER_VKEY.slice(i, j))]).toEqual([PETER_VKEY.slice(i, j), null]);
      }
    }
    for (let i = 0; i < PETER_VKEY.length; i++) {
      const mangled = PETER_VKEY.slice(0, i) + String.fromCharCode(PETER_VKEY.charCodeAt(i) + 1) + PETER_VKEY.slice(i + 1);
      expect([mangled, parseVerifierKey(mangled)]).toEqual([mangled, null]);
    }
    // Wrong key length and unknown algorithm, each with an adjusted key hash.
    expect(parseVerifierKey('PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==')).toBeNull();
    expect(parseVerifierKey('PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW')).toBeNull();
    expect(() => noteVerifierFromKey('PeterNeumann+c74f20a3')).toThrow(RangeError);
  });
});

describe('signNote', () => {
  it('produces the published PeterNeumann note byte for byte', () => {
    const want = `${TEXT}\n${PETER_SIG}`;
    expect(signNote(TEXT, [peterSigner])).toBe(want);
    // An existing signature by the same key is replaced.
    const stale = { name: 'PeterNeumann', keyId: 0xc74f20a3, signature: Buffer.from('bad'), base64: '' };
    expect(signNote(TEXT, [peterSigner], [stale])).toBe(want);
  });

  it('keeps other signatures first and refuses malformed text or names', () => {
    const enochSignature = parseNote(`${TEXT}\n${ENOCH_SIG}`).signatures[0];
    expect(signNote(TEXT, [peterSigner], [enochSignature])).toBe(`${TEXT}\n${ENOCH_SIG}${PETER_SIG}`);
    expect(() => signNote('abc', [peterSigner])).toThrow(NoteError);
    expect(() => signNote('a\u0001\n', [peterSigner])).toThrow(NoteError);
    expect(() => signNote(TEXT, [], [{ ...enochSignature, name: 'a+b' }])).toThrow(NoteError);
  });
});

describe('openNote', () => {
  it('verifies known keys and sets unknown ones aside', () => {
    const opened = openNote(`${TEXT}\n${PETER_SIG}${ENOCH_SIG}`, [peter]);
    expect(opened.text).toBe(TEXT);
    expect(opened.verified.map((s) => [s.name, s.keyId])).toEqual([['PeterNeumann', 0xc74f20a3]]);
    expect(opened.unverified.map((s) => [s.name, s.keyId])).toEqual([['EnochRoot', 0xaf0cfe78]]);
    const both = openNote(`${TEXT}\n${PETER_SIG}${ENOCH_SIG}`, [peter, enoch]);
    expect(both.verified.map((s) => s.name)).toEqual(['PeterNeumann', 'EnochRoot']);
    expect(both.unverified).toEqual([]);
  });

  it('rejects a note with no signature from a known key', () => {
    expect(() => openNote(`${TEXT}\n${PETER_SIG}${ENOCH_SIG}`, [])).toThrow('note has no verifiable signatures');
  });

  it('rejects an ambiguous key only when a signature needs it', () => {
    expect(() => openNote(`${TEXT}\n${ENOCH_SIG}`, [enoch, peter, enoch])).toThrow('ambiguous key EnochRoot+af0cfe78');
    expect(openNote(`${TEXT}\n${PETER_SIG}`, [enoch, peter, enoch]).verified).toHaveLength(1);
  });

  it('rejects a bad signature from a known key', () => {
    const bad = corrupt(PETER_SIG);
    expect(() => openNote(`${TEXT}\n${bad}`, [peter])).toThrow('invalid signature for key PeterNeumann+c74f20a3');
  });

  it('drops repeated signatures', () => {
    const enochBad = corrupt(ENOCH_SIG);
    const opened = openNote(`${TEXT}\n${PETER_SIG}${PETER_SIG}${ENOCH_SIG}${ENOCH_SIG}${enochBad}`, [peter]);
    expect(opened.verified).toHaveLength(1);
    expect(opened.unverified.map((s) => s.base64)).toEqual([
      'rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=',
      'rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n' + 'ABCD' + '2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=',
    ]);
  });

  it.each([
    ['no signature block', TEXT],
    ['no signature line', `${TEXT}\n`],
    ['a line without newline', `${TEXT}\n${PETER_SIG.slice(0, -1)}`],
    ['a control character', `\u0001${TEXT}\n${PETER_SIG}`],
    ['a name with a space', `${TEXT}\n\u2014 Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=`],
    ['an unexpected line', `${TEXT}\n${PETER_SIG}Unexpected line.\n`],
    ['101 signatures', `${TEXT}\n${PETER_SIG.repeat(101)}`],
    ['unpadded base64', `${TEXT}\n\u2014 PeterNeumann x08go\n`],
  ])('refuses a note with %s', (_, note) => {
    expect(() => openNote(note, [peter])).toThrow(/^malformed note/);
  });

  it('refuses invalid UTF-8 and notes over 1 MB', () => {
    const invalid = Buffer.concat([Buffer.of(0xff), Buffer.from(`${TEXT}\n${PETER_SIG}`)]);
    expect(() => openNote(invalid, [peter])).toThrow(/^malformed note/);
    expect(() => openNote('a\ud800\n\n' + PETER_SIG, [peter])).toThrow(/^malformed note/);
    const big = `${'x'.repeat(MAX_NOTE_BYTES)}\n\n${PETER_SIG}`;
    expect(() => openNote(big, [peter])).toThrow('malformed note: larger than 1 MB');
  });

  it('splits the signed-note spec example at its last blank line', () => {
    // c2sp.org/signed-note: the text holds a blank line of its own.
    const note =
      'Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito sera.\n\n' +
      '\u2014 quasimodo.example/salvatore NnugSzTjtVAewIS+Z/iJhUPeFDkO/5QQ2i5ddnGITLlC+EhfLW9oJKONrMouFSQU0xMcXxj99ihAQwaqP3ZekRwNtIc=\n';
    const parsed = parseNote(note);
    expect(parsed.text).toBe('Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito sera.\n');
    expect(parsed.signatures).toHaveLength(1);
    expect(parsed.signatures[0]).toMatchObject({ name: 'quasimodo.example/salvatore', keyId: 0x367ba04b });
    expect(parsed.signatures[0].signature).toHaveLength(64);
  });
});
