export * from './csv.util.js';
export * from './cursor.util.js';
export * from './id.util.js';
export * from './page.util.js';
export * from './parse.util.js';
