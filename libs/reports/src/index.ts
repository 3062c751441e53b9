export * from './case-report.js';
export * from './case-report.renderer.js';
export * from './report-fonts.js';
export * from './report-renderer.js';
export * from './win-ansi.util.js';
