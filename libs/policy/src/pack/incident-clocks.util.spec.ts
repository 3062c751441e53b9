import { describe, expect, it } from '@jest/globals';
import { CAIP_2025 } from './caip-2025.pack.js';
import { incidentClocks as sut } from './incident-clocks.util.js';
import { validatePolicyPack } from './validate-policy-pack.js';

const DAY = 86_400_000;

describe(sut.name, () => {
  it.each([
    ['critical_infrastructure', 2],
    ['cybersecurity', 5],
    ['death', 10],
    ['serious_harm', 15],
    ['other', 15],
  ] as const)('gives %s SPEC’s default of %i days and a 60-day final report without an incidents section', (category, days) => {
    expect(sut(CAIP_2025, category)).toEqual({ reportMs: days * DAY, finalReportMs: 60 * DAY });
  });

  it('reads a pack’s own clocks', () => {
    const pack = {
      incidents: {
        report: { critical_infrastructure: 'PT1S', cybersecurity: 'PT2S', death: 'PT3S', serious_harm: 'PT4S', other: 'PT5S' },
        finalReport: 'PT1S',
      },
    };
    expect(sut(pack, 'death')).toEqual({ reportMs: 3000, finalReportMs: 1000 });
  });

  it('validates the section like the deadlines: every category, durations only', () => {
    const problems = validatePolicyPack({
      ...CAIP_2025,
      incidents: { report: { critical_infrastructure: 'P1M', cybersecurity: 'P1D' }, finalReport: 'P0D', extra: 1 },
    });
    expect(problems.map((p) => p.path).sort()).toEqual([
      '$.incidents.extra',
      '$.incidents.finalReport',
      '$.incidents.report.critical_infrastructure',
      '$.incidents.report.death',
      '$.incidents.report.other',
      '$.incidents.report.serious_harm',
    ]);
    expect(validatePolicyPack({ ...CAIP_2025 })).toEqual([]);
  });
});
