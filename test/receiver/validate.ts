/**
 * What the reference receiver checks (exchange-protocol.md, "Record payloads"): the batch envelope, then
 * each record's payload by type — required fields, formats (dates, SIRET, NIR key), minutes within the
 * slot, claim sums rounded half-up. Messages are French, as a French funder system's would be.
 */
import { z } from 'zod';
import { isValidNir, normaliseNir } from '../../shared/domain/nir';
import { isValidSiret } from '../../shared/domain/siret';

export const RECORD_TYPES = ['enrolment', 'attendance', 'afest-sequence', 'claim'] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

export interface RecordError {
  path: string;
  code: string;
  message: string;
}

const coded = (code: string) => ({ params: { code } });

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, { error: 'Identifiant invalide (UUID attendu).' });
const text = z.string().trim().min(1, { error: 'Champ obligatoire (vide).' });

function isCalendarDate(v: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}
const date = z.string().refine(isCalendarDate, { error: 'Date invalide : AAAA-MM-JJ attendu.', ...coded('invalid_format') });
const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'Heure invalide : HH:MM attendu.' });
const instant = z.string().refine((v) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/.test(v) && !Number.isNaN(Date.parse(v)), {
  error: 'Horodatage invalide : ISO 8601 UTC attendu.',
  ...coded('invalid_format'),
});
const minutes = z.number().int({ error: 'Durée invalide : nombre entier de minutes attendu.' }).min(0, { error: 'Durée négative.' });
const sha256 = z.string().regex(/^[0-9a-f]{64}$/i, { error: 'Empreinte SHA-256 invalide (64 caractères hexadécimaux).' });
const cents = z.number().int({ error: 'Montant invalide : entier de centimes attendu.' });
const nir = z
  .string()
  .refine((v) => isValidNir(normaliseNir(v)), { error: 'NIR invalide : la clé (97 − reste de la division par 97) ne correspond pas.', ...coded('invalid_nir') });
const person = z.union([text, z.looseObject({ lastName: text, firstName: text })]);

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export const PAYLOADS: Record<RecordType, z.ZodType> = {
  enrolment: z
    .looseObject({
      enrolmentId: uuid,
      trainee: z.looseObject({ lastName: text, firstName: text, birthDate: date, nir: nir.optional(), franceTravailId: z.string().optional() }),
      action: z.looseObject({ code: text, title: text, rncp: z.string().regex(/^(RNCP|RS)\d{1,6}$/, { error: 'Code RNCP/RS invalide.' }).optional() }),
      sessionId: text,
      funder: z.looseObject({ code: text, fileNumber: text }),
      status: z.enum(['entered', 'suspended', 'exited'], { error: 'Statut : entered, suspended ou exited.' }),
      entryDate: date,
      exitDate: date.optional(),
      exitReason: z.string().optional(),
      plannedMinutes: minutes,
    })
    .superRefine((p, ctx) => {
      if (p.exitDate !== undefined && p.exitDate < p.entryDate) {
        ctx.addIssue({ code: 'custom', path: ['exitDate'], message: "La date de sortie précède la date d'entrée.", params: { code: 'out_of_range' } });
      }
      if (p.status === 'exited' && p.exitDate === undefined) {
        ctx.addIssue({ code: 'custom', path: ['exitDate'], message: 'Date de sortie obligatoire pour une sortie.', params: { code: 'required' } });
      }
    }),
  attendance: z
    .looseObject({
      enrolmentId: uuid,
      slot: z.looseObject({ date, start: time, end: time, modality: text }),
      status: text,
      minutes,
      evidence: z.looseObject({ method: text, sha256: sha256.nullable() }),
      closedAt: instant,
    })
    .superRefine((p, ctx) => {
      const length = toMinutes(p.slot.end) - toMinutes(p.slot.start);
      if (length <= 0) {
        ctx.addIssue({ code: 'custom', path: ['slot', 'end'], message: 'La fin du créneau précède son début.', params: { code: 'out_of_range' } });
      } else if (p.minutes > length) {
        ctx.addIssue({ code: 'custom', path: ['minutes'], message: `${p.minutes} minutes déclarées pour un créneau de ${length} minutes.`, params: { code: 'out_of_range' } });
      }
    }),
  'afest-sequence': z.looseObject({
    enrolmentId: uuid,
    kind: z.enum(['work-situation', 'reflective', 'evaluation'], { error: 'Nature : work-situation, reflective ou evaluation.' }),
    date,
    minutes: minutes.refine((m) => m > 0, { error: 'Durée nulle.', ...coded('out_of_range') }),
    tutor: person,
    facilitator: person.optional(),
    summary: z.string(),
  }),
  claim: z
    .looseObject({
      claimId: uuid,
      funderCode: text,
      period: z.looseObject({ from: date, to: date }),
      lines: z
        .array(
          z
            .looseObject({
              // A trainee's line names the enrolment; a session-level line (group hour, session lump sum) the session.
              enrolmentId: uuid.optional(),
              sessionId: uuid.optional(),
              unit: text,
              // A regularisation's line may be negative (a credit); it then says what it corrects (`previous`).
              quantity: z.number(),
              unitPriceCents: cents.min(0, { error: 'Prix unitaire négatif.' }),
              amountCents: cents,
              previous: z.looseObject({ quantity: z.number().min(0, { error: 'Quantité négative.' }), amountCents: cents }).optional(),
            })
            .refine((l) => (l.enrolmentId === undefined) !== (l.sessionId === undefined), { error: 'Indiquez enrolmentId ou sessionId (un seul).', path: ['enrolmentId'], ...coded('required') })
            .refine((l) => l.previous !== undefined || l.quantity >= 0, { error: 'Quantité négative.', path: ['quantity'], ...coded('out_of_range') }),
        )
        .min(1, { error: 'Au moins une ligne.' }),
      totalCents: cents,
      documents: z.array(z.looseObject({ name: text, sha256 })),
    })
    .superRefine((p, ctx) => {
      if (p.period.to < p.period.from) {
        ctx.addIssue({ code: 'custom', path: ['period', 'to'], message: 'La fin de période précède son début.', params: { code: 'out_of_range' } });
      }
      let sum = 0;
      p.lines.forEach((line, i) => {
        // A regularisation line: the amount of the corrected quantity minus the amount billed before.
        const corrected = line.previous ? Number((line.previous.quantity + line.quantity).toFixed(6)) : line.quantity;
        const after = corrected < 0 ? null : lineAmountCents(corrected, line.unitPriceCents);
        const expected = after === null ? null : after - (line.previous?.amountCents ?? 0);
        if (expected === null) {
          ctx.addIssue({ code: 'custom', path: ['lines', i, 'quantity'], message: 'Quantité : au plus 6 décimales.', params: { code: 'invalid_format' } });
        } else if (expected !== line.amountCents) {
          ctx.addIssue({
            code: 'custom',
            path: ['lines', i, 'amountCents'],
            message: `Montant de ligne ${line.amountCents} ≠ ${line.quantity} × ${line.unitPriceCents} arrondi au centime supérieur à partir de 0,5 (${expected}).`,
            params: { code: 'sum_mismatch' },
          });
        }
        sum += line.amountCents;
      });
      if (sum !== p.totalCents) {
        ctx.addIssue({ code: 'custom', path: ['totalCents'], message: `Total ${p.totalCents} ≠ somme des lignes (${sum}).`, params: { code: 'sum_mismatch' } });
      }
    }),
};

