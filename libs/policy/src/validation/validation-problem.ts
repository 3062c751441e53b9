/** One problem with a document, located by a JSONPath rooted at `$` (e.g. `$.components[0].release`). */
export type ValidationProblem = { path: string; message: string };
