export * from './test-environment.js';
export * from './assessment.factory.js';
export * from './wait-for.util.js';
