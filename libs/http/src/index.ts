export * from './csv.util.js';
export * from './cursor.util.js';
export * from './cursor-key.provider.js';
export * from './id.util.js';
export * from './page.util.js';
export * from './pagination.module.js';
export * from './paginator.service.js';
export * from './parse.util.js';
