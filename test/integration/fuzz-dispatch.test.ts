import { rmSync } from 'node:fs';
import fc from 'fast-check';
import { v4 as uuidv4, v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract, METHOD_NAMES, type MethodName } from '../../shared/contract';
import { FIELD_LABELS, type ApiError, type ApiErrorCode, type ApiResult } from '../../shared/errors';
import { PERMISSION_LABELS, ROLE_LABELS, ROLE_PERMISSIONS, ROLES, type Role } from '../../shared/permissions';
import { testBackend, type TestBackend } from '../helpers/backend';
import { plausible } from '../helpers/zod-arbitrary';

/*
 * Issue #12: every contract method, called through the real dispatch with malformed and hostile payloads —
 * wrong types, huge strings, `__proto__` keys, NaN, impossible dates — on a database holding the demo, so ids
 * exist and handlers go deep. Whatever comes in: no crash, no `internal` error, a French sentence naming the field,
 * and nothing written by a call that failed (row counts and the ledger's head unchanged; a failed sign-in's audit
 * entry aside, which is the point of the audit log). Methods are read from the contract at run time: a new one is
 * fuzzed without touching this file.
 *
 * Replay a failure with the seed it prints: FUZZ_SEED=<seed> npx vitest run test/integration/fuzz-dispatch.test.ts
 */

const SEED = Number(process.env.FUZZ_SEED ?? 20261123);
/** Cases in all, across the methods (issue #12: 10 000). */
const TOTAL_CASES = Number(process.env.FUZZ_CASES ?? 10_000);
/** A call that has not answered by then is a hang, reported as such (a PDF of a month takes well under it). */
const CASE_TIMEOUT_MS = 20_000;
const TODAY = '2026-11-23';

/**
 * Methods slow by nature, with why: they get {@link SLOW_RUNS} cases each and the others share the rest of the
 * budget, so the file stays within minutes on two cores. Every one of them is still fuzzed.
 */
const SLOW: Record<string, string> = {
  'demo.load': 'loads the whole demo into an empty base (here refused: the base holds it already)',
  'documents.attendanceSheet': 'builds and signs a PDF',
  'documents.blankSheet': 'builds and signs a PDF',
  'documents.monthlyStatement': 'builds and signs a PDF',
  'documents.ensureCertificate': 'generates an RSA key pair',
  'afest.dossier': 'builds and signs the AFEST dossier PDF',
  'claims.document': 'builds the claim PDF',
  'claims.bundle': 'builds the claim ZIP with its PDFs',
  'auth.setup': 'hashes the password with scrypt',
  'auth.signIn': 'hashes the password with scrypt',
  'accounts.save': 'hashes the password with scrypt',
  'pins.set': 'hashes the PIN with scrypt',
  'ledger.verify': 'recomputes the whole ledger',
  'data.export': 'writes every record as JSON Lines',
  'backups.take': 'copies and checks the whole database file',
};
const SLOW_RUNS = 24;

/** Every code the dispatch may answer (shared/errors.ts); the compiler keeps the list whole. */
const CODES: Record<ApiErrorCode, true> = {
  validation: true, not_found: true, conflict: true, forbidden: true, unauthenticated: true, locked: true, business: true, unknown_method: true, internal: true,
};

/** Raw text of zod, SQLite or a stack reaching a person: the message was never written for them. */
const NOT_FOR_PEOPLE = /Expected|Invalid input|Required|Received|Unrecognized|SQLITE|sqlite|undefined|NaN|TypeError|RangeError|ReferenceError|Cannot read|is not a function|is not defined|\[object Object\]|at .*\(.*:\d+:\d+\)/;

// ── Plausible and hostile values ──────────────────────────────────────────────────────────────────────

const nest = (depth: number, leaf: unknown, wrap: (v: unknown) => unknown) => {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = wrap(v);
  return v;
};

/** Own `__proto__` / `constructor` / `prototype` keys, as JSON.parse builds them (an assignment would set the prototype). */
const PROTO_OBJECTS = [
  '{"__proto__":{"polluted":"oui","isAdmin":true}}',
  '{"constructor":{"prototype":{"polluted":"oui"}}}',
  '{"prototype":{"polluted":"oui"}}',
  '{"__proto__":null}',
  '{"__proto__":[]}',
];
const HOSTILE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '', 'k'.repeat(2000), 'a\u0000b', '\uD800', "'; DROP TABLE trainees; --"];

const HOSTILE_STRINGS = [
  'A'.repeat(100_001),
  'é'.repeat(120_000),
  '😷'.repeat(60_000),
  ' '.repeat(100_000),
  '\uD83D', 'Malade \uD83D', '\uDE37x', '\uDFFF\uD800',
  '\u0000', 'a\u0000b', 'Dupont\u0000',
  '0001-01-01', '1900-01-01', '1970-01-01', '2100-02-28', '9999-12-31', '0001-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z',
  '2026-02-30', '2026-13-01', '0000-00-00', '2026-1-1', '2026-11-31', '2026-02-29', '1900-02-29', '9999-99-99', '+002026-11-23', '23/11/2026', ' 2026-11-23', '2026-11-23\n',
  '2026-11-23T25:61:00Z', '2026-11-23T09:00:00', '2026-11-23T09:00:00+99:00', '275760-09-13T00:00:00.001Z',
  '25:61', '24:00', '9:00', '08:60', '-1:00', '08:30:00', '',
  'not-a-uuid', '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', uuidv4(), uuidv7().toUpperCase(), `{${uuidv7()}}`,
  "' OR '1'='1", "'; DROP TABLE trainees; --", "Robert'); DELETE FROM ledger;--", '" OR 1=1 --', "x' UNION SELECT password_hash FROM users --", '%', '_', '\\', '%_%',
  '../../../etc/passwd', 'C:\\Windows\\win.ini', '<script>alert(1)</script>', '${process.exit(1)}', '{{7*7}}', 'null', 'undefined', 'NaN', '-0', '1e308',
];
const HOSTILE_NUMBERS = [NaN, Infinity, -Infinity, -0, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, -Number.MAX_SAFE_INTEGER - 2, Number.MIN_VALUE, 2 ** 31, 2 ** 53, -1, 0.5, 1e-7];

