export * from './auth-failure-limiter.js';
export * from './auth.decorators.js';
export * from './auth.guard.js';
export * from './auth.module.js';
export * from './token-authenticator.js';
export * from './token.util.js';
export * from './token-usage.middleware.js';
