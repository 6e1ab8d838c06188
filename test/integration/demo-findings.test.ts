import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackend, type TestBackend } from '../helpers/backend';

/**
 * Issue #8 item 22: the demo gives Contrôles something to show on the first try. Worked out by hand for
 * Wednesday 25 November 2026 (Paris), the demo's week starting Monday 23:
 *  - CAP HCR (Thursday/Friday, 13:00–17:00 afternoons): its last past slot, Friday 20 at 13:00, was signed and
 *    never countersigned → 1 slot-not-countersigned;
 *  - TPME Cholet (Monday/Tuesday, 13:30–17:00 afternoons): its last past slot, Tuesday 24 at 13:30, has no
 *    sheet, with Julien Renaud and Karim Benhamou expected → 1 slot-without-sheet naming 2 trainees;
 *  - Martine Klein on Thursday 3 December both in cuisine (08:30–12:00) and CAP HCR (08:00–12:00) → 2
 *    trainer-double-booked, one per slot.
 */
let tb: TestBackend;

beforeAll(async () => {
  tb = await testBackend('2026-11-25T09:00:00Z');
  await tb.api['demo.load']({});
});
afterAll(async () => {
  await tb.cleanup();
});

describe('demo findings', () => {
  it('are the four worked out by hand, each linked to its slot', async () => {
    const findings = await tb.api['checks.run']({});
    const sessions = await tb.api['sessions.list']({});
    const label = (id: string) => sessions.find((s) => s.id === id)?.label;
    const summary = findings
      .map((f) => ({ code: f.code, date: f.date, session: label(f.link.sessionId), kind: f.link.kind }))
      .sort((a, b) => `${a.code}${a.session}`.localeCompare(`${b.code}${b.session}`));
    expect(summary).toEqual([
      { code: 'slot-not-countersigned', date: '2026-11-20', session: 'CAP HCR — apprentis Mende', kind: 'slot' },
      { code: 'slot-without-sheet', date: '2026-11-24', session: 'Parcours TPME — entrées permanentes Cholet', kind: 'slot' },
      { code: 'trainer-double-booked', date: '2026-12-03', session: 'CAP HCR — apprentis Mende', kind: 'slot' },
      { code: 'trainer-double-booked', date: '2026-12-03', session: 'Des étoiles et des femmes — promotion Grand Est', kind: 'slot' },
    ]);
    expect(findings.find((f) => f.code === 'slot-without-sheet')!.message).toContain('(2 stagiaire(s) attendu(s))');
    const unclosed = findings.find((f) => f.code === 'slot-not-countersigned')!;
    const call = await tb.api['attendance.rollCall']({ slotId: unclosed.link.slotId! });
    expect(call.slot.start).toBe('13:00');
    expect(call.rows.every((r) => r.mark !== null)).toBe(true);
  });
});