const MANY_IDS = Object.freeze(Array.from({ length: 40_000 }, () => uuidv7()));
const MANY_NUMBERS = Object.freeze(Array.from({ length: 100_000 }, (_, i) => i));

/** Values no screen sends: huge, ill-formed, impossible, hostile, or of a type no schema wants. */
const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.constantFrom(...HOSTILE_NUMBERS),
  fc.constantFrom<unknown>(null, undefined, true, false, [], {}, [[]], 10n, new Date(Number.NaN), new Date('2026-11-23'), new Map([['a', 1]]), new Set([1]), new Uint8Array([0, 255]), Object.create(null) as unknown),
  fc.constantFrom(...PROTO_OBJECTS).map((json) => JSON.parse(json) as unknown),
  fc.constantFrom(2_000, 20_000).map((depth) => nest(depth, 'fond', (v) => [v])),
  fc.constantFrom(2_000, 20_000).map((depth) => nest(depth, 'fond', (v) => ({ a: v }))),
  // Many ids at once: a handler building `IN (?, ?, …)` meets SQLite's limit on variables. Made once (frozen:
  // a handler that changed its input would be caught changing a shared value).
  fc.constantFrom(MANY_IDS, MANY_NUMBERS),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.anything({ maxDepth: 2, withBigInt: true, withBoxedValues: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true, withObjectString: true, withSparseArray: true, withTypedArray: true, withUnicodeString: true }),
);

type Path = (string | number)[];

/** Every path into a value (the root included), not entering huge or deep things. */
function pathsOf(value: unknown, path: Path = [], out: Path[] = []): Path[] {
  out.push(path);
  if (path.length > 6 || value === null || typeof value !== 'object') return out;
  if (Array.isArray(value)) value.slice(0, 6).forEach((v, i) => pathsOf(v, [...path, i], out));
  else if (Object.getPrototypeOf(value) === Object.prototype) for (const k of Object.keys(value)) pathsOf((value as Record<string, unknown>)[k], [...path, k], out);
  return out;
}

/** Sets an own property, `__proto__` included (a plain assignment would change the prototype). */
function own(target: object, key: string | number, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A copy of `root` with the node at `path` changed; the containers along the path are copied, the rest shared. */
function changeAt(root: unknown, path: Path, change: (parent: Record<string | number, unknown>, key: string | number) => void): unknown {
  if (path.length === 0) {
    const holder: Record<string, unknown> = { root };
    change(holder, 'root');
    return holder.root;
  }
  const copy = (v: unknown): Record<string | number, unknown> =>
    Array.isArray(v) ? [...v] as unknown as Record<number, unknown> : Object.defineProperties({}, Object.getOwnPropertyDescriptors(v as object));
  const top = copy(root);
  let node = top;
  for (const key of path.slice(0, -1)) {
    const next = copy(node[key]);
    own(node, key, next);
    node = next;
  }
  change(node, path.at(-1)!);
  return top;
}

type Mutation = { kind: 'replace'; value: unknown } | { kind: 'delete' } | { kind: 'addKey'; key: string; value: unknown };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: hostile.map((value) => ({ kind: 'replace' as const, value })), weight: 6 },
  { arbitrary: fc.anything({ maxDepth: 2 }).map((value) => ({ kind: 'replace' as const, value })), weight: 2 },
  { arbitrary: fc.constant({ kind: 'delete' as const }), weight: 1 },
  { arbitrary: fc.tuple(fc.constantFrom(...HOSTILE_KEYS), hostile).map(([key, value]) => ({ kind: 'addKey' as const, key, value })), weight: 2 },
);

function mutate(value: unknown, pick: number, m: Mutation): unknown {
  const paths = pathsOf(value);
  const path = paths[pick % paths.length]!;
  return changeAt(value, path, (parent, key) => {
    if (m.kind === 'replace') own(parent, key, m.value);
    else if (m.kind === 'delete') {
      if (Array.isArray(parent)) own(parent, key, undefined);
      else delete parent[key];
    } else {
      const target = parent[key];
      if (target && typeof target === 'object' && !Array.isArray(target)) {
        const copy = Object.defineProperties({}, Object.getOwnPropertyDescriptors(target));
        own(copy, m.key, m.value);
        own(parent, key, copy);
      } else own(parent, key, JSON.parse(`{${JSON.stringify(m.key)}: 1}`) as unknown);
    }
  });
}

// ── The database's own ids, so plausible payloads reach handlers ──────────────────────────────────────────

const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
/**
 * Where the ids of a field come from when its name does not say (`personId`), and of an `id` when the method's
 * first word is not its table (`accounts.get` → users). Anything not listed is guessed from the name, then drawn
 * from every table: a new method needs no entry here.
 */
