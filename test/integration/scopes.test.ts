import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodName } from '../../shared/contract';
import type { ApiResult } from '../../shared/errors';
import { testBackend, type TestBackend } from '../helpers/backend';

/**
 * Record-level scopes on the demo, through the hosts' door: the demo trainer (Martine Klein) reaches the sessions she
 * teaches and nothing else; the demo tutor (Patrick L., Menuiserie du Bocage) reaches his learner's AFEST and nothing
 * else — the lists come back cut by the backend, a record outside is refused in French.
 */

let b: TestBackend;
const tokens = new Map<string, string>();

beforeAll(async () => {
  b = await testBackend();
  await b.api['demo.load']({});
  for (const login of ['trainer', 'tutor', 'staff']) {
    const served = await b.serve(null, 'auth.signIn', { login, password: 'demo' }, { transport: 'preview' });
    tokens.set(login, served.token!);
  }
}, 120_000);
afterAll(async () => b?.cleanup());

async function as<T = unknown>(login: string, method: MethodName, payload: unknown = {}): Promise<ApiResult<T>> {
  return (await b.serve(tokens.get(login)!, method, payload, { transport: 'preview' })).result as ApiResult<T>;
}
function value<T>(r: ApiResult<T>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}
const rows = <T>(sql: string, ...params: unknown[]) => b.raw.prepare(sql).all(...params) as T[];

describe('a trainer', () => {
  it('lists only the sessions she teaches, and opens a roll call only there', async () => {
    const klein = rows<{ id: string }>("SELECT id FROM trainers WHERE last_name = 'Klein'")[0]!.id;
    const hers = rows<{ session_id: string }>('SELECT DISTINCT s.session_id FROM slot_trainers st JOIN slots s ON s.id = st.slot_id WHERE st.trainer_id = ?', klein).map((r) => r.session_id).sort();
    const all = rows<{ id: string }>('SELECT id FROM sessions').map((r) => r.id);
    expect(hers.length).toBeGreaterThan(0);
    expect(all.length).toBeGreaterThan(hers.length);

    const listed = value(await as<{ id: string }[]>('trainer', 'sessions.list', {})).map((s) => s.id).sort();
    expect(listed).toEqual(hers);
    // Staff see every session: the cut is the trainer's scope, not the data.
    expect(value(await as<{ id: string }[]>('staff', 'sessions.list', {})).length).toBe(all.length);

    const other = all.find((id) => !hers.includes(id))!;
    const refused = await as('trainer', 'sessions.get', { id: other });
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden', message: /ne fait pas partie de vos sessions/ } });
    const otherSlot = rows<{ id: string }>('SELECT id FROM slots WHERE session_id = ? LIMIT 1', other)[0]!.id;
    expect(await as('trainer', 'attendance.rollCall', { slotId: otherSlot })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const ownSlot = rows<{ id: string }>('SELECT id FROM slots WHERE session_id = ? LIMIT 1', hers[0])[0]!.id;
    expect((await as('trainer', 'attendance.rollCall', { slotId: ownSlot })).ok).toBe(true);

    // Every session's hours at once is not a trainer's question; her own session's hours are.
    expect(await as('trainer', 'hours.realised', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect((await as('trainer', 'hours.realised', { sessionId: hers[0] })).ok).toBe(true);
    // The checks' findings are cut to her sessions too.
    const findings = value(await as<{ link: { sessionId: string } }[]>('trainer', 'checks.run', {}));
    expect(findings.every((f) => hers.includes(f.link.sessionId))).toBe(true);
  });
});

describe('a tutor', () => {
  it("sees only his learners' AFEST: the list, the page, the sequences; nothing of the others", async () => {
    const patrick = rows<{ tutor_id: string }>("SELECT u.tutor_id FROM users u WHERE u.login = 'tutor'")[0]!.tutor_id;
    const his = rows<{ id: string }>('SELECT id FROM afests WHERE tutor_id = ?', patrick).map((r) => r.id);
    const others = rows<{ id: string }>('SELECT id FROM afests WHERE tutor_id <> ?', patrick).map((r) => r.id);
    expect(his).toHaveLength(1);
    expect(others.length).toBeGreaterThan(0);

    const listed = value(await as<{ id: string; traineeName: string }[]>('tutor', 'afest.list', {}));
    expect(listed.map((a) => a.id)).toEqual(his);
    expect(value(await as<{ id: string }[]>('tutor', 'afest.tutors', {})).map((t) => t.id)).toEqual([patrick]);
    expect((await as('tutor', 'afest.get', { id: his[0] })).ok).toBe(true);
    expect(await as('tutor', 'afest.get', { id: others[0] })).toMatchObject({ ok: false, error: { code: 'forbidden', message: /ne concerne pas vos apprenants/ } });
    expect(await as('tutor', 'afest.dossier', { id: others[0] })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const otherSequence = rows<{ id: string }>('SELECT id FROM afest_sequences WHERE afest_id = ? LIMIT 1', others[0])[0]!.id;
    expect(await as('tutor', 'afest.withdrawSequence', { id: otherSequence, reason: 'essai' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const otherTutor = rows<{ tutor_id: string }>('SELECT tutor_id FROM afests WHERE id = ?', others[0])[0]!.tutor_id;
    expect(await as('tutor', 'afest.tutorHome', { tutorId: otherTutor })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect((await as('tutor', 'afest.tutorHome', { tutorId: patrick })).ok).toBe(true);
    // No way around through the people or sessions: the role has no such permission.
    expect(await as('tutor', 'trainees.list', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await as('tutor', 'sessions.list', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});
