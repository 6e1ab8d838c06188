/** The reference receiver on its own: what it checks, what it stores, how it is driven. */
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '../receiver/server';
import { lineAmountCents, validatePayload } from '../receiver/validate';
import { attendancePayload, SIRET } from '../helpers/sync';

let receiver: Receiver;
let token: string;
beforeAll(async () => {
  receiver = await startReceiver();
  token = receiver.issueToken(SIRET);
});
afterAll(() => receiver.close());

function post(body: unknown, headers: Record<string, string> = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const key = (body as { batchId?: string }).batchId ?? '';
  return fetch(`${receiver.url}/v1/batches`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'idempotency-key': key, 'content-type': 'application/json', ...headers },
    body: text,
  });
}

function batch(records: unknown[], sender: Record<string, unknown> = {}) {
  return { batchId: uuidv7(), sentAt: '2026-11-23T09:00:00Z', sender: { siret: SIRET, nda: '44670000067', software: 'test/1', deviceId: 'd', ...sender }, records };
}

const rec = (type: string, payload: unknown, version = 1) => ({ recordId: uuidv7(), version, type, payload });

const enrolment = (extra: Record<string, unknown> = {}) => ({
  enrolmentId: uuidv7(),
  trainee: { lastName: 'Renaud', firstName: 'Julien', birthDate: '1979-04-02', nir: '179044935500771' },
  action: { code: 'TPME-MEN', title: 'Parcours TPME', rncp: 'RNCP1234' },
  sessionId: uuidv7(),
  funder: { code: 'REGION', fileNumber: 'PDL-TPME-2026-0147' },
  status: 'entered',
  entryDate: '2026-09-01',
  plannedMinutes: 36_000,
  ...extra,
});

const claim = (lines: { quantity: number; unitPriceCents: number; amountCents: number }[], totalCents: number) => ({
  claimId: uuidv7(),
  funderCode: 'REGION',
  period: { from: '2026-10-01', to: '2026-10-31' },
  lines: lines.map((l) => ({ enrolmentId: uuidv7(), unit: 'hour', ...l })),
  totalCents,
  documents: [{ name: 'etat-de-presence.pdf', sha256: 'cd'.repeat(32) }],
});

describe('batch envelope', () => {
  it.each([
    ['no token', { authorization: '' }, 401, 'unauthorized'],
    ['unknown token', { authorization: 'Bearer nope' }, 401, 'invalid_token'],
  ])('%s → %i', async (_l, headers, status, code) => {
    const res = await post(batch([rec('attendance', attendancePayload())]), headers);
    expect(res.status).toBe(status);
    expect(((await res.json()) as { code: string }).code).toBe(code);
  });

  it.each([
    ['invalid JSON', '{"batchId":', 'invalid_json'],
    ['no record', batch([]), 'invalid_batch'],
    ['a sender SIRET failing Luhn', batch([rec('attendance', attendancePayload())], { siret: '12345678901234' }), 'invalid_batch'],
    ['an unknown record type', batch([rec('invoice', {})]), 'invalid_batch'],
    ['a version 0', batch([{ ...rec('attendance', attendancePayload()), version: 0 }]), 'invalid_batch'],
  ])('400 for %s, nothing stored', async (_l, body, code) => {
    const before = receiver.storedVersions(SIRET);
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: string }).code).toBe(code);
    expect(receiver.storedVersions(SIRET)).toBe(before);
  });

  it('400 when the Idempotency-Key is not the batchId; 403 for another training body', async () => {
    expect((await post(batch([rec('attendance', attendancePayload())]), { 'idempotency-key': uuidv7() })).status).toBe(400);
    const res = await post(batch([rec('attendance', attendancePayload())], { siret: '73282932000074' }));
    expect(res.status).toBe(403);
  });

  it('413 above 500 records or 2 MiB', async () => {
    const many = batch(Array.from({ length: 501 }, () => rec('attendance', attendancePayload())));
    expect((await post(many)).status).toBe(413);
    const heavy = batch([rec('attendance', attendancePayload(60, { note: 'x'.repeat(2 * 1024 * 1024) }))]);
    expect((await post(heavy)).status).toBe(413);
  });

  it('replays a stored batch byte for byte; 409 for the same id with another body; GET /v1/batches/{id}', async () => {
    const b = batch([rec('attendance', attendancePayload())]);
    const first = await (await post(b)).text();
    expect(await (await post(b)).text()).toBe(first);
    const other = { ...b, records: [rec('attendance', attendancePayload())] };
    const conflict = await post(other);
    expect(conflict.status).toBe(409);
    expect(((await conflict.json()) as { code: string }).code).toBe('idempotency_conflict');
    const got = await fetch(`${receiver.url}/v1/batches/${b.batchId}`, { headers: { authorization: `Bearer ${token}` } });
    expect(await got.text()).toBe(first);
    const missing = await fetch(`${receiver.url}/v1/batches/${uuidv7()}`, { headers: { authorization: `Bearer ${token}` } });
    expect(missing.status).toBe(404);
  });

  it('takes faults over its admin endpoint, with the admin token only', async () => {
    const denied = await fetch(`${receiver.url}/admin/faults`, { method: 'POST', body: '{}' });
    expect(denied.status).toBe(403);
    const ok = await fetch(`${receiver.url}/admin/faults`, { method: 'POST', headers: { 'x-admin-token': receiver.adminToken }, body: JSON.stringify({ kind: 'status', status: 503, retryAfter: 9 }) });
    expect(ok.status).toBe(200);
    const busy = await post(batch([rec('attendance', attendancePayload())]));
    expect(busy.status).toBe(503);
    expect(busy.headers.get('retry-after')).toBe('9');
    expect((await post(batch([rec('attendance', attendancePayload())]))).status).toBe(200);
  });
});