const TABLES_OF_FIELD: Record<string, string[]> = {
  personId: ['trainees', 'trainers'], employerId: ['companies'], facilitatorId: ['trainers'], majorationProgrammeId: ['programmes'],
  replacesId: ['programme_rules'], reviewedIds: ['afest_sequences'], competenceIds: ['afest_competences'], competenceId: ['afest_competences'],
  attachments: ['documents'], markId: ['attendance_marks'],
};
const TABLES_OF_ID: Record<string, string[]> = {
  accounts: ['users'], contracts: ['apprenticeship_contracts'], people: ['trainees', 'companies', 'trainers'], catalogue: ['places', 'actions'], sync: ['sync_receivers'],
  afest: ['afests'], 'afest.saveTutor': ['tutors'], 'afest.withdrawSequence': ['afest_sequences'], 'afest.withdrawEvaluation': ['afest_evaluations'],
  'afest.signature': ['signatures'], 'afest.attachment': ['documents'], 'claims.document': ['claim_documents'], 'attendance.saveDraft': ['rollcall_drafts'],
};

function idsArbitrary(ids: Map<string, string[]>, method: string) {
  const all = [...ids.values()].flat();
  const names = [...ids.keys()];
  const tablesFor = (field: string | undefined): string[] => {
    if (field && Object.hasOwn(TABLES_OF_FIELD, field)) return TABLES_OF_FIELD[field]!;
    if (!field || field === 'id') {
      const listed = TABLES_OF_ID[method] ?? TABLES_OF_ID[method.split('.')[0]!];
      if (listed) return listed;
    }
    const stem = field && field !== 'id' ? snake(field.replace(/Ids?$/, '')) : snake(method.split('.')[0]!);
    const exact = names.filter((t) => t === stem || t === `${stem}s` || t === stem.replace(/s$/, ''));
    return exact.length ? exact : names.filter((t) => t.includes(stem.replace(/s$/, '')));
  };
  return (field: string | undefined): fc.Arbitrary<string> => {
    const mine = tablesFor(field).flatMap((t) => ids.get(t) ?? []);
    return fc.oneof(
      { arbitrary: mine.length ? fc.constantFrom(...mine) : fc.constantFrom(...all), weight: 6 },
      { arbitrary: fc.constantFrom(...all), weight: 1 },
      { arbitrary: fc.uuid({ version: 7 }), weight: 1 },
    );
  };
}

