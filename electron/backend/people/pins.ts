import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { afterPinFailure, PIN_LOCK_MINUTES, PIN_MAX_FAILURES, pinLock, type PinThrottle } from '../../../shared/domain/capture-proof';
import { AppError, type FieldIssue } from '../../../shared/errors';
import type { PinStatus } from '../../../shared/schemas/pins';
import type { Ctx } from '../context';
import { withRaw, type Raw } from '../db/raw';
import type { SqlRow } from '../db/schema';

/*
 * The PINs of trainees and trainers (migrations/0011_pin_qr.ts, rules in shared/domain/capture-proof.ts).
 * A PIN is stored only as `scrypt$N$r$p$salt$hash` (node:crypto scrypt, a random 16-byte salt per PIN) and
 * is never returned by any method: the app learns only whether one is set, when and by whom.
 */

export type PersonKind = 'trainee' | 'trainer';

const N = 16384;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

/** The stored form of a PIN: scrypt with its parameters and a fresh salt. */
export function hashPin(pin: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(pin, salt, KEY_LENGTH, { N, r: R, p: P });
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/** Whether `pin` is the one `stored` was made from (constant-time comparison). */
export function pinMatches(pin: string, stored: string): boolean {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = scryptSync(pin, Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p) });
  return timingSafeEqual(actual, expected);
}

function personName(raw: Raw, kind: PersonKind, id: string): string | undefined {
  const table = kind === 'trainee' ? 'trainees' : 'trainers';
  return raw.get<{ name: string }>(`SELECT last_name || ' ' || first_name AS name FROM ${table} WHERE id = ?`, id)?.name;
}

function pinRow(raw: Raw, kind: PersonKind, id: string) {
  return raw.get<SqlRow<'person_pins'>>('SELECT * FROM person_pins WHERE person_kind = ? AND person_id = ?', kind, id);
}

/** Whether a person has a PIN, since when and set by whom (never the PIN). */
export async function pinStatus(ctx: Ctx, kind: PersonKind, id: string): Promise<PinStatus> {
  return withRaw(ctx.db, (raw) => {
    if (!personName(raw, kind, id)) throw notFound(kind);
    const row = raw.get<{ set_at: string; set_by: string; name: string; locked_until: string | null }>(
      'SELECT p.set_at, p.set_by, u.name, p.locked_until FROM person_pins p JOIN users u ON u.id = p.set_by WHERE p.person_kind = ? AND p.person_id = ?',
      kind, id,
    );
    if (!row) return { set: false, setAt: null, setBy: null, lockedUntil: null };
    const locked = row.locked_until !== null && Date.parse(row.locked_until) > ctx.now().getTime();
    return { set: true, setAt: row.set_at, setBy: row.name, lockedUntil: locked ? row.locked_until : null };
  });
}

function notFound(kind: PersonKind) {
  return kind === 'trainee'
    ? new AppError('not_found', 'Stagiaire introuvable.', [{ path: 'personId', message: 'Stagiaire inconnu.' }])
    : new AppError('not_found', 'Formateur introuvable.', [{ path: 'personId', message: 'Formateur inconnu.' }]);
}

/** Sets (or resets: replaces) a person's PIN; the failure count and any lock start again. */
export async function setPin(ctx: Ctx, kind: PersonKind, id: string, pin: string): Promise<PinStatus> {
  const stored = hashPin(pin);
  await withRaw(ctx.db, (raw) => {
    if (!personName(raw, kind, id)) throw notFound(kind);
    raw.run(
      `INSERT INTO person_pins (person_kind, person_id, pin_hash, failures, locked_until, set_at, set_by) VALUES (?, ?, ?, 0, NULL, ?, ?)
       ON CONFLICT (person_kind, person_id) DO UPDATE SET pin_hash = excluded.pin_hash, failures = 0, locked_until = NULL, set_at = excluded.set_at, set_by = excluded.set_by`,
      kind, id, stored, ctx.now().toISOString(), ctx.user.id,
    );
  });
  return pinStatus(ctx, kind, id);
}

/** Removes a person's PIN: the PIN method is no longer offered for them. */
export async function clearPin(ctx: Ctx, kind: PersonKind, id: string): Promise<PinStatus> {
  await withRaw(ctx.db, (raw) => {
    if (!personName(raw, kind, id)) throw notFound(kind);
    raw.run('DELETE FROM person_pins WHERE person_kind = ? AND person_id = ?', kind, id);
  });
  return pinStatus(ctx, kind, id);
}

/** The persons of a list who have a PIN (the roll call offers the PIN method only to them). */
export function withPin(raw: Raw, kind: PersonKind, ids: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const id of ids) if (raw.get('SELECT 1 FROM person_pins WHERE person_kind = ? AND person_id = ?', kind, id)) out.add(id);
  return out;
}

/** One PIN to check: whose, as typed, and the path of the field that shows the error. */
export interface PinCheck {
  kind: PersonKind;
  personId: string;
  pin: string;
  path: string;
}

/**
 * Checks PINs typed at capture (marks with method `pin`, a countersignature by PIN). Runs **outside** the
 * transaction of the roll call: a wrong PIN is counted (and locks after {@link PIN_MAX_FAILURES}) even
 * though the roll call is then refused and rolled back. Throws every issue found, naming the person and
 * the field; a right PIN clears the failure count.
 */
export async function checkPins(ctx: Ctx, checks: readonly PinCheck[]): Promise<void> {
  if (checks.length === 0) return;
  const nowMs = ctx.now().getTime();
  const issues: FieldIssue[] = [];
  await withRaw(ctx.db, (raw) => {
    for (const c of checks) {
      const who = personName(raw, c.kind, c.personId) ?? (c.kind === 'trainee' ? 'ce stagiaire' : 'ce formateur');
      const row = pinRow(raw, c.kind, c.personId);
      if (!row) {
        issues.push({ path: c.path, message: `PIN : ${who} n'a pas de PIN. Définissez-le sur sa fiche, ou choisissez un autre mode de recueil.` });
        continue;
      }
      const state: PinThrottle = { failures: row.failures, lockedUntilMs: row.locked_until ? Date.parse(row.locked_until) : null };
      const lock = pinLock(state, nowMs);
      if (lock.locked) {
        issues.push({ path: c.path, message: `PIN de ${who} bloqué après ${PIN_MAX_FAILURES} essais erronés : réessayez dans ${lock.minutesLeft} min, ou choisissez un autre mode de recueil.` });
        continue;
      }
      if (pinMatches(c.pin, row.pin_hash)) {
        if (row.failures > 0 || row.locked_until) raw.run('UPDATE person_pins SET failures = 0, locked_until = NULL WHERE person_kind = ? AND person_id = ?', c.kind, c.personId);
        continue;
      }
      const next = afterPinFailure(state, nowMs);
      raw.run(
        'UPDATE person_pins SET failures = ?, locked_until = ? WHERE person_kind = ? AND person_id = ?',
        next.failures, next.lockedUntilMs === null ? null : new Date(next.lockedUntilMs).toISOString(), c.kind, c.personId,
      );
      issues.push({
        path: c.path,
        message: next.lockedUntilMs !== null
          ? `PIN de ${who} incorrect : ${PIN_MAX_FAILURES} essais erronés, PIN bloqué ${PIN_LOCK_MINUTES} min.`
          : `PIN de ${who} incorrect (${PIN_MAX_FAILURES - next.failures} essai(s) restant(s) avant blocage).`,
      });
    }
  });
  if (issues.length > 0) throw new AppError('validation', issues[0]!.message, issues);
}
