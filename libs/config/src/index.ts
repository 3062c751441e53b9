export * from './app-config.js';
export * from './config.module.js';
export * from './witness-config.js';
export * from './shutdown-bound.js';
