export * from './notification-fanout.service.js';
export * from './notifications.module.js';
export * from './pinned-lookup.util.js';
export * from './private-address.util.js';
export * from './standard-webhooks.util.js';
export * from './webhook-delivery.service.js';
export * from './webhook-target.service.js';
export * from './witness-alert-notice.service.js';
