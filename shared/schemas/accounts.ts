import { z } from 'zod';
import { ACCOUNT_PIN_PATTERN, LOCK_AFTER_MINUTES_RANGE, LOGIN_PATTERN, PASSWORD_MAX_LENGTH } from '../domain/accounts';
import { PERMISSIONS, ROLES } from '../permissions';
import { email, id, instant, isoDate, requiredText } from './common';
import { AUDIT_ACTIONS, AUDIT_OUTCOMES } from './audit';

/** A login as typed: trimmed and lower-cased before the pattern applies. */
export const login = z
  .string({ error: 'Identifiant obligatoire.' })
  .trim()
  .toLowerCase()
  .min(1, { error: 'Identifiant obligatoire.' })
  .regex(LOGIN_PATTERN, { error: 'Identifiant invalide : 2 à 40 lettres minuscules, chiffres, points, tirets ou soulignés, en commençant par une lettre.' });

/** A password as typed at sign-in: only bounded (its rules apply when it is chosen, shared/domain/accounts.ts). */
export const password = z
  .string({ error: 'Mot de passe obligatoire.' })
  .min(1, { error: 'Mot de passe obligatoire.' })
  .max(PASSWORD_MAX_LENGTH, { error: `Mot de passe trop long : au plus ${PASSWORD_MAX_LENGTH} caractères.` });

export const accountPin = z.string({ error: 'Code PIN obligatoire.' }).regex(ACCOUNT_PIN_PATTERN, { error: 'Code PIN invalide : 4 à 8 chiffres.' });

export const role = z.enum(ROLES, { error: 'Rôle inconnu : administrateur, responsable, personnel du centre, formateur, tuteur ou auditeur.' });

/** An account as the screens see it: never a hash. */
export const account = z.object({
  id: z.string(),
  login: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  role,
  active: z.boolean(),
  trainerId: z.string().nullable(),
  trainerName: z.string().nullable(),
  tutorId: z.string().nullable(),
  tutorName: z.string().nullable(),
  hasPin: z.boolean(),
  lastSignInAt: z.string().nullable(),
  createdAt: z.string(),
  version: z.number().int(),
});
export type Account = z.infer<typeof account>;

export const authStatus = z.object({
  /** No account yet: the first run asks for the administrator's own account (or loads the demo). */
  setupNeeded: z.boolean(),
  signedIn: z.boolean(),
  /** Signed in, but locked after inactivity: only the PIN or the password unlocks. */
  locked: z.boolean(),
  /** Whether the PIN may unlock this locked session (the account has one and it has not failed too often here). */
  pinUnlock: z.boolean(),
  account: account.nullable(),
  permissions: z.array(z.enum(PERMISSIONS)),
  lockAfterMinutes: z.number().int(),
  /** The demo's accounts exist (password « demo »): the sign-in page lists them. */
  demoAccounts: z.boolean(),
});
export type AuthStatus = z.infer<typeof authStatus>;

/** What a sign-in answers: the account, and the session's token, which the host keeps and never passes to the page. */
export const signedIn = z.object({ status: authStatus, token: z.string().optional() });

export const signInInput = z.object({ login, password }).strict();
export const setupInput = z
  .object({ login, name: requiredText(100), email, password: z.string({ error: 'Mot de passe obligatoire.' }) })
  .strict();
export const unlockInput = z.union([z.object({ pin: accountPin }).strict(), z.object({ password }).strict()], {
  error: 'Indiquez votre code PIN ou votre mot de passe.',
});
export const setPinInput = z.object({ pin: accountPin.nullable(), password }).strict();
export const changePasswordInput = z.object({ current: password, next: z.string({ error: 'Nouveau mot de passe obligatoire.' }) }).strict();

export const accountInput = z
  .object({
    id: id.optional(),
    version: z.number().int().positive().optional(),
    login,
    name: requiredText(100),
    email,
    role,
    active: z.boolean().default(true),
    trainerId: id.nullish().transform((v) => v ?? null),
    tutorId: id.nullish().transform((v) => v ?? null),
    /** Required for a new account; for an existing one, a new password the person must then use. */
    password: z.string().max(PASSWORD_MAX_LENGTH).nullish().transform((v) => (v ? v : null)),
  })
  .strict();
export type AccountInput = z.input<typeof accountInput>;

export const authSettings = z.object({
  lockAfterMinutes: z
    .number({ error: 'Verrouillage : nombre de minutes attendu.' })
    .int({ error: 'Verrouillage : nombre entier de minutes attendu.' })
    .min(LOCK_AFTER_MINUTES_RANGE.min, { error: `Verrouillage : au moins ${LOCK_AFTER_MINUTES_RANGE.min} minute.` })
    .max(LOCK_AFTER_MINUTES_RANGE.max, { error: `Verrouillage : au plus ${LOCK_AFTER_MINUTES_RANGE.max} minutes.` }),
});

export const auditFilter = z
  .object({
    from: isoDate.optional(),
    to: isoDate.optional(),
    userId: z.string().max(100).optional(),
    action: z.enum(AUDIT_ACTIONS).optional(),
    outcome: z.enum(AUDIT_OUTCOMES).optional(),
    limit: z.number().int().min(1).max(1000).default(200),
    /** The next page: events older than the last one shown (`at`, then `id` among events of the same instant). */
    before: instant.optional(),
    beforeId: z.string().max(100).optional(),
  })
  .strict()
  .default({ limit: 200 });
