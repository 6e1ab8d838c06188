/**
 * The sync engine's own rules: one version per record per batch in increasing order, supersession,
 * single flight, no network call inside a transaction, the due-items index, sealed tokens, reference
 * data, the file connector and the sync page's methods.
 */
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { v7 as uuidv7 } from 'uuid';
import { afterEach, describe, expect, it } from 'vitest';
import { FileKeySecretStore } from '../../electron/backend/sync/secret-store';
import { attendancePayload, queue, queueMany, SIRET, syncBench, type SyncBench } from '../helpers/sync';
import { testBackend } from '../helpers/backend';

let bench: SyncBench | undefined;
afterEach(async () => {
  await bench?.close();
  bench = undefined;
});

function versionsPosted(b: SyncBench): { recordId: string; version: number }[][] {
  return b.batches().map((x) => (JSON.parse(x.body) as { records: { recordId: string; version: number }[] }).records.map(({ recordId, version }) => ({ recordId, version })));
}

describe('versions and batches', () => {
  it('sends only the latest pending version of a record; older ones are covered when it is acked', async () => {
    bench = await syncBench();
    const id = uuidv7();
    for (const m of [60, 70, 80]) await queue(bench.tb.ctx, id, attendancePayload(m));
    await bench.drain();
    expect(versionsPosted(bench)).toEqual([[{ recordId: id, version: 3 }]]);
    expect(bench.items().map((i) => [i.version, i.state, i.result, i.coveredBy])).toEqual([
      [1, 'acked', 'covered', 3],
      [2, 'acked', 'covered', 3],
      [3, 'acked', 'accepted', null],
    ]);
  });

  it('a version made while the previous one is in flight waits for it: increasing order, one version per batch', async () => {
    bench = await syncBench();
    const id = uuidv7();
    const others = await queueMany(bench.tb.ctx, 2);
    await queue(bench.tb.ctx, id, attendancePayload(60));
    bench.receiver.faults.add({ kind: 'drop', when: 'after' });
    expect((await bench.tb.sync.step(bench.receiverId)).kind).toBe('wait');
    await queue(bench.tb.ctx, id, attendancePayload(61));
    await bench.drain();
    const posted = versionsPosted(bench);
    expect(posted).toHaveLength(2);
    expect(posted[0]!.map((r) => r.recordId).sort()).toEqual([...others, id].sort());
    expect(posted[1]).toEqual([{ recordId: id, version: 2 }]);
    for (const batch of posted) expect(new Set(batch.map((r) => r.recordId)).size).toBe(batch.length);
    expect(bench.receiver.current(SIRET).get(id)!.version).toBe(2);
  });

  it('a rejected latest version takes the older never-sent ones with it: nothing is sent out of order', async () => {
    bench = await syncBench();
    const id = uuidv7();
    await queue(bench.tb.ctx, id, attendancePayload(60));
    await queue(bench.tb.ctx, id, attendancePayload(999));
    await bench.drain();
    expect(bench.items().map((i) => [i.version, i.state, i.result])).toEqual([
      [1, 'rejected', 'covered'],
      [2, 'rejected', 'rejected'],
    ]);
    const rows = await bench.tb.api['sync.records']({ receiverId: bench.receiverId, state: 'rejected' });
    expect(rows.rows.map((r) => r.version)).toEqual([2]);
  });

  it('cuts batches at 500 records and at 2 MiB', async () => {
    bench = await syncBench();
    await queueMany(bench.tb.ctx, 1_201);
    await bench.drain();
    expect(bench.batches().map((b) => b.recordCount)).toEqual([500, 500, 201]);
    const big = 'x'.repeat(300 * 1024);
    for (let i = 0; i < 15; i++) await queue(bench.tb.ctx, uuidv7(), attendancePayload(60, { note: big }));
    await bench.drain();
    const last = bench.batches().slice(3);
    expect(last.map((b) => b.recordCount)).toEqual([6, 6, 3]);
    for (const b of last) expect(Buffer.byteLength(b.body)).toBeLessThanOrEqual(2 * 1024 * 1024);
    expect(bench.items().every((i) => i.state === 'acked')).toBe(true);
  });
});