/** Valid dates near today, and now and then one at the edge of the calendar (a period of 8 000 years). */
const EDGE_DATES = ['0001-01-01', '1900-01-01', '9999-12-31'];
const nearDates = fc.oneof(
  { arbitrary: fc.constantFrom(...EDGE_DATES), weight: 1 },
  { arbitrary: fc.constantFrom(TODAY, '2026-11-24', '2026-11-16', '2026-11-19', '2026-11-30', '2026-09-01', '2026-10-05', '2026-12-01', '2027-01-04'), weight: 4 },
  { arbitrary: fc.date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)), weight: 4 },
);
const nearInstants = fc.oneof(
  { arbitrary: fc.constantFrom('0001-01-01T00:00:00.000Z', '1900-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z'), weight: 1 },
  { arbitrary: fc.date({ min: new Date('2026-09-01T00:00:00Z'), max: new Date('2026-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString()), weight: 8 },
);

/** A valid NIR: 13 characters and the key 97 − (number mod 97). */
const validNir = fc
  .tuple(fc.constantFrom('1', '2'), fc.integer({ min: 50, max: 99 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 999 }), fc.integer({ min: 1, max: 999 }))
  .map(([sex, yy, mm, commune, order]) => {
    const body = `${sex}${yy}${pad2(mm)}75${String(commune).padStart(3, '0')}${String(order).padStart(3, '0')}`;
    return `${body}${pad2(Number(97n - (BigInt(body) % 97n)))}`;
  });
const pad2 = (n: number) => String(n).padStart(2, '0');
/** `body` followed by its Luhn key. */
const withLuhnKey = (body: string) => {
  const sum = [...`${body}0`].reverse().reduce((acc, d, i) => acc + (i % 2 === 1 ? [0, 2, 4, 6, 8, 1, 3, 5, 7, 9][Number(d)]! : Number(d)), 0);
  return `${body}${(10 - (sum % 10)) % 10}`;
};
/** A new company's SIRET: a SIREN with its key, then an establishment number, the whole with its key. */
const luhnSiret = fc.tuple(fc.stringMatching(/^[1-9]\d{7}$/), fc.stringMatching(/^\d{4}$/)).map(([siren, nic]) => withLuhnKey(`${withLuhnKey(siren)}${nic}`));

/**
 * Strings the screens would send for fields whose rule a schema walk cannot guess (checksums, formats in a
 * refine, a start before its end): so that plausible payloads pass validation and reach the services.
 */
function domainStrings(field: string | undefined, sirets: string[]): fc.Arbitrary<string> | undefined {
  switch (field) {
    case 'siret':
      return fc.oneof(fc.constantFrom(...sirets), luhnSiret);
    case 'nir':
      return validNir;
    case 'pin':
    case 'trainerPin':
      return fc.stringMatching(/^\d{4,6}$/);
    case 'franceTravailId':
      return fc.stringMatching(/^[0-9A-Z]{7,11}$/);
    case 'certificationCode':
      return fc.stringMatching(/^(RNCP|RS)\d{1,6}$/);
    case 'nsfCode':
      return fc.stringMatching(/^\d{3}[a-z]?$/);
    case 'url':
      return fc.constantFrom('https://extranet.region.example/api', 'http://127.0.0.1:9/api');
    case 'start':
      return fc.constantFrom('08:30', '09:00', '13:30', '14:00', '00:00');
    case 'end':
      return fc.constantFrom('12:00', '12:30', '17:00', '17:30', '23:59');
    case 'email':
      return fc.oneof(fc.emailAddress(), fc.constant('lea.dupont@example.fr'));
    default:
      return undefined;
  }
}

/** What a method is sent: wrong types, a plausible payload, one mutated at one place, or a hostile whole. */
function payloads(method: MethodName, ids: Map<string, string[]>, sirets: string[]): fc.Arbitrary<unknown> {
  const idFor = idsArbitrary(ids, method);
  const valid = plausible(contract[method].input, {
    stringFor: (field, format) => {
      if (format === 'uuid') return idFor(field);
      if (format === 'date') return nearDates;
      if (format === 'datetime') return nearInstants;
      return domainStrings(field, sirets);
    },
  });
  return fc.oneof(
    { arbitrary: fc.anything({ maxDepth: 3, withNullPrototype: true, withSparseArray: true, withBigInt: true, withDate: true }), weight: 2 },
    { arbitrary: valid, weight: 3 },
    { arbitrary: fc.tuple(valid, fc.nat(), mutation).map(([v, pick, m]) => mutate(v, pick, m)), weight: 5 },
    { arbitrary: hostile, weight: 1 },
    // A plausible payload carrying a hostile own key at its top.
    {
      arbitrary: fc.tuple(valid, fc.constantFrom(...PROTO_OBJECTS)).map(([v, json]) =>
        v && typeof v === 'object' && !Array.isArray(v) ? Object.defineProperties(JSON.parse(json) as object, Object.getOwnPropertyDescriptors(v)) : v,
      ),
      weight: 1,
    },
  );
}

// ── What must hold after every call ───────────────────────────────────────────────────────────────────

/** A short, printable account of a payload: strings and arrays cut, NaN / -0 / undefined shown. */
function describeValue(v: unknown, depth = 0): string {
  if (depth > 5) return '…';
  if (typeof v === 'string') return v.length > 60 ? `${JSON.stringify(v.slice(0, 24))}…(${v.length} caractères)` : JSON.stringify(v);
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'bigint') return `${v}n`;
  if (v === undefined || v === null || typeof v !== 'object') return String(v);
  if (Array.isArray(v)) return `[${v.slice(0, 6).map((x) => describeValue(x, depth + 1)).join(', ')}${v.length > 6 ? `, …(${v.length})` : ''}]`;
  const proto = Object.getPrototypeOf(v) as object | null;
  const tag = proto === null ? 'null-proto ' : proto === Object.prototype ? '' : `${(v as object).constructor?.name ?? '?'} `;
  const keys = Object.keys(v);
  return `${tag}{${keys.slice(0, 12).map((k) => `${JSON.stringify(k.length > 40 ? `${k.slice(0, 20)}…` : k)}: ${describeValue((v as Record<string, unknown>)[k], depth + 1)}`).join(', ')}${keys.length > 12 ? ', …' : ''}}`;
}

interface Snapshot {
  counts: Map<string, number>;
  head: { seq: number; mac: string };
  /** The audit log's last row. */
  audit: number;
}

/** Row counts of every table in one statement, and the ledger's head. */
function snapshotter(b: TestBackend) {
  const tables = (b.raw.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
  const counts = b.raw.prepare(tables.map((t) => `SELECT '${t}' AS t, count(*) AS n FROM "${t}"`).join(' UNION ALL '));
  const head = b.raw.prepare('SELECT seq, mac FROM ledger ORDER BY seq DESC LIMIT 1');
  const since = b.raw.prepare('SELECT record_type AS type FROM ledger WHERE seq > ? ORDER BY seq');
  const audit = b.raw.prepare('SELECT coalesce(max(rowid), 0) AS n FROM audit_events');
  const auditSince = b.raw.prepare('SELECT outcome FROM audit_events WHERE rowid > ? ORDER BY rowid');
  return {
    take: (): Snapshot => ({
      counts: new Map((counts.all() as { t: string; n: number }[]).map((r) => [r.t, r.n])),
      head: (head.get() as { seq: number; mac: string } | undefined) ?? { seq: 0, mac: '' },
      audit: (audit.get() as { n: number }).n,
    }),
    ledgerSince: (seq: number) => (since.all(seq) as { type: string }[]).map((r) => r.type),
    auditSince: (rowid: number) => (auditSince.all(rowid) as { outcome: string }[]).map((r) => r.outcome),
  };
}

/**
 * What changed between two snapshots, as a sentence, or null. The audit log may grow (a refused or failed sign-in
 * is logged, by design), each of its entries sealed in the ledger, and nothing else; after a failed call, only
 * with failures and refusals (`failedOnly`): a « success » logged by a call that failed is a partial write.
 */
function unexpectedChange(before: Snapshot, after: Snapshot, snap: ReturnType<typeof snapshotter>, failedOnly: boolean): string | null {
  const changed = [...after.counts].filter(([t, n]) => before.counts.get(t) !== n).map(([t, n]) => `${t} ${before.counts.get(t)} → ${n}`);
  const audit = (after.counts.get('audit_events') ?? 0) - (before.counts.get('audit_events') ?? 0);
  const others = changed.filter((c) => !c.startsWith('audit_events ') && !c.startsWith('ledger '));
  if (others.length) return `écritures : ${changed.join(', ')}`;
  if (after.head.seq === before.head.seq && after.head.mac !== before.head.mac) return 'tête du registre réécrite';
  const added = snap.ledgerSince(before.head.seq);
  if (added.length !== audit || added.some((t) => t !== 'audit_event')) return `registre : ${added.join(', ') || 'rien'} ajouté(s), ${audit} entrée(s) du journal d'audit`;
  const outcomes = snap.auditSince(before.audit);
  if (failedOnly && outcomes.some((o) => o !== 'failure' && o !== 'refused')) return `journal d'audit : ${outcomes.join(', ')} après un appel refusé`;
  return null;
}

/** A validation error names its field: by an issue's path, by a key of the payload, or by a field's French label. */
function namesTheField(error: ApiError, payload: unknown): boolean {
  if (error.issues?.some((i) => i.path !== '')) return true;
  // The payload as a whole is of the wrong kind (a number where an object is expected): there is no field to name.
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload) || Object.getPrototypeOf(payload) !== Object.prototype) return true;
  const text = [error.message, ...(error.issues ?? []).map((i) => i.message)].join(' ');
  // zod's « Clé non reconnue : "x" » names the key it refuses, quoted; an empty key is « champ sans nom ».
  if (Object.keys(payload).some((k) => text.includes(`"${k}"`) || (k.length > 2 && text.includes(k)) || (k === '' && text.includes('champ sans nom')))) return true;
  return Object.values(FIELD_LABELS).some((label) => text.includes(label));
}

/** The keys and texts a payload carries (a few levels down), longest first: what a message may quote back. */
function stringsOf(value: unknown, depth = 0, out = new Set<string>()): string[] {
  if (typeof value === 'string') out.add(value);
  else if (value !== null && typeof value === 'object' && depth < 4 && out.size < 200) {
    for (const k of Object.keys(value).slice(0, 50)) {
      out.add(k);
      stringsOf((value as Record<string, unknown>)[k], depth + 1, out);
    }
  }
  return depth === 0 ? [...out].filter((t) => t.length >= 2).sort((x, y) => y.length - x.length) : [];
}

/** A message without what it quotes of the payload: a key « undefined » named back is the caller's text, not ours. */
const withoutEchoes = (text: string, echoed: string[]) => echoed.reduce((t, e) => t.split(e).join('…'), text);

const PROTOTYPES = [Object.prototype, Array.prototype, Function.prototype, String.prototype, Number.prototype];
const protoNames = () => PROTOTYPES.map((p) => Object.getOwnPropertyNames(p).sort().join(','));

async function withTimeout<T>(promise: Promise<T>, what: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`pas de réponse en ${CASE_TIMEOUT_MS / 1000} s : ${what()}`)), CASE_TIMEOUT_MS);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A sync run started by a call (sync.now, sync.online, sync.resume) writes after the call has answered: the
 * engine's entry points are wrapped so that each case waits for the runs it started before counting rows.
 */
