import { createHmac } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { generateWebhookSecret, signWebhook, verifyWebhook } from './standard-webhooks.util.js';

describe('Standard Webhooks signatures', () => {
  it('signs id.timestamp.body with the decoded secret', () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]{32}$/);
    const key = Buffer.from(secret.slice(6), 'base64');
    const expected = createHmac('sha256', key).update('msg_1.1700000000.{"a":1}').digest('base64');
    expect(signWebhook(secret, 'msg_1', 1700000000, '{"a":1}')).toBe(`v1,${expected}`);
  });

  it('verifies its own signature and refuses a tampered body', () => {
    const secret = generateWebhookSecret();
    const signature = signWebhook(secret, 'msg_2', 1700000001, 'body');
    expect(verifyWebhook(secret, { id: 'msg_2', timestamp: '1700000001', signature }, 'body')).toBe(true);
    expect(verifyWebhook(secret, { id: 'msg_2', timestamp: '1700000001', signature }, 'body!')).toBe(false);
    expect(verifyWebhook(generateWebhookSecret(), { id: 'msg_2', timestamp: '1700000001', signature }, 'body')).toBe(false);
  });
});
