export * from './test-environment.js';
export * from './assessment.factory.js';
export * from './wait-for.util.js';
export * from './api-types.js';
export * from './http-client.js';
export * from './admin-seeder.util.js';
export * from './case-report.factory.js';
