/**
 * CPU per CycloneDX validation (`POST /v1/cases/:id/model/import`'s schema check, no database), for
 * BOMs of growing numbers of components up to the 1 MiB body limit: Clearance's validator beside the
 * CycloneDX library's own JsonValidator, which the import ran before (Ajv's `uniqueItems` compares
 * every pair of items). Both run on the api's event loop, so this is also how long one import holds it.
 *
 *   npm run bench:bom -- --rounds=5
 */
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { validateCycloneDx } from '@app/registry';
import { option } from './support/options.js';

const rounds = Number(option('rounds', 'BENCH_ROUNDS', '5'));

const component = (i: number) => ({
  type: 'library',
  'bom-ref': `component-${i}`,
  name: `component-${i}`,
  version: '1.0.0',
  description: 'a dependency of the model, described in a hundred characters or so as a real BOM would describe it..',
  hashes: [{ alg: 'SHA-256', content: 'a'.repeat(64) }],
});

const bomOf = (components: number) => ({
  bomFormat: 'CycloneDX',
  specVersion: '1.7',
  version: 1,
  metadata: { component: { type: 'machine-learning-model', 'bom-ref': 'model', name: 'Atlas', version: '2.1' } },
  components: Array.from({ length: components }, (_, i) => component(i)),
});

/** The least CPU of `rounds` runs, in ms. */
const leastMs = async (run: () => unknown): Promise<number> => {
  let least = Infinity;
  for (let r = 0; r < rounds; r++) {
    const before = process.cpuUsage();
    await run();
    const used = process.cpuUsage(before);
    least = Math.min(least, (used.user + used.system) / 1000);
  }
  return least;
};

const library = new Validation.JsonValidator(Spec.Version.v1dot7);
// Both compile their schemas on first use: not part of an import's cost.
await library.validate(JSON.stringify(bomOf(1)));
validateCycloneDx(bomOf(1), '1.7');

const rows = [];
for (const components of [100, 500, 1000, 2000, 3300]) {
  const bom = bomOf(components);
  const text = JSON.stringify(bom);
  rows.push({
    components,
    KiB: (text.length / 1024).toFixed(0),
    'library JsonValidator ms': (await leastMs(() => library.validate(text))).toFixed(1),
    'Clearance validateCycloneDx ms': (await leastMs(() => validateCycloneDx(JSON.parse(text), '1.7'))).toFixed(1),
  });
}
console.log(`CPU per validation of a CycloneDX 1.7 BOM, least of ${rounds} rounds (the document parsed from its text in each):`);
console.table(rows);