const syncRuns = new WeakMap<TestBackend, Set<Promise<unknown>>>();
function trackSyncRuns(b: TestBackend): void {
  const pending = new Set<Promise<unknown>>();
  syncRuns.set(b, pending);
  const engine = b.sync as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const name of ['syncNow', 'notifyOnline', 'runAll', 'run', 'step']) {
    const original = engine[name]!.bind(b.sync);
    engine[name] = (...args: unknown[]) => {
      const p = original(...args) as Promise<unknown>;
      const settled = Promise.resolve(p).catch(() => undefined);
      pending.add(settled);
      void settled.then(() => pending.delete(settled));
      return p;
    };
  }
}
async function syncSettled(b: TestBackend): Promise<void> {
  const pending = syncRuns.get(b)!;
  while (pending.size > 0) await Promise.all([...pending]);
}

// ── The run ───────────────────────────────────────────────────────────────────────────────────────────

const slow = METHOD_NAMES.filter((m) => m in SLOW);
const slowRuns = Math.min(SLOW_RUNS, Math.ceil(TOTAL_CASES / METHOD_NAMES.length));
const runsPerMethod = Math.ceil((TOTAL_CASES - slow.length * slowRuns) / (METHOD_NAMES.length - slow.length));
const runsOf = (m: MethodName) => (m in SLOW ? slowRuns : runsPerMethod);
/** One seed per method, from the file's seed: a method's cases do not depend on which methods come before it. */
const seedOf = (m: MethodName) => (SEED + [...m].reduce((h, c) => (h * 31 + c.charCodeAt(0)) | 0, 7)) | 0;

let template: string;
/** The reads' backend: queries never write, so they share one copy of the template. */
let reads: Fuzzed;
let ids: Map<string, string[]>;
let sirets: string[];
const reached = new Map<string, number>();
/** Per method, how the cases ended (`ok`, or the error code): printed with FUZZ_REPORT=1 to see how deep the fuzz goes. */
const outcomes = new Map<string, Record<string, number>>();
const tally = (method: string, key: string) => {
  const o = outcomes.get(method) ?? {};
  o[key] = (o[key] ?? 0) + 1;
  outcomes.set(method, o);
};
let cases = 0;

interface Fuzzed {
  b: TestBackend;
  snap: ReturnType<typeof snapshotter>;
}

/** A copy of the template, offline (a receiver's send fails at once, as when the machine has no network). */
async function fromTemplate(): Promise<Fuzzed> {
  const b = await testBackend(`${TODAY}T09:00:00Z`, template);
  b.sync.configure({ fetch: () => Promise.reject(new TypeError('fetch failed')) });
  trackSyncRuns(b);
  return { b, snap: snapshotter(b) };
}