describe('the loop', () => {
  it('is single-flight per receiver: triggers during a run join it, one request at a time', async () => {
    bench = await syncBench();
    await queueMany(bench.tb.ctx, 1_200);
    let inFlight = 0;
    let most = 0;
    bench.tb.sync.configure({
      fetch: async (input, init) => {
        most = Math.max(most, ++inFlight);
        try {
          return await fetch(input, init);
        } finally {
          inFlight--;
        }
      },
    });
    const runs = [bench.tb.sync.run(bench.receiverId), bench.tb.sync.run(bench.receiverId), bench.tb.sync.syncNow(bench.receiverId)];
    await Promise.all(runs);
    expect(most).toBe(1);
    expect(bench.posts()).toHaveLength(3);
    expect(bench.items().every((i) => i.state === 'acked')).toBe(true);
  });

  it('never calls the network inside a database transaction', async () => {
    bench = await syncBench();
    await queueMany(bench.tb.ctx, 30);
    const raw = bench.tb.raw;
    let calls = 0;
    bench.tb.sync.configure({
      fetch: (input, init) => {
        calls++;
        if (raw.inTransaction) throw new Error('network call inside a transaction');
        return fetch(input, init);
      },
    });
    bench.receiver.faults.add({ kind: 'drop', when: 'after' });
    bench.receiver.faults.add({ kind: 'status', status: 503, retryAfter: 1 });
    bench.receiver.faults.limits.maxRecords = 10;
    await bench.drain();
    await bench.tb.sync.pullReference(bench.receiverId, 'funders');
    expect(calls).toBeGreaterThan(4);
    expect(bench.items().every((i) => i.state === 'acked')).toBe(true);
  });

  it('timer trigger: once started, local changes are sent without anyone asking', async () => {
    bench = await syncBench();
    bench.tb.sync.configure({ changeDebounceMs: 10 });
    bench.tb.sync.start();
    await queueMany(bench.tb.ctx, 3);
    bench.tb.sync.notifyChange();
    await expect.poll(() => bench!.items().every((i) => i.state === 'acked'), { timeout: 10_000 }).toBe(true);
  });

  it('the due-items query uses its index (EXPLAIN QUERY PLAN): no scan, no sort', async () => {
    const tb = await testBackend();
    try {
      const plan = tb.raw
        .prepare(
          `EXPLAIN QUERY PLAN SELECT i.seq, i.record_id, i.version, i.record_type, o.payload
           FROM sync_items i JOIN outbox o ON o.seq = i.seq
           WHERE i.receiver_id = ? AND i.state = 'pending'
             AND NOT EXISTS (SELECT 1 FROM sync_items j WHERE j.receiver_id = i.receiver_id AND j.record_id = i.record_id AND j.version > i.version AND j.state = 'pending')
           ORDER BY i.seq LIMIT 500`,
        )
        .all('r')
        .map((r) => (r as { detail: string }).detail);
      expect(plan.join('\n')).toMatch(/SEARCH i USING (COVERING )?INDEX sync_items_due \(receiver_id=\? AND state=\?\)/);
      expect(plan.join('\n')).toMatch(/SEARCH o USING INTEGER PRIMARY KEY/);
      expect(plan.join('\n')).toMatch(/SEARCH j USING (COVERING )?INDEX sync_items_record \(receiver_id=\? AND record_id=\? AND version>\?\)/);
      expect(plan.join('\n')).not.toMatch(/SCAN|TEMP B-TREE/);
      const counts = tb.raw.prepare('EXPLAIN QUERY PLAN SELECT state, count(*) FROM sync_items WHERE receiver_id = ? GROUP BY state').all('r');
      expect(counts.map((r) => (r as { detail: string }).detail).join('\n')).toMatch(/USING COVERING INDEX sync_items_due/);
    } finally {
      await tb.cleanup();
    }
  });
});

