import { parentPort } from 'node:worker_threads';
import { renderCaseReport } from './case-report.renderer.js';
import type { RenderAnswer, RenderRequest } from './report-renderer.js';

/**
 * The report thread's entry (started by ReportRenderer, never imported): draws one report at a time
 * and answers with its bytes, or with the error that stopped it.
 */
parentPort!.on('message', ({ id, report }: RenderRequest) => {
  // A report the renderer throws on synchronously is answered like one it rejects: the thread lives on.
  Promise.resolve(report).then(renderCaseReport).then(
    (pdf) => {
      // A PDF's bytes own their memory (Buffer.concat of more than 4 KiB): handed over, not copied.
      const owned = pdf.byteOffset === 0 && pdf.byteLength === pdf.buffer.byteLength;
      parentPort!.postMessage({ id, pdf } satisfies RenderAnswer, owned ? [pdf.buffer as ArrayBuffer] : []);
    },
    (error: unknown) => parentPort!.postMessage({ id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies RenderAnswer),
  );
});
