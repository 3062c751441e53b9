export * from './problem.error.js';
