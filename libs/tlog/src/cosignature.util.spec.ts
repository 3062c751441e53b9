import { describe, it, expect } from '@jest/globals';
import { Buffer } from 'node:buffer';
import { generateKeyPairSync } from 'node:crypto';
import { signCheckpoint } from './checkpoint.util.js';
import { cosignatureMessage, cosignatureTimestamp, ed25519Cosigner } from './cosignature.util.js';
import { ed25519RawPublicKey } from './ed25519-key.util.js';
import { ed25519NoteSigner, noteVerifierFromKey } from './ed25519-note.util.js';
import { formatVerifierKey, parseVerifierKey } from './note-key.util.js';
import { openNote, parseNote, signNote } from './signed-note.util.js';

// c2sp.org/tlog-cosignature example.
const SPEC_BODY = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';
const SPEC_NOTE =
  `${SPEC_BODY}\n` +
  '\u2014 example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n' +
  '\u2014 witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n';

describe('cosignature/v1', () => {
  it('signs the message the spec shows', () => {
    expect(cosignatureMessage(1679315147, SPEC_BODY).toString()).toBe(
      'cosignature/v1\ntime 1679315147\nexample.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n',
    );
  });

  it('reads the key id and timestamp of the spec example line', () => {
    const witness = parseNote(SPEC_NOTE).signatures[1];
    expect(witness).toMatchObject({ name: 'witness.example.com/w1', keyId: 0x8d66cf3f });
    expect(cosignatureTimestamp(witness)).toBe(1679315147);
    // The log's own Ed25519 signature is not a cosignature.
    expect(cosignatureTimestamp(parseNote(SPEC_NOTE).signatures[0])).toBeNull();
  });

  it('reads timestamps like transparency-dev/formats', () => {
    const raw = (b64: string): Buffer => Buffer.from(b64, 'base64').subarray(4);
    expect(cosignatureTimestamp(raw('ZGhGuQAAAABm/qTPeyKXD+R2rzyQsxPiP8mXum7qq/iF0u4vanlqJyocWODBt97w9uL+8qT7S5gxEHWWOworDcFiEBYJXORmnFBOBA=='))).toBe(1727964367);
    expect(cosignatureTimestamp(raw('eQjRQm6eSKzFoiYalgwCPXu2y3ijtg68is9M46JKxuZB+dRfTmeQeDBoXnvxZx2ugnkyV+MUMLXpWs1hPb/W/4xkNQY='))).toBeNull();
  });

  it('computes published key ids for type 0x04 and 0x01 verifier keys', () => {
    // transparency-dev/formats note/note_cosigv1_test.go
    expect(parseVerifierKey('remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2')).toMatchObject({
      name: 'remora.n621.de',
      keyId: 0xda77ade7,
      type: 0x04,
    });
    expect(parseVerifierKey('TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6')).toMatchObject({ keyId: 0x7997405c, type: 0x01 });
    expect(parseVerifierKey('rekor.sigstore.dev+12345678+AwEB')).toBeNull();
  });

  it('cosigns a checkpoint that the log signed, and verifies both', () => {
    const log = ed25519NoteSigner('clearance.example/registry', generateKeyPairSync('ed25519').privateKey);
    const { privateKey } = generateKeyPairSync('ed25519');
    const witness = ed25519Cosigner('witness.example/w1', privateKey, () => 1700000000);
    expect(witness.verifierKey).toBe(formatVerifierKey('witness.example/w1', 0x04, ed25519RawPublicKey(privateKey)));
    expect(parseVerifierKey(witness.verifierKey)).toMatchObject({ keyId: witness.keyId, type: 0x04 });

    const logged = signCheckpoint({ origin: 'clearance.example/registry', size: 3, rootHash: Buffer.alloc(32, 9) }, [log]);
    const parsed = parseNote(logged);
    const cosigned = signNote(parsed.text, [witness], parsed.signatures);
    const line = cosigned.split('\n').at(-2) ?? '';
    expect(Buffer.from(line.split(' ')[2], 'base64')).toHaveLength(4 + 8 + 64);

    const opened = openNote(cosigned, [noteVerifierFromKey(log.verifierKey), noteVerifierFromKey(witness.verifierKey)]);
    expect(opened.verified.map((s) => s.name)).toEqual(['clearance.example/registry', 'witness.example/w1']);
    expect(cosignatureTimestamp(opened.verified[1])).toBe(1700000000);
  });

  it('refuses a changed timestamp, a changed body, and the same key as a plain Ed25519 verifier', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const witness = ed25519Cosigner('witness.example/w1', privateKey, () => 1700000000);
    const note = signNote(SPEC_BODY, [witness]);
    const verifier = noteVerifierFromKey(witness.verifierKey);
    expect(openNote(note, [verifier]).verified).toHaveLength(1);

    const raw = Buffer.from(note.split(' ').at(-1)?.trim() ?? '', 'base64');
    raw.writeBigUInt64BE(1700000001n, 4);
    const restamped = note.replace(/ \S+\n$/, ` ${raw.toString('base64')}\n`);
    expect(() => openNote(restamped, [verifier])).toThrow('invalid signature');
    expect(() => openNote(note.replace('20852163', '20852164'), [verifier])).toThrow('invalid signature');

    // Type 0x01 gives another key id for the same name and key: the cosignature is unknown to it.
    const plain = noteVerifierFromKey(formatVerifierKey('witness.example/w1', 0x01, ed25519RawPublicKey(privateKey)));
    expect(() => openNote(note, [plain])).toThrow('note has no verifiable signatures');
  });
});
