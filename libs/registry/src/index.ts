export * from './registry-milestone.util.js';
export * from './registry-publisher.service.js';
export * from './registry-record.util.js';
export * from './registry.module.js';
export * from './registry.query.js';