describe('record payloads', () => {
  const codes = (type: string, payload: unknown) => validatePayload(type as never, payload).map((e) => `${e.path} ${e.code}`);

  it('accepts the minimum fields of each type (and more)', () => {
    expect(codes('enrolment', enrolment({ somethingElse: 1 }))).toEqual([]);
    expect(codes('attendance', attendancePayload())).toEqual([]);
    expect(codes('afest-sequence', { enrolmentId: uuidv7(), kind: 'reflective', date: '2026-11-02', minutes: 45, tutor: 'M. Weber', summary: 'Retour sur la pose' })).toEqual([]);
    expect(codes('claim', claim([{ quantity: 2.5, unitPriceCents: 1001, amountCents: 2503 }], 2503))).toEqual([]);
  });

  it.each([
    ['a NIR whose key is wrong', 'enrolment', enrolment({ trainee: { lastName: 'A', firstName: 'B', birthDate: '1979-04-02', nir: '179044935500772' } }), 'payload.trainee.nir invalid_nir'],
    ['an impossible date', 'enrolment', enrolment({ entryDate: '2026-02-30' }), 'payload.entryDate invalid_format'],
    ['a missing file number', 'enrolment', enrolment({ funder: { code: 'REGION' } }), 'payload.funder.fileNumber required'],
    ['an exit without date', 'enrolment', enrolment({ status: 'exited' }), 'payload.exitDate required'],
    ['minutes beyond the slot', 'attendance', attendancePayload(211), 'payload.minutes out_of_range'],
    ['negative minutes', 'attendance', attendancePayload(-1), 'payload.minutes out_of_range'],
    ['a time that is not HH:MM', 'attendance', { ...attendancePayload(), slot: { date: '2026-11-20', start: '8h30', end: '12:00', modality: 'presentiel' } }, 'payload.slot.start invalid_format'],
    ['an unknown AFEST kind', 'afest-sequence', { enrolmentId: uuidv7(), kind: 'lecture', date: '2026-11-02', minutes: 45, tutor: 'T', summary: '' }, 'payload.kind invalid_value'],
    ['a line amount not rounded half-up', 'claim', claim([{ quantity: 2.5, unitPriceCents: 1001, amountCents: 2502 }], 2502), 'payload.lines.0.amountCents sum_mismatch'],
    ['a total that is not the sum', 'claim', claim([{ quantity: 1, unitPriceCents: 100, amountCents: 100 }, { quantity: 3, unitPriceCents: 50, amountCents: 150 }], 260), 'payload.totalCents sum_mismatch'],
  ])('rejects %s', (_l, type, payload, expected) => {
    expect(codes(type, payload)).toContain(expected);
  });

  it.each([
    [2.5, 1001, 2503],
    [1.5, 1, 2],
    [0.5, 1, 1],
    [0.49, 1, 0],
    [3, 1250, 3750],
    [0.1, 3, 0],
    [1.005, 100, 101],
    [7.25, 1999, 14493],
  ])('rounds %d × %d half-up to %d cents', (q, p, cents) => {
    expect(lineAmountCents(q, p)).toBe(cents);
  });

  it('answers in French, naming the field', async () => {
    const res = await post(batch([rec('attendance', attendancePayload(300))]));
    const body = (await res.json()) as { results: { status: string; errors: { path: string; message: string }[] }[] };
    expect(body.results[0]).toMatchObject({ status: 'rejected', errors: [{ path: 'payload.minutes', message: '300 minutes déclarées pour un créneau de 210 minutes.' }] });
  });
});

describe('reference catalogues', () => {
  it('publishes programmes, funders, zones and holidays; 404 for others', async () => {
    for (const c of ['programmes', 'funders', 'zones', 'holidays']) {
      const res = await fetch(`${receiver.url}/v1/reference/${c}`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { items: unknown[]; cursor: string };
      expect(body.items.length).toBeGreaterThan(0);
      expect(res.headers.get('etag')).toBeTruthy();
    }
    expect((await fetch(`${receiver.url}/v1/reference/weather`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(404);
  });
});
