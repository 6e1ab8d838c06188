import { afterEach, describe, expect, it } from 'vitest';
import type { MethodName } from '../../shared/contract';
import type { ApiResult } from '../../shared/errors';
import { testBackend, type TestBackend } from '../helpers/backend';

/**
 * Accounts and sign-in through `serve`, the door every host uses (the app's window, the preview, the CLI):
 * the first run, sign-in and its throttling, the lock after inactivity and its PIN, a disabled account signed
 * out everywhere, an altered token, and the audit log of all of it.
 */

let b: TestBackend;
afterEach(async () => b?.cleanup());

const ADMIN = { login: 'cvasseur', name: 'Claire Vasseur', email: null, password: 'Atelier-2026!' };

/** A host's view: the token it keeps, the answer the page gets. */
function host(backend: TestBackend) {
  let token: string | null = null;
  return {
    get token() {
      return token;
    },
    set token(t: string | null) {
      token = t;
    },
    async call(method: MethodName, payload?: unknown): Promise<ApiResult<unknown>> {
      const served = await backend.serve(token, method, payload, { transport: 'preview' });
      if (served.token !== undefined) token = served.token;
      return served.result;
    },
  };
}

function value<T = Record<string, unknown>>(r: ApiResult<unknown>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

async function auditActions(backend: TestBackend) {
  return backend.raw.prepare('SELECT action, outcome, login, user_id FROM audit_events ORDER BY at, rowid').all() as { action: string; outcome: string; login: string | null; user_id: string | null }[];
}

describe('first run and sign-in', () => {
  it('asks for the administrator first, then only that account signs in; nothing answers before', async () => {
    b = await testBackend();
    const h = host(b);
    expect(value(await h.call('auth.status'))).toMatchObject({ setupNeeded: true, signedIn: false, permissions: [] });
    // Before any sign-in, a method that needs a permission is refused and says how to go on.
    const refused = await h.call('sessions.list', {});
    expect(refused).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(!refused.ok && refused.error.message).toMatch(/connectez-vous/);

    // A weak password is refused on its field, and nothing is created.
    const weak = await h.call('auth.setup', { ...ADMIN, password: 'atelier' });
    expect(weak).toMatchObject({ ok: false, error: { code: 'validation', issues: [{ path: 'password' }] } });
    expect(value(await h.call('auth.status'))).toMatchObject({ setupNeeded: true });

    const setup = value<{ status: { signedIn: boolean; account: { role: string; login: string }; permissions: string[] } }>(await h.call('auth.setup', ADMIN));
    expect(setup).not.toHaveProperty('token'); // the host kept it; the page never sees it
    expect(h.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(setup.status).toMatchObject({ signedIn: true, account: { role: 'admin', login: 'cvasseur' } });
    expect(setup.status.permissions).toContain('system.admin');
    // A second first account is refused.
    expect(await host(b).call('auth.setup', { ...ADMIN, login: 'autre' })).toMatchObject({ ok: false, error: { code: 'business' } });
    // The database holds the session's hash, never the token nor the password.
    const stored = b.raw.prepare('SELECT token_hash FROM auth_sessions').all() as { token_hash: string }[];
    expect(stored.map((s) => s.token_hash)).not.toContain(h.token);
    const user = b.raw.prepare("SELECT password_hash FROM users WHERE login = 'cvasseur'").get() as { password_hash: string };
    expect(user.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(user.password_hash).not.toContain(ADMIN.password);

    expect(value(await h.call('sessions.list', {}))).toEqual([]);
    expect(value(await h.call('auth.signOut'))).toMatchObject({ signedIn: false });
    expect(h.token).toBeNull();
  });

  it('refuses a wrong password in French, throttles after five, and logs every attempt', async () => {
    b = await testBackend('2026-11-23T09:00:00Z');
    value(await host(b).call('auth.setup', ADMIN));
    const h = host(b);
    // An unknown login and a wrong password get the same sentence: nothing tells which logins exist.
    const unknown = await h.call('auth.signIn', { login: 'personne', password: 'x' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'validation', message: 'Identifiant ou mot de passe incorrect.' } });
    for (let i = 1; i <= 5; i++) {
      expect(await h.call('auth.signIn', { login: 'cvasseur', password: `faux-${i}` })).toMatchObject({ ok: false, error: { message: 'Identifiant ou mot de passe incorrect.' } });
    }
    // Five failures in a row: the 5th locks the account for 2^(5-5) = 1 minute; even the right password waits.
    const locked = await h.call('auth.signIn', { login: 'cvasseur', password: ADMIN.password });
    expect(locked).toMatchObject({ ok: false, error: { code: 'business', message: "Trop d'essais de mot de passe pour ce compte : réessayez dans 1 minute." } });
    b.clock.set('2026-11-23T09:01:00Z');
    value(await h.call('auth.signIn', { login: 'CVasseur ', password: ADMIN.password })); // trimmed, lower-cased
    const audit = await auditActions(b);
    expect(audit.map((a) => `${a.action}:${a.outcome}`)).toEqual([
      'auth.setup:success',
      'auth.signIn:failure',
      ...Array(5).fill('auth.signIn:failure'),
      'auth.signIn:refused',
      'auth.signIn:success',
    ]);
    expect(audit[1]).toMatchObject({ login: 'personne', user_id: null });
    // The failures count again from zero after a success.
    expect((b.raw.prepare("SELECT failed_attempts AS n FROM users WHERE login = 'cvasseur'").get() as { n: number }).n).toBe(0);

    // The administrator reads the log page by page: the first eight events share one instant (the clock stood
    // still), and a page of 3 goes on after the last one shown without skipping or repeating any.
    type Page = { events: { id: string; at: string; action: string }[]; more: boolean };
    const seen: string[] = [];
    let page = value<Page>(await h.call('audit.list', { limit: 3 }));
    for (;;) {
      seen.push(...page.events.map((e) => e.id));
      if (!page.more) break;
      const last = page.events.at(-1)!;
      page = value<Page>(await h.call('audit.list', { limit: 3, before: last.at, beforeId: last.id }));
    }
    const all = value<Page>(await h.call('audit.list', {})).events.map((e) => e.id);
    expect(all).toHaveLength(9); // the 9 events above: reading the log is not itself logged
    expect(seen).toEqual(all);
    expect(value<Page>(await h.call('audit.list', { outcome: 'refused' })).events.map((e) => e.action)).toEqual(['auth.signIn']);
  });

  it('locks after the inactivity setting; the PIN unlocks, three wrong PINs then need the password', async () => {
    b = await testBackend('2026-11-23T09:00:00Z');
    const h = host(b);
    value(await h.call('auth.setup', ADMIN));
    value(await h.call('auth.saveSettings', { lockAfterMinutes: 10 }));
    expect(await h.call('auth.setPin', { pin: '12a4', password: ADMIN.password })).toMatchObject({ ok: false, error: { code: 'validation' } });
    value(await h.call('auth.setPin', { pin: '482913', password: ADMIN.password }));

    b.clock.set('2026-11-23T09:09:59Z');
    value(await h.call('sessions.list', {})); // 9 min 59 s idle: still open
    b.clock.set('2026-11-23T09:19:59Z');
    const refused = await h.call('sessions.list', {});
    expect(refused).toMatchObject({ ok: false, error: { code: 'locked' } });
    expect(value(await h.call('auth.status'))).toMatchObject({ signedIn: true, locked: true, pinUnlock: true, permissions: [] });

    for (const left of [2, 1]) {
      expect(await h.call('auth.unlock', { pin: '000000' })).toMatchObject({ ok: false, error: { message: `Code PIN incorrect (encore ${left} essai${left > 1 ? 's' : ''}).` } });
    }
    expect(await h.call('auth.unlock', { pin: '000000' })).toMatchObject({ ok: false, error: { message: 'Code PIN incorrect : saisissez maintenant votre mot de passe.' } });
    expect(await h.call('auth.unlock', { pin: '482913' })).toMatchObject({ ok: false, error: { code: 'business' } });
    expect(value(await h.call('auth.status'))).toMatchObject({ locked: true, pinUnlock: false });
    value(await h.call('auth.unlock', { password: ADMIN.password }));
    expect(value(await h.call('sessions.list', {}))).toEqual([]);

    // Locked again by hand; this time the right PIN opens it at once.
    value(await h.call('auth.lock'));
    expect(await h.call('sessions.list', {})).toMatchObject({ ok: false, error: { code: 'locked' } });
    value(await h.call('auth.unlock', { pin: '482913' }));
    value(await h.call('sessions.list', {}));

    // Twelve hours idle: the session has ended, the host is told to forget its token.
    b.clock.set('2026-11-23T21:30:00Z');
    expect(await h.call('sessions.list', {})).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(h.token).toBeNull();

    // The shortest setting, 1 minute: someone busy every 50 s is never locked (their activity is counted, not
    // only once a minute); 60 s without a call locks.
    value(await h.call('auth.signIn', { login: ADMIN.login, password: ADMIN.password }));
    value(await h.call('auth.saveSettings', { lockAfterMinutes: 1 }));
    let at = Date.parse('2026-11-23T21:30:00Z');
    for (let i = 0; i < 6; i++) {
      at += 50_000;
      b.clock.set(new Date(at).toISOString());
      value(await h.call('sessions.list', {}));
    }
    b.clock.set(new Date(at + 60_000).toISOString());
    expect(await h.call('sessions.list', {})).toMatchObject({ ok: false, error: { code: 'locked' } });
    expect(b.raw.prepare("SELECT action FROM audit_events WHERE action = 'auth.settings'").all()).toHaveLength(2);
  });

  it('a disabled account is signed out everywhere at once; an altered token opens nothing', async () => {
    b = await testBackend();
    const admin = host(b);
    value(await admin.call('auth.setup', ADMIN));
    value(await admin.call('accounts.save', { login: 'nbenali', name: 'Nadia Benali', email: null, role: 'staff', password: 'Accueil-2026' }));
    const laptop = host(b);
    const tablet = host(b);
    value(await laptop.call('auth.signIn', { login: 'nbenali', password: 'Accueil-2026' }));
    value(await tablet.call('auth.signIn', { login: 'nbenali', password: 'Accueil-2026' }));
    value(await tablet.call('sessions.list', {}));
    // Staff may not administer: refused in French, logged.
    const refused = await tablet.call('accounts.list', {});
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(!refused.ok && refused.error.message).toBe("Votre rôle (personnel du centre) ne permet pas de administrer Sillon (comptes, journal d'audit, sauvegardes) : opération refusée, rien n'a été modifié.");

    const [account] = value<{ id: string; login: string; version: number }[]>(await admin.call('accounts.list')).filter((a) => a.login === 'nbenali');
    value(await admin.call('accounts.save', { id: account!.id, version: account!.version, login: 'nbenali', name: 'Nadia Benali', email: null, role: 'staff', active: false }));
    for (const device of [laptop, tablet]) {
      expect(await device.call('sessions.list', {})).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
      expect(device.token).toBeNull();
    }
    expect(await laptop.call('auth.signIn', { login: 'nbenali', password: 'Accueil-2026' })).toMatchObject({ ok: false, error: { code: 'business', message: /désactivé/ } });

    // A token with one character changed, or made up: nothing answers, the host forgets it.
    const tampered = admin.token!.slice(0, -1) + (admin.token!.endsWith('A') ? 'B' : 'A');
    const forged = host(b);
    forged.token = tampered;
    expect(await forged.call('accounts.list')).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(forged.token).toBeNull();
    value(await admin.call('accounts.list'));

    const actions = (await auditActions(b)).map((a) => `${a.action}:${a.outcome}`);
    expect(actions).toContain('permission.refused:refused');
    expect(actions).toContain('account.create:success');
    expect(actions).toContain('account.disable:success');
    expect(actions.filter((a) => a === 'auth.signIn:refused')).toHaveLength(1);
  });

  it('keeps one active administrator, and links trainer and tutor accounts to their records', async () => {
    b = await testBackend();
    const admin = host(b);
    const { status } = value<{ status: { account: { id: string; version: number } } }>(await admin.call('auth.setup', ADMIN));
    const self = { id: status.account.id, version: status.account.version, login: ADMIN.login, name: ADMIN.name, email: null };
    expect(await admin.call('accounts.save', { ...self, role: 'manager' })).toMatchObject({ ok: false, error: { code: 'business', issues: [{ path: 'role' }] } });
    expect(await admin.call('accounts.save', { ...self, role: 'admin', active: false })).toMatchObject({ ok: false, error: { code: 'business' } });
    expect(await admin.call('accounts.save', { login: 'mklein', name: 'Martine Klein', email: null, role: 'trainer', password: 'Cuisine-2026' })).toMatchObject({
      ok: false,
      error: { code: 'validation', issues: [{ path: 'trainerId' }] },
    });
    expect(await admin.call('accounts.save', { login: 'cvasseur', name: 'Homonyme', email: null, role: 'auditor', password: 'Audit-2026!' })).toMatchObject({
      ok: false,
      error: { code: 'validation', issues: [{ path: 'login' }] },
    });
    expect(value<unknown[]>(await admin.call('accounts.list'))).toHaveLength(1);
  });
});

describe('the demo', () => {
  it('comes with one account per role, password « demo », and the sign-in page says so', async () => {
    b = await testBackend();
    const h = host(b);
    const loaded = value<{ status: { account: { login: string } }; counts: { sessions: number } }>(await h.call('auth.loadDemo'));
    expect(loaded.status.account.login).toBe('admin');
    expect(loaded.counts.sessions).toBeGreaterThan(0);
    const accounts = value<{ login: string; role: string; trainerName: string | null; tutorName: string | null }[]>(await h.call('accounts.list'));
    expect(accounts.map((a) => `${a.login}:${a.role}`).sort()).toEqual(['admin:admin', 'auditor:auditor', 'manager:manager', 'staff:staff', 'trainer:trainer', 'tutor:tutor']);
    expect(accounts.find((a) => a.login === 'trainer')!.trainerName).toBe('Klein Martine');
    expect(accounts.find((a) => a.login === 'tutor')!.tutorName).toMatch(/^L/);
    value(await h.call('auth.signOut'));
    expect(value(await h.call('auth.status'))).toMatchObject({ setupNeeded: false, demoAccounts: true });
    for (const login of ['manager', 'staff', 'trainer', 'tutor', 'auditor']) {
      const s = value<{ status: { account: { role: string } } }>(await host(b).call('auth.signIn', { login, password: 'demo' }));
      expect(s.status.account.role).toBe(login);
    }
    // Once accounts exist, the demo cannot be loaded from the sign-in page.
    expect(await host(b).call('auth.loadDemo')).toMatchObject({ ok: false, error: { code: 'business' } });
  });
});