describe('receivers', () => {
  it('keeps the token sealed: never in the database file, never returned to the UI', async () => {
    bench = await syncBench();
    const [r] = await bench.tb.api['sync.receivers']();
    expect(r).toMatchObject({ hasToken: true, kind: 'http', url: bench.receiver.url, paused: false });
    expect(JSON.stringify(r)).not.toContain(bench.token);
    await bench.tb.raw.pragma('wal_checkpoint(TRUNCATE)');
    for (const f of readdirSync(bench.tb.dataDir).filter((f) => f.startsWith('sillon.db'))) {
      expect(readFileSync(join(bench.tb.dataDir, f)).includes(bench.token)).toBe(false);
    }
    // Saving without a token keeps the stored one.
    await bench.tb.api['sync.saveReceiver']({ id: r!.id, name: 'Renommé', url: bench.receiver.url });
    await queueMany(bench.tb.ctx, 1);
    await bench.drain();
    expect(bench.items()[0]!.state).toBe('acked');
  });

  it('the file key store opens what it sealed, and only that', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sillon-keys-'));
    const a = new FileKeySecretStore(join(dir, `k-${uuidv7()}.key`));
    const b = new FileKeySecretStore(join(dir, `k-${uuidv7()}.key`));
    const sealed = a.seal('secret-token');
    expect(sealed).not.toContain('secret');
    expect(a.open(sealed)).toBe('secret-token');
    b.seal('x');
    expect(() => b.open(sealed)).toThrow();
    expect(() => a.open(`${sealed.slice(0, -4)}AAAA`)).toThrow();
  });

  it('a new receiver gets everything already queued; a pause holds it; a paused receiver is not sent to', async () => {
    bench = await syncBench();
    const tb = bench.tb;
    await queueMany(tb.ctx, 4);
    const token = bench.receiver.issueToken(SIRET);
    const second = await tb.api['sync.saveReceiver']({ name: 'OPCO', url: `${bench.receiver.url}/`, token, recordTypes: ['attendance'] });
    const enrolOnly = await tb.api['sync.saveReceiver']({ name: 'France Travail', url: `${bench.receiver.url}/ft`, token, recordTypes: ['enrolment'] });
    const count = (id: string) => (tb.raw.prepare('SELECT count(*) AS n FROM sync_items WHERE receiver_id = ?').get(id) as { n: number }).n;
    expect([count(bench.receiverId), count(second.id), count(enrolOnly.id)]).toEqual([4, 4, 0]);
    await tb.api['sync.pause']({ receiverId: second.id });
    const out = await tb.sync.step(second.id);
    expect(out).toEqual({ kind: 'blocked', reason: 'Mis en pause par un utilisateur.' });
    const statuses = await tb.api['sync.status']();
    expect(statuses.map((s) => [s.receiver.name, s.counts.pending, s.receiver.paused])).toEqual([
      ['France Travail', 0, false],
      ['OPCO', 4, true],
      ['Région Grand Est (test)', 4, false],
    ]);
    await tb.api['sync.resume']({ receiverId: second.id });
    await expect.poll(() => count(second.id) > 0 && (tb.raw.prepare(`SELECT count(*) AS n FROM sync_items WHERE receiver_id = ? AND state = 'acked'`).get(second.id) as { n: number }).n).toBe(4);
  });

  it('refuses a receiver without token, a bad URL, or a URL already used', async () => {
    bench = await syncBench();
    const api = bench.tb.api;
    await expect(api['sync.saveReceiver']({ name: 'X', url: 'http://127.0.0.1:9/x' })).rejects.toThrow(/jeton/);
    await expect(api['sync.saveReceiver']({ name: 'X', url: 'pas une url', token: 't' })).rejects.toThrow(/Adresse invalide/);
    await expect(api['sync.saveReceiver']({ name: 'X', url: bench.receiver.url, token: 't' })).rejects.toThrow(/déjà celle du destinataire/);
  });
});