/** Runs a method's cases and checks, after each, everything the file's header promises. */
async function fuzzMethod({ b, snap }: Fuzzed, method: MethodName): Promise<void> {
  const def = contract[method];
  const protoBefore = protoNames();
  let baseline = snap.take();
  const property = fc.asyncProperty(payloads(method, ids, sirets), async (payload) => {
    cases++;
    const shown = () => `${method} ${describeValue(payload)}`;
    if (def.input.safeParse(payload).success) reached.set(method, (reached.get(method) ?? 0) + 1);
    let result: ApiResult<unknown>;
    try {
      result = await withTimeout(b.dispatch(method, payload), shown);
    } catch (e) {
      throw new Error(`la dispatch a rejeté (elle ne doit jamais lever) : ${shown()} — ${String(e)}`, { cause: e });
    }
    await syncSettled(b);
    tally(method, result.ok ? 'ok' : result.error.code);
    const after = snap.take();
    if (protoNames().join('|') !== protoBefore.join('|') || ({} as Record<string, unknown>).polluted !== undefined) {
      throw new Error(`Object.prototype pollué par ${shown()}`);
    }
    if (result.ok) {
      if (!def.write) {
        const change = unexpectedChange(baseline, after, snap, false);
        if (change) throw new Error(`une lecture a écrit (${change}) : ${shown()}`);
      }
      // A write may succeed (a fuzzed payload can be valid): its rows are the next case's baseline.
      baseline = after;
      return;
    }
    const { error } = result;
    const said = `${error.code} « ${error.message.slice(0, 300)} »${error.issues ? ` ${JSON.stringify(error.issues.slice(0, 3)).slice(0, 300)}` : ''}`;
    if (!Object.hasOwn(CODES, error.code)) throw new Error(`code inconnu ${said} : ${shown()}`);
    if (error.code === 'internal') throw new Error(`erreur interne (un plantage) : ${said} — ${shown()}`);
    if (typeof error.message !== 'string' || error.message.trim() === '') throw new Error(`message vide : ${shown()}`);
    const echoed = stringsOf(payload);
    const raw = [error.message, ...(error.issues ?? []).map((i) => i.message)].find((t) => NOT_FOR_PEOPLE.test(withoutEchoes(t, echoed)));
    if (raw !== undefined) throw new Error(`texte brut, pas une phrase française : « ${raw.slice(0, 200)} » (${error.code}) — ${shown()}`);
    if (error.code === 'validation' && !namesTheField(error, payload)) throw new Error(`l'erreur ne nomme pas le champ : ${said} — ${shown()}`);
    const change = unexpectedChange(baseline, after, snap, true);
    if (change) throw new Error(`écriture partielle d'un appel refusé (${change}) : ${said} — ${shown()}`);
    baseline = after;
  });
  const out = await fc.check(property, { seed: seedOf(method), numRuns: runsOf(method), endOnFailure: true });
  if (out.failed) {
    const counterexample = out.counterexample ? describeValue(out.counterexample[0]) : '?';
    throw new Error(
      `${method} : ${out.errorInstance instanceof Error ? out.errorInstance.message : String(out.errorInstance)}\n` +
        `contre-exemple : ${counterexample}\nrejouer : FUZZ_SEED=${SEED} (graine de ${method} ${seedOf(method)}, chemin ${out.counterexamplePath})`,
    );
  }
}

beforeAll(async () => {
  // The demo, with a receiver of each kind so that sync methods have ids to act on, loaded once in a template.
  const t = await testBackend(`${TODAY}T09:00:00Z`);
  await t.api['demo.load']({});
  await t.api['sync.saveReceiver']({ name: 'Région (essai)', kind: 'http', url: 'https://extranet.region.example/api', token: 'jeton-de-test' });
  await t.api['sync.saveReceiver']({ name: 'OPCO (fichiers)', kind: 'file' });
  const tables = (t.raw.prepare("SELECT m.name FROM sqlite_master m WHERE m.type = 'table' AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) WHERE name = 'id')").all() as { name: string }[]).map((r) => r.name);
  ids = new Map();
  for (const name of tables) {
    const list = (t.raw.prepare(`SELECT id FROM "${name}" ORDER BY id LIMIT 40`).all() as { id: unknown }[]).map((r) => String(r.id));
    if (list.length > 0) ids.set(name, list);
  }
  sirets = (t.raw.prepare('SELECT siret FROM companies WHERE siret IS NOT NULL UNION SELECT siret FROM organisation WHERE siret IS NOT NULL').all() as { siret: string }[]).map((r) => r.siret);
  await t.close();
  template = t.dataDir;
  reads = await fromTemplate();
}, 120_000);

afterAll(async () => {
  await reads?.b.cleanup();
  if (template) rmSync(template, { recursive: true, force: true });
});

