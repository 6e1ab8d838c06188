import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withRaw } from '../../electron/backend/db/raw';
import { openSession } from '../../electron/backend/auth/sessions';
import { contract, METHOD_NAMES, type MethodName } from '../../shared/contract';
import { PERMISSION_LABELS, ROLE_LABELS, ROLE_PERMISSIONS, ROLES, type Role } from '../../shared/permissions';
import { testBackend, type TestBackend } from '../helpers/backend';

/**
 * Every method of the contract, called as every role through `serve` (the hosts' door), against the role table of
 * shared/permissions.ts: generated from the contract, so a new method is covered the day it is declared. A refusal
 * is the backend's French sentence naming the role and what it may not do, and it is logged; an allowed call is
 * never refused for its role (it may still fail on its empty payload, which is not what is tested here). Before
 * sign-in, only the methods open to anyone answer.
 */

let b: TestBackend;
const accounts = new Map<Role, string>();

beforeAll(async () => {
  b = await testBackend();
  await b.api['demo.load']({});
  await withRaw(b.ctx.db, (raw) => {
    for (const role of ROLES) {
      const id = `role-${role}`;
      // Trainer and tutor accounts stand for a record (their scope): the demo's first trainer and tutor.
      const trainer = role === 'trainer' ? raw.get<{ id: string }>('SELECT id FROM trainers ORDER BY last_name LIMIT 1')!.id : null;
      const tutor = role === 'tutor' ? raw.get<{ id: string }>('SELECT id FROM tutors ORDER BY last_name LIMIT 1')!.id : null;
      raw.run(
        `INSERT INTO users (id, name, login, active, created_at, updated_at, role, trainer_id, tutor_id, failed_attempts, version)
         VALUES (?, ?, ?, 1, '2026-11-23T09:00:00Z', '2026-11-23T09:00:00Z', ?, ?, ?, 0, 1)`,
        id, `Compte ${role}`, `role-${role}`, role, trainer, tutor,
      );
      accounts.set(role, id);
    }
  });
}, 120_000);
afterAll(async () => b?.cleanup());

/** A fresh session per call: a call may sign out or lock its own session. */
async function callAs(role: Role, method: MethodName) {
  const token = await withRaw(b.ctx.db, (raw) => openSession(raw, accounts.get(role)!, 'test', b.ctx.newId(), b.clock.now.toISOString()));
  return (await b.serve(token, method, {}, { transport: 'preview' })).result;
}

const refusals = () => (b.raw.prepare("SELECT count(*) AS n FROM audit_events WHERE action = 'permission.refused'").get() as { n: number }).n;

describe('every method × every role', () => {
  for (const role of ROLES) {
    it(`${ROLE_LABELS[role]}: refused exactly what the role table withholds`, { timeout: 300_000 }, async () => {
      const granted = new Set<string>(ROLE_PERMISSIONS[role]);
      const wrong: string[] = [];
      for (const method of METHOD_NAMES) {
        const access = contract[method].permission;
        const allowed = access === 'anyone' || access === 'signed-in' || granted.has(access);
        const before = refusals();
        const result = await callAs(role, method);
        const refusedForRole = !result.ok && result.error.code === 'forbidden' && result.error.message.startsWith('Votre rôle');
        if (allowed && refusedForRole) wrong.push(`${method}: refused to ${role}`);
        if (!allowed) {
          const expected = `Votre rôle (${ROLE_LABELS[role]}) ne permet pas de ${PERMISSION_LABELS[access as keyof typeof PERMISSION_LABELS]} : opération refusée, rien n'a été modifié.`;
          if (result.ok || result.error.message !== expected) wrong.push(`${method}: ${role} got ${result.ok ? 'an answer' : result.error.message}`);
          if (refusals() !== before + 1) wrong.push(`${method}: the refusal to ${role} was not logged`);
        }
      }
      expect(wrong).toEqual([]);
    });
  }

  it('before sign-in, every method but the sign-in ones answers « connectez-vous » and nothing else', async () => {
    const wrong: string[] = [];
    for (const method of METHOD_NAMES) {
      const { result } = await b.serve(null, method, {}, { transport: 'preview' });
      const open = contract[method].permission === 'anyone';
      if (!open && (result.ok || result.error.code !== 'unauthenticated')) wrong.push(`${method}: ${result.ok ? 'answered' : result.error.code}`);
      if (open && !result.ok && result.error.code === 'unauthenticated') wrong.push(`${method}: refused though open to anyone`);
    }
    expect(wrong).toEqual([]);
  });

  it('the role table is what the issue says: the auditor reads evidence but no NIR and changes nothing', () => {
    const auditor = new Set(ROLE_PERMISSIONS.auditor);
    expect(auditor.has('people.sensitive.read')).toBe(false);
    expect([...auditor].filter((p) => p.endsWith('.write') || p === 'claims.validate' || p === 'system.admin' || p === 'afest.manage')).toEqual([]);
    expect(ROLE_PERMISSIONS.tutor).toEqual(['organisation.read', 'afest.read', 'afest.write']);
    expect(new Set(ROLE_PERMISSIONS.admin)).toEqual(new Set(Object.values(contract).map((d) => d.permission).filter((p) => p !== 'anyone' && p !== 'signed-in')));
  });
});
