export * from './queues.js';
export * from './redis-connection.js';
export * from './queue.module.js';
export * from './outbox-wake.js';
