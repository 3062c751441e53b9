import { describe, expect, it } from '@jest/globals';
import { notificationAudience } from './audience.util.js';
import { CASE_STATES } from './states.js';

describe(notificationAudience.name, () => {
  it('asks whoever acts next in the state entered', () => {
    expect(notificationAudience('SUBMIT', 'draft', 'intake')).toEqual([]);
    expect(notificationAudience('INTAKE_PASSED', 'intake', 'awaiting_assignment')).toEqual(['regulators']);
    expect(notificationAudience('ASSIGN_AUDITOR', 'awaiting_assignment', 'in_audit')).toEqual(['assigned_auditors']);
    expect(notificationAudience('REQUEST_INFO', 'in_audit', 'info_requested')).toEqual(['developer']);
    expect(notificationAudience('FLAG', 'released', 'regulator_review')).toEqual(['regulators']);
  });

  it('notifies on self-transitions only when someone must act', () => {
    expect(notificationAudience('ADD_FINDING', 'in_audit', 'in_audit')).toEqual(['developer']);
    expect(notificationAudience('DEADLINE_PASSED', 'in_audit', 'in_audit')).toEqual(['regulators']);
    expect(notificationAudience('APPROVE', 'in_audit', 'in_audit')).toEqual([]);
  });

  it('has an audience for entering every state but intake', () => {
    for (const state of CASE_STATES.filter((s) => s !== 'intake'))
      expect(notificationAudience('CLEAR', 'intake', state).length).toBeGreaterThan(0);
  });

  it('tells regulators of every incident report and update, and the developer of a report or closing, in any state', () => {
    for (const state of ['released', 'revoked'] as const) {
      expect(notificationAudience('INCIDENT_REPORTED', state, state)).toEqual(['developer', 'regulators']);
      expect(notificationAudience('INCIDENT_UPDATED', state, state)).toEqual(['regulators']);
      expect(notificationAudience('INCIDENT_CLOSED', state, state)).toEqual(['developer', 'regulators']);
    }
  });
});
