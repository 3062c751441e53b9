import { describe, expect, it } from '@jest/globals';
import { toHex } from './bytes';
import { NoteError, openNote, parseCheckpoint, parseNote, parseVerifierKey } from './signed-note';

// golang.org/x/mod sumdb/note note_test.go, as libs/tlog's signed-note spec copies them.
const PETER_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const ENOCH_VKEY = 'EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop';
const TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const PETER_SIG = '\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';
const ENOCH_SIG = '\u2014 EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n';

describe(parseVerifierKey.name, () => {
  it('parses the PeterNeumann key and checks its id', async () => {
    const key = await parseVerifierKey(PETER_VKEY);
    expect(key).toMatchObject({ name: 'PeterNeumann', keyId: 0xc74f20a3 });
    expect(toHex(key.publicKey)).toHaveLength(64);
  });

  it('refuses a key whose id, name or bytes changed', async () => {
    await expect(parseVerifierKey(PETER_VKEY.replace('c74f20a3', 'c74f20a4'))).rejects.toThrow(NoteError);
    await expect(parseVerifierKey(PETER_VKEY.replace('PeterNeumann', 'PeterNeuman'))).rejects.toThrow(NoteError);
    await expect(parseVerifierKey(PETER_VKEY.replace('ARpc', 'ARpd'))).rejects.toThrow(NoteError);
    await expect(parseVerifierKey('PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW')).rejects.toThrow(NoteError);
    await expect(parseVerifierKey('PeterNeumann+c74f20a3')).rejects.toThrow(NoteError);
  });
});

describe(openNote.name, () => {
  it('verifies the published note with WebCrypto Ed25519, leaving other signers aside', async () => {
    expect(await openNote(`${TEXT}\n${PETER_SIG}`, await parseVerifierKey(PETER_VKEY))).toBe(TEXT);
    expect(await openNote(`${TEXT}\n${PETER_SIG}${ENOCH_SIG}`, await parseVerifierKey(ENOCH_VKEY))).toBe(TEXT);
  });

  it('refuses a changed text, a corrupted signature and a note the key did not sign', async () => {
    const peter = await parseVerifierKey(PETER_VKEY);
    await expect(openNote(`${TEXT.replace('answer', 'Answer')}\n${PETER_SIG}`, peter)).rejects.toThrow('invalid signature by PeterNeumann');
    await expect(openNote(`${TEXT}\n${PETER_SIG.replace('x08go', 'x08gp')}`, peter)).rejects.toThrow(NoteError);
    await expect(openNote(`${TEXT}\n${ENOCH_SIG}`, peter)).rejects.toThrow('the note carries no signature by PeterNeumann');
  });

  it.each([
    ['no signature block', TEXT],
    ['no signature line', `${TEXT}\n`],
    ['a line without newline', `${TEXT}\n${PETER_SIG.slice(0, -1)}`],
    ['a control character', `\u0001${TEXT}\n${PETER_SIG}`],
    ['an unexpected line', `${TEXT}\n${PETER_SIG}Unexpected line.\n`],
    ['unpadded base64', `${TEXT}\n\u2014 PeterNeumann x08go\n`],
  ])('refuses a note with %s', (_, note) => {
    expect(() => parseNote(note)).toThrow(/^malformed note/);
  });

  it('splits the signed-note spec example at its last blank line', () => {
    const note =
      'Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito sera.\n\n' +
      '\u2014 quasimodo.example/salvatore NnugSzTjtVAewIS+Z/iJhUPeFDkO/5QQ2i5ddnGITLlC+EhfLW9oJKONrMouFSQU0xMcXxj99ihAQwaqP3ZekRwNtIc=\n';
    const parsed = parseNote(note);
    expect(parsed.text).toBe('Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito sera.\n');
    expect(parsed.signatures).toMatchObject([{ name: 'quasimodo.example/salvatore', keyId: 0x367ba04b }]);
    expect(parsed.signatures[0].signature).toHaveLength(64);
  });
});

describe(parseCheckpoint.name, () => {
  it('reads origin, size and root; refuses a bad size or root', () => {
    const root = 'XV4d97nAxUxazLMNdZFA728c2rsZ+2/JQuejBas5/9I=';
    expect(parseCheckpoint(`example.com/log\n5\n${root}\n`)).toMatchObject({ origin: 'example.com/log', size: 5, extensions: [] });
    expect(() => parseCheckpoint(`example.com/log\n05\n${root}\n`)).toThrow('tree size');
    expect(() => parseCheckpoint(`example.com/log\n5\n${root.slice(4)}\n`)).toThrow('root hash');
    expect(() => parseCheckpoint(`example.com/log\n5\n${root}`)).toThrow('newline');
  });
});
