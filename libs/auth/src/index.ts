export * from './auth.decorators.js';
export * from './auth.guard.js';
export * from './token.util.js';
export * from './token-usage.middleware.js';
