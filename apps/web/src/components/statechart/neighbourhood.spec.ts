import { describe, expect, it } from '@jest/globals';
import type { HistoryItem, Transition } from '../../api/types';
import { layout, neighbourhood, packLines } from './neighbourhood';

const transitions: Transition[] = [
  { from: 'draft', event: 'SUBMIT', to: 'intake' },
  { from: 'in_audit', event: 'ADD_FINDING', to: 'in_audit' },
  { from: 'in_audit', event: 'REQUEST_INFO', to: 'info_requested' },
  { from: 'in_audit', event: 'APPROVE', to: 'regulator_review' },
  { from: 'in_audit', event: 'APPROVE', to: 'cleared' },
  { from: 'in_audit', event: 'APPROVE', to: 'in_audit' },
  { from: 'in_audit', event: 'FLAG', to: 'regulator_review' },
  { from: 'in_audit', event: 'DEADLINE_PASSED', to: 'in_audit' },
  { from: 'info_requested', event: 'PROVIDE_INFO', to: 'in_audit' },
];

const step = (seq: number, type: HistoryItem['type'], fromState: HistoryItem['fromState'], toState: HistoryItem['toState']) =>
  ({ seq, type, fromState, toState }) as HistoryItem;

const words = (name: string) => name.replace(/_/g, ' ').toLowerCase();

describe(neighbourhood.name, () => {
  it('groups the events that leave a state by where they lead, and lists apart those that stay', () => {
    const sut = neighbourhood(transitions, 'in_audit');

    expect(sut.exits).toEqual([
      { to: 'info_requested', events: ['REQUEST_INFO'] },
      { to: 'regulator_review', events: ['APPROVE', 'FLAG'] },
      { to: 'cleared', events: ['APPROVE'] },
    ]);
    expect(sut.stays).toEqual(['ADD_FINDING', 'APPROVE', 'DEADLINE_PASSED']);
  });

  it('takes where the case came from from its last move into the state, not from self-transitions', () => {
    const history = [
      step(1, 'SUBMIT', 'draft', 'intake'),
      step(2, 'INTAKE_PASSED', 'intake', 'in_audit'),
      step(3, 'REQUEST_INFO', 'in_audit', 'info_requested'),
      step(4, 'PROVIDE_INFO', 'info_requested', 'in_audit'),
      step(5, 'ADD_FINDING', 'in_audit', 'in_audit'),
    ];

    expect(neighbourhood(transitions, 'in_audit', history).cameFrom).toEqual({ state: 'info_requested', event: 'PROVIDE_INFO' });
    expect(neighbourhood(transitions, 'draft', []).cameFrom).toBeNull();
  });
});

describe(layout.name, () => {
  it('draws one box per target and one labelled arrow to each, plus the arrow in', () => {
    const n = neighbourhood(transitions, 'in_audit', [step(2, 'INTAKE_PASSED', 'intake', 'in_audit')]);
    const sut = layout(n, words);

    expect(sut.targets.map((b) => b.label)).toEqual(['info requested', 'regulator review', 'cleared']);
    expect(sut.arrows.map((a) => a.lines)).toEqual([['intake passed'], ['request info'], ['approve, flag'], ['approve']]);
    expect(sut.previous?.label).toBe('intake');
    // Every box lies inside the drawing, and no two targets overlap.
    for (const box of [sut.previous!, sut.current, ...sut.targets]) {
      expect(box.x + box.width).toBeLessThanOrEqual(sut.width);
      expect(box.y + box.height).toBeLessThanOrEqual(sut.height);
    }
    sut.targets.slice(1).forEach((box, i) => expect(box.y).toBeGreaterThanOrEqual(sut.targets[i]!.y + sut.targets[i]!.height));
  });

  it('draws a final state alone, with no arrow out', () => {
    const sut = layout(neighbourhood([], 'revoked'), words);

    expect(sut.targets).toEqual([]);
    expect(sut.arrows).toEqual([]);
    expect(sut.current.label).toBe('revoked');
  });
});

describe(packLines.name, () => {
  it('packs event names into short lines, breaking after a comma', () => {
    expect(packLines(['require reassessment', 'deadline passed', 'base model flagged'])).toEqual(['require reassessment,', 'deadline passed, base model flagged']);
    expect(packLines(['flag'])).toEqual(['flag']);
  });

  it('gives the row of a long label room above its arrow, so labels never overlap the box above', () => {
    const long = neighbourhood(
      [
        { from: 'released', event: 'FLAG', to: 'regulator_review' },
        { from: 'released', event: 'REQUIRE_REASSESSMENT', to: 'reassessment_required' },
        { from: 'released', event: 'DEADLINE_PASSED', to: 'reassessment_required' },
        { from: 'released', event: 'BASE_MODEL_FLAGGED', to: 'reassessment_required' },
      ],
      'released',
    );
    const sut = layout(long, words);
    const [above, below] = sut.targets;
    const labelTop = sut.arrows[1]!.labelAt.y - (sut.arrows[1]!.lines.length - 1) * 17 - 14;

    expect(labelTop).toBeGreaterThan(above!.y + above!.height);
    expect(below!.y + below!.height).toBeLessThanOrEqual(sut.height);
  });
});