describe('the sync page', () => {
  it('lists records by state with the receiver’s French reasons and a link to the enrolment’s session', async () => {
    bench = await syncBench({ organisation: false });
    const tb = bench.tb;
    await tb.api['demo.load']();
    const sessions = await tb.api['sessions.list']();
    const session = sessions.find((s) => s.label.includes('HCR'))!;
    const page = await tb.api['sessions.get']({ id: session.id });
    const lea = page.enrolments.find((e) => e.traineeName.startsWith('Fabre'))!;
    bench.receiver.faults.reject({ recordId: lea.id, version: 1, errors: [{ path: 'payload.funder.fileNumber', code: 'unknown_file', message: 'Numéro de dossier inconnu chez le financeur.' }] });
    await bench.drain();
    const rejected = await tb.api['sync.records']({ receiverId: bench.receiverId, state: 'rejected' });
    expect(rejected.total).toBe(1);
    expect(rejected.rows[0]).toMatchObject({
      recordType: 'enrolment',
      recordId: lea.id,
      link: { page: 'session', id: session.id },
      errors: [{ path: 'payload.funder.fileNumber', code: 'unknown_file', message: 'Numéro de dossier inconnu chez le financeur.' }],
    });
    expect(rejected.rows[0]!.label).toMatch(/^Inscription — Fabre Léa, CAP Commercialisation/);
    const acked = await tb.api['sync.records']({ receiverId: bench.receiverId, state: 'acked', limit: 5 });
    expect(acked.rows).toHaveLength(5);
    expect(acked.total).toBeGreaterThan(400);
    // The demo's last records are the AFEST sequences (demo-afest.ts): look for an émargement a little further back.
    const recent = await tb.api['sync.records']({ receiverId: bench.receiverId, state: 'acked', limit: 100 });
    expect(recent.rows.find((r) => r.recordType === 'attendance')?.label).toMatch(/^Émargement du \d{2}\/\d{2}\/\d{4} .* \(version \d+\)$/); // JJ/MM/AAAA, no bare code (#8 item 19)

    // The fix: a change of the enrolment makes a new version, which goes through.
    await tb.api['enrolments.setStatus']({ enrolmentId: lea.id, status: 'suspended', effectiveDate: '2026-11-23' });
    await tb.api['sync.now']({ receiverId: bench.receiverId });
    await expect.poll(() => bench!.receiver.current(SIRET).get(lea.id)?.version).toBe(2);
    await expect.poll(async () => (await tb.api['sync.records']({ receiverId: bench!.receiverId, state: 'acked', limit: 1 })).rows[0]?.recordId).toBe(lea.id);
    expect((await tb.api['sync.records']({ receiverId: bench.receiverId, state: 'rejected' })).total).toBe(0);
    expect((await tb.api['sync.records']({ receiverId: bench.receiverId, state: 'rejected', onlyLatest: false })).total).toBe(1);
  });
});