describe(`fuzzing every contract method through the dispatch (seed ${SEED}, ${TOTAL_CASES} cases)`, () => {
  it('covers the whole contract, and the slow list names only methods that exist', () => {
    expect(METHOD_NAMES.length).toBeGreaterThan(100);
    for (const m of Object.keys(SLOW)) expect(METHOD_NAMES, `SLOW names ${m}`).toContain(m);
    expect(METHOD_NAMES.reduce((n, m) => n + runsOf(m), 0)).toBeGreaterThanOrEqual(TOTAL_CASES);
  });

  for (const method of METHOD_NAMES) {
    // Each write starts from its own copy of the template, so its cases replay alone (`-t <method>`) and one
    // method's successes (a claim discarded) do not starve the next of records.
    it(`${method} (${runsOf(method)} cases${SLOW[method] ? `: ${SLOW[method]}` : ''})`, async () => {
      const own = contract[method].write ? await fromTemplate() : null;
      try {
        await fuzzMethod(own ?? reads, method);
      } finally {
        await own?.b.cleanup();
      }
    }, 180_000);
  }

  it('refuses every method a role lacks, whatever the payload: in French, logged, nothing else changed', async () => {
    // Through the host's door (Backend.serve) with a demo account's session: the in-process identity holds every
    // permission. For each method, the role that lacks its permission (the most limited first).
    const { b, snap } = reads;
    const tokens = new Map<Role, string>();
    const tokenOf = async (role: Role) => {
      if (!tokens.has(role)) {
        const signed = await b.serve(null, 'auth.signIn', { login: role, password: 'demo' }, { transport: 'test' });
        expect(signed.result.ok, `connexion ${role}`).toBe(true);
        tokens.set(role, signed.token!);
      }
      return tokens.get(role)!;
    };
    const accountOf = (role: Role) => (b.raw.prepare('SELECT id FROM users WHERE login = ?').get(role) as { id: string }).id;
    const lastAudit = b.raw.prepare('SELECT user_id, action, outcome, method, summary FROM audit_events ORDER BY rowid DESC LIMIT 1');
    let refused = 0;
    let tested = 0;
    for (const method of METHOD_NAMES) {
      const permission = contract[method].permission;
      if (permission === 'anyone' || permission === 'signed-in') continue;
      const role = [...ROLES].reverse().find((r) => !ROLE_PERMISSIONS[r].includes(permission));
      if (!role) continue; // a permission every role holds (consulting the organisation)
      const token = await tokenOf(role);
      tested++;
      const out = await fc.check(
        fc.asyncProperty(payloads(method, ids, sirets), async (payload) => {
          const before = snap.take();
          const { result } = await b.serve(token, method, payload, { transport: 'test' });
          const after = snap.take();
          expect(result.ok, `${method} permis au rôle ${role}`).toBe(false);
          if (result.ok) return;
          expect(result.error.code).toBe('forbidden');
          expect(result.error.message).toBe(`Votre rôle (${ROLE_LABELS[role]}) ne permet pas de ${PERMISSION_LABELS[permission]} : opération refusée, rien n'a été modifié.`);
          // One line in the audit log, sealed in the ledger, and nothing else.
          expect([...after.counts].filter(([t, n]) => before.counts.get(t) !== n).map(([t, n]) => [t, n - before.counts.get(t)!])).toEqual([['audit_events', 1], ['ledger', 1]]);
          expect(lastAudit.get()).toEqual({ user_id: accountOf(role), action: 'permission.refused', outcome: 'refused', method, summary: result.error.message });
          refused++;
        }),
        { seed: seedOf(method), numRuns: 3, endOnFailure: true },
      );
      if (out.failed) throw new Error(`${method} (${role}) : ${out.errorInstance instanceof Error ? out.errorInstance.message : String(out.errorInstance)}\ncontre-exemple : ${out.counterexample ? describeValue(out.counterexample[0]) : '?'}`);
    }
    // Most methods are refused to some role, each for every payload; the sentence for one of them, written out by hand.
    expect(tested).toBeGreaterThan(METHOD_NAMES.length / 2);
    expect(refused).toBe(3 * tested);
    const auditor = await b.serve(await tokenOf('auditor'), 'organisation.save', JSON.parse('{"__proto__": {"isAdmin": true}}'), { transport: 'test' });
    expect(auditor.result).toEqual({ ok: false, error: { code: 'forbidden', message: "Votre rôle (auditeur) ne permet pas de modifier l'organisme et ses documents : opération refusée, rien n'a été modifié." } });
  }, 120_000);

  describe('defects the fuzzer found, kept as examples', () => {
    let f: Fuzzed;
    beforeAll(async () => {
      f = await fromTemplate();
    });
    afterAll(async () => f?.b.cleanup());

    it('a number that is not one is « nombre invalide », never « NaN »', async () => {
      expect(await f.b.dispatch('trainees.revealNir', NaN)).toEqual({
        ok: false,
        error: { code: 'validation', message: 'Saisie invalide — donnée : Entrée invalide : objet attendu, nombre invalide reçu', issues: [{ path: '', message: 'Entrée invalide : objet attendu, nombre invalide reçu' }] },
      });
      const check = await f.b.dispatch('documents.check', { pdfBase64: 'k', code: NaN });
      expect(!check.ok && check.error.message).toBe('Saisie invalide — code : Entrée invalide : chaîne de caractères attendu, nombre invalide reçu');
    });

    it('an import line that is not JSON is told in French, with where it breaks', async () => {
      // JSON.parse said « Expected property name or '}' in JSON at position 1 »: the second character.
      const r = await f.b.dispatch('data.import', { text: '{01a236cf-2dbd-72d5-b951-34c3c4155758}\n' });
      expect(!r.ok && r.error.message).toBe("Fichier refusé, rien n'a été importé — ligne 1, donnée : JSON invalide vers le caractère 2 : vérifiez les guillemets, les virgules et les accolades.");
    });

    it('a field named __proto__ or constructor is named as typed, in French and in English', async () => {
      const proto = await f.b.dispatch('auth.saveSettings', JSON.parse('{"lockAfterMinutes": 5, "__proto__": "\\ud800"}'));
      expect(!proto.ok && proto.error.message).toBe(
        "Saisie invalide — __proto__ : texte mal formé : il contient un caractère incomplet (la moitié d'un emoji ou d'un symbole, souvent après un copier-coller) ; retapez ce texte.",
      );
      // « [object Object] » and « function Object() { [native code] } » were Object's own, read as labels.
      const en = await f.b.dispatch('auth.saveSettings', JSON.parse('{"lockAfterMinutes": 5, "constructor": "\\ud800"}'), { locale: 'en' });
      expect(!en.ok && en.error.message).toBe('Invalid input — constructor: badly formed text: it holds an incomplete character (half of an emoji or symbol, often after a copy-paste); type this text again.');
      // An empty key left a blank where the field's name goes (« Saisie invalide —  : … »).
      const blank = await f.b.dispatch('claims.list', { from: '1900-01-01', '': 'Malade \uD83D' });
      expect(!blank.ok && blank.error.message).toBe(
        "Saisie invalide — champ sans nom : texte mal formé : il contient un caractère incomplet (la moitié d'un emoji ou d'un symbole, souvent après un copier-coller) ; retapez ce texte.",
      );
    });

    // Found by the fuzzer: the unknown-method sentence used to echo anything (« [object Object] », a lone surrogate).
    it('a method name that is no method is refused in French, whatever it is', async () => {
      const names: unknown[] = ['__proto__', 'constructor', 'toString', '', 'x'.repeat(1000), '\uD800', null, undefined, 42, {}, Object.create(null), Symbol('x'), ['system.info']];
      for (const name of names) {
        const r = await f.b.dispatch(name, {});
        expect(r.ok).toBe(false);
        if (r.ok) continue;
        expect(r.error.code).toBe('unknown_method');
        expect(r.error.message).toMatch(/^Méthode inconnue/);
        expect(r.error.message.length).toBeLessThan(200);
        expect(r.error.message).not.toMatch(NOT_FOR_PEOPLE);
        expect(r.error.message).not.toMatch(/\[object|\bnull\b|\uD800/);
      }
    });

    it('a date at the edge of the calendar is refused naming the field, not a crash of the time zone arithmetic', async () => {
      // 0001-01-01 made zonedToInstant throw (« Invalid time value ») in the audit log's filter: « internal ».
      for (const method of ['audit.list', 'audit.exportCsv'] as const) {
        const r = await f.b.dispatch(method, { from: '0001-01-01', to: '2026-09-01' });
        expect(r).toEqual({
          ok: false,
          error: { code: 'validation', message: 'Saisie invalide — du : Date hors du calendrier de Sillon : entre le 01/01/1900 et le 31/12/2199.', issues: [{ path: 'from', message: 'Date hors du calendrier de Sillon : entre le 01/01/1900 et le 31/12/2199.' }] },
        });
      }
      const late = await f.b.dispatch('audit.list', { to: '9999-12-31' });
      expect(!late.ok && late.error.issues).toEqual([{ path: 'to', message: 'Date hors du calendrier de Sillon : entre le 01/01/1900 et le 31/12/2199.' }]);
      // Its first and last days are in it.
      expect((await f.b.dispatch('audit.list', { from: '1900-01-01', to: '2199-12-31' })).ok).toBe(true);
    });

    it('a rate is bounded, so that a claim built on it never exceeds what a number holds exactly', async () => {
      const { b } = f;
      const claim = (await b.api['claims.list']({})).claims[0]!;
      const page = await b.api['claims.get']({ id: claim.id });
      const sessionId = page.lines.find((l) => l.sessionId)!.sessionId!;
      const current = await b.api['fundings.list']({ sessionId });
      const withRate = (rateCents: number) => ({
        sessionId,
        lines: current.lines.map((l) => ({ id: l.id, funderCode: l.funderCode, programmeId: l.programmeId, costType: l.costType, shareKind: l.shareKind, shareValue: l.shareValue, fileNumber: l.fileNumber, purchaseOrder: l.purchaseOrder, rateCents })),
      });
      // 2^53 − 1 cents per hour was accepted, and claims.build then failed on its own total (« internal »).
      const huge = await b.dispatch('fundings.save', withRate(Number.MAX_SAFE_INTEGER));
      expect(huge).toMatchObject({ ok: false, error: { code: 'validation', message: 'Saisie invalide — tarif (ligne 1) : Tarif trop élevé : 100\u00a0000,00\u00a0€ au plus.', issues: [{ path: 'lines.0.rateCents' }] } });
      // The highest rate allowed (100 000,00 € an hour) builds a claim whose every figure is an exact integer.
      await b.api['fundings.save'](withRate(10_000_000));
      const built = await b.dispatch('claims.build', { funderCode: claim.funderCode, programmeId: claim.programmeId, from: claim.from, to: claim.to });
      expect(built.ok).toBe(true);
      if (built.ok) {
        const total = (built.value as { claim: { totalCents: number } }).claim.totalCents;
        expect(Number.isSafeInteger(total) && total > 0).toBe(true);
      }
    });
  });

  it('reached the handlers: plausible payloads pass the schema for nearly every method', () => {
    // Else the fuzzer only tests zod: the generator from the schemas (test/helpers/zod-arbitrary.ts) has decayed.
    if (process.env.FUZZ_REPORT) for (const m of METHOD_NAMES) console.log(m, `schéma passé ${reached.get(m) ?? 0}`, JSON.stringify(outcomes.get(m)));
    const passed = METHOD_NAMES.filter((m) => (reached.get(m) ?? 0) > 0);
    expect(cases).toBeGreaterThanOrEqual(TOTAL_CASES);
    expect(passed.length / METHOD_NAMES.length, `jamais au-delà du schéma : ${METHOD_NAMES.filter((m) => !reached.has(m)).join(', ')}`).toBeGreaterThan(0.8);
  });
});