/**
 * quantity × unitPriceCents rounded half-up, computed exactly (quantity has at most 6 decimals); null
 * when the quantity cannot be read that way.
 *
 * @example lineAmountCents(2.5, 1001) // 2503 (2502.5 → 2503)
 */
export function lineAmountCents(quantity: number, unitPriceCents: number): number | null {
  const s = String(quantity);
  const m = /^(\d+)(?:\.(\d{1,6}))?$/.exec(s);
  if (!m || !Number.isSafeInteger(unitPriceCents) || unitPriceCents < 0) return null;
  const frac = m[2] ?? '';
  const scale = 10n ** BigInt(frac.length);
  const product = BigInt(m[1]! + frac) * BigInt(unitPriceCents);
  return Number((product * 2n + scale) / (2n * scale));
}

function issueCode(issue: z.core.$ZodIssue): string {
  if (issue.code === 'custom') return ((issue as { params?: { code?: string } }).params?.code ?? 'invalid');
  if (issue.code === 'invalid_type') return (issue as { input?: unknown }).input === undefined ? 'required' : 'invalid_type';
  if (issue.code === 'too_small' || issue.code === 'too_big') return 'out_of_range';
  if (issue.code === 'invalid_format') return 'invalid_format';
  if (issue.code === 'invalid_value' || issue.code === 'invalid_union') return 'invalid_value';
  return 'invalid';
}

function issueMessage(issue: z.core.$ZodIssue, code: string): string {
  if (code === 'required') return 'Champ obligatoire.';
  if (issue.code === 'invalid_type') return `Type inattendu (${issue.expected} attendu).`;
  if (issue.message && !issue.message.startsWith('Invalid input')) return issue.message;
  return 'Valeur invalide.';
}

export function toErrors(error: z.ZodError, prefix: string): RecordError[] {
  return error.issues.map((issue) => {
    const code = issueCode(issue);
    return { path: [prefix, ...issue.path.map(String)].filter(Boolean).join('.'), code, message: issueMessage(issue, code) };
  });
}

/** The record list is checked apart: 0 records is an invalid envelope (400), more than the limit is 413. */
export const envelope = z.looseObject({
  batchId: uuid,
  sentAt: instant,
  sender: z.looseObject({
    siret: z.string().refine(isValidSiret, { error: 'SIRET invalide (14 chiffres, clé de Luhn).', ...coded('invalid_siret') }),
    nda: z.string().regex(/^\d{11}$/, { error: 'NDA invalide (11 chiffres).' }).nullish(),
    software: text,
    deviceId: text,
    // The sender's evidence-ledger head when the batch was built (docs/ledger-head.md); optional for older senders.
    ledgerHead: z
      .object({
        count: z.number().int().min(0, { error: 'Registre : nombre d’entrées positif ou nul.' }),
        mac: z.string().regex(/^[0-9a-f]{64}$/, { error: 'Registre : sceau de 64 chiffres hexadécimaux.' }),
      })
      .optional(),
  }),
  records: z
    .array(
      z.looseObject({
        recordId: uuid,
        version: z.number().int().min(1, { error: 'Version : entier positif.' }),
        type: z.enum(RECORD_TYPES, { error: "Type d'enregistrement inconnu." }),
        payload: z.record(z.string(), z.unknown(), { error: 'Contenu (payload) : objet JSON attendu.' }),
      }),
    )
    .min(1, { error: 'Un lot contient au moins un enregistrement.' }),
});
export type Envelope = z.infer<typeof envelope>;

export function validatePayload(type: RecordType, payload: unknown): RecordError[] {
  const r = PAYLOADS[type].safeParse(payload);
  return r.success ? [] : toErrors(r.error, 'payload');
}

/** JSON with sorted keys: the same content always hashes the same, whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .filter((k) => o[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