describe('reference data', () => {
  it('stores items raw with their cursor; 304 with the ETag; incremental since; a malformed page keeps the old catalogue', async () => {
    bench = await syncBench();
    const { tb, receiverId } = bench;
    const stored = () => tb.raw.prepare(`SELECT items, cursor, etag, last_error AS lastError FROM reference_catalogues WHERE catalogue = 'programmes'`).get() as { items: string; cursor: string; etag: string; lastError: string | null };
    expect(await tb.sync.pullReference(receiverId, 'programmes')).toMatchObject({ status: 'updated', items: 2 });
    const first = stored();
    expect(JSON.parse(first.items)[0].rules).toEqual({ minAttendanceRate: 0.7 });
    expect(await tb.sync.pullReference(receiverId, 'programmes')).toEqual({ status: 'unchanged' });

    bench.receiver.publish('programmes', { code: 'PRF-GE-2026', name: 'PRF Grand Est 2026 (révisé)', rateCents: 1300, futureField: { anything: [1, 2] } });
    bench.receiver.publish('programmes', { code: 'AIF-2026', name: 'Aide individuelle à la formation' });
    expect(await tb.sync.pullReference(receiverId, 'programmes')).toMatchObject({ status: 'updated', items: 3, changed: 2 });
    const second = stored();
    const items = JSON.parse(second.items) as Record<string, unknown>[];
    expect(items.find((i) => i.code === 'PRF-GE-2026')).toEqual({ code: 'PRF-GE-2026', name: 'PRF Grand Est 2026 (révisé)', rateCents: 1300, futureField: { anything: [1, 2] } });
    expect(second.cursor).not.toBe(first.cursor);
    const sinces = bench.receiver.log.filter((l) => l.path === '/v1/reference/programmes');
    expect(sinces.map((l) => l.status)).toEqual([200, 304, 200]);

    bench.receiver.publish('programmes', { code: 'X', name: 'Y' });
    bench.receiver.faults.add({ kind: 'garbage' }, { route: 'reference' });
    const bad = await tb.sync.pullReference(receiverId, 'programmes');
    expect(bad.status).toBe('error');
    const third = stored();
    expect(third.items).toBe(second.items);
    expect(third.cursor).toBe(second.cursor);
    expect(third.lastError).toMatch(/non conforme.*l'ancienne version est conservée/);
    expect(await tb.sync.pullReference(receiverId, 'programmes')).toMatchObject({ status: 'updated', items: 4 });
    expect(stored().lastError).toBeNull();
  });
});

describe('file connector', () => {
  it('writes the records as CSV and XLSX and lets the user record the outcome', async () => {
    bench = await syncBench();
    const tb = bench.tb;
    const file = await tb.api['sync.saveReceiver']({ name: 'Département (extranet)', kind: 'file', recordTypes: ['attendance'] });
    const ids = await queueMany(tb.ctx, 3);
    const csv = await tb.api['sync.exportFile']({ receiverId: file.id, format: 'csv' });
    const text = Buffer.from(csv.contentBase64, 'base64').toString('utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const lines = text.slice(1).trim().split('\r\n');
    expect(lines[0]).toBe('recordId;version;type;enrolmentId;slot.date;slot.start;slot.end;slot.modality;status;minutes;evidence.method;evidence.sha256;closedAt');
    expect(lines.slice(1).map((l) => l.split(';')[0])).toEqual(ids);
    // The copy kept in the data folder is sealed (it may hold NIRs): privacy/payload.ts.
    expect(readdirSync(join(tb.dataDir, 'exports'))).toContain(`${csv.fileName}.sealed`);
    await expect(tb.api['sync.exportFile']({ receiverId: file.id, format: 'csv' })).rejects.toThrow(/Rien à envoyer/);

    await queue(tb.ctx, ids[0]!, attendancePayload(61));
    const xlsx = await tb.api['sync.exportFile']({ receiverId: file.id, format: 'xlsx' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(xlsx.contentBase64, 'base64') as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('Émargements')!;
    expect(sheet.getRow(2).getCell(1).value).toBe(ids[0]);
    expect(sheet.getRow(2).getCell(2).value).toBe(2);

    await tb.api['sync.markFile']({ batchId: csv.batchId, outcome: 'uploaded' });
    await tb.api['sync.markFile']({ batchId: csv.batchId, outcome: 'accepted', rejectedRecordIds: [ids[1]!], reason: 'Stagiaire inconnu du département.' });
    await tb.api['sync.markFile']({ batchId: xlsx.batchId, outcome: 'rejected', reason: 'Fichier refusé : format du département modifié.' });
    const states = tb.raw.prepare('SELECT record_id AS id, version, state FROM sync_items WHERE receiver_id = ? ORDER BY seq').all(file.id);
    expect(states).toEqual([
      { id: ids[0], version: 1, state: 'acked' },
      { id: ids[1], version: 1, state: 'rejected' },
      { id: ids[2], version: 1, state: 'acked' },
      { id: ids[0], version: 2, state: 'rejected' },
    ]);
    const rejected = await tb.api['sync.records']({ receiverId: file.id, state: 'rejected' });
    expect(rejected.rows.map((r) => r.errors[0]!.message).sort()).toEqual(['Fichier refusé : format du département modifié.', 'Stagiaire inconnu du département.']);
    await expect(tb.api['sync.markFile']({ batchId: csv.batchId, outcome: 'accepted' })).rejects.toThrow(/déjà enregistré/);
    const batches = await tb.api['sync.batches']({ receiverId: file.id });
    expect(batches.map((b) => [b.fileName?.endsWith(b.id.slice(-8)), b.state])).toEqual([[true, 'acked'], [true, 'acked']]);
    // The engine leaves file receivers alone.
    expect(await tb.sync.step(file.id)).toEqual({ kind: 'idle' });
  });
});
