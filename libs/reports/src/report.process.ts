import { renderCaseReport } from './case-report.renderer.js';
import type { RenderAnswer, RenderRequest } from './report-renderer.js';

/**
 * The report process's entry (forked by ReportRenderer, never imported): draws one report at a time
 * and answers with its bytes, or with the error that stopped it.
 */
const answer = (message: RenderAnswer) => process.send!(message);

// The api that forked it has gone (killed, say): nobody is left to answer.
process.on('disconnect', () => process.exit(0));

process.on('message', ({ id, report }: RenderRequest) => {
  // A report the renderer throws on synchronously is answered like one it rejects: the process lives on.
  Promise.resolve(report).then(renderCaseReport).then(
    (pdf) => answer({ id, pdf }),
    (error: unknown) => answer({ id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
});
