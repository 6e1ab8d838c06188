import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startBackend, type Backend } from '../../electron/backend/backend';
import type { User } from '../../electron/backend/context';
import { databaseFile } from '../../electron/backend/paths';
import type { Permission } from '../../shared/permissions';
import { testBackend, type TestBackend, refusalOf } from '../helpers/backend';

/*
 * Issue #12, RGPD: the right of access (export) and the right to erasure within the funders' retention, on the demo.
 * Sandrine Guérin (#Avenir Normandie, electron/backend/demo/demo-funding.ts) has signed marks, a late arrival and a
 * claim ready to validate. Every expected date is worked out by hand from shared/domain/retention.ts:
 * - the demo's today is Monday 23/11/2026; her session started two Mondays before (09/11/2026), slots on Mondays and
 *   Tuesdays, so her last marks are on Tuesday 17/11/2026, the day her exit is recorded: end of the action 17/11/2026;
 * - the claim is paid on 15/01/2027, after the end: supporting pieces kept 6 years from the payment, through
 *   15/01/2033; her certificat de réalisation 3 years from 31/12/2027, through 31/12/2030; purge from 16/01/2033.
 */

const EMAIL = 'sandrine.guerin.rgpd@exemple.test';
const PHONE = '06 12 34 56 78';
/** Born in June 1975, Calvados: 2 75 06 14 118 042, key 97 − (2750614118042 mod 97) = 24. */
const NIR = '275061411804224';
const NOTE = 'Suivi SPIP mensuel, rendez-vous le jeudi';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  while (open.length) await open.pop()!.close();
});

async function backend(): Promise<TestBackend> {
  const tb = await testBackend('2026-11-23T09:00:00Z');
  open.push({ close: tb.cleanup });
  return tb;
}

const failure = refusalOf;

/** The database file and its -wal, as bytes: where an erased value must no longer be. */
function fileBytes(tb: TestBackend): Buffer {
  const file = databaseFile(tb.dataDir);
  return Buffer.concat([readFileSync(file), existsSync(`${file}-wal`) ? readFileSync(`${file}-wal`) : Buffer.alloc(0)]);
}

function pdfText(tb: TestBackend, base64: string): string {
  const file = join(tb.dataDir, 'export.pdf');
  writeFileSync(file, Buffer.from(base64, 'base64'));
  try {
    return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  } finally {
    rmSync(file);
  }
}

/** Sandrine on the demo: her contact data, NIR, sensitive fields and PIN set; her claim validated, sent and accepted. */
async function sandrine(tb: TestBackend) {
  await tb.api['demo.load']({});
  const row = (await tb.api['trainees.list']({ search: 'Guérin Sandrine' })).rows[0]!;
  const { id, lastName, firstName, birthDate, franceTravailId, postcode, city, qpvResident, fictitious } = row;
  await tb.api['trainees.save']({
    id, lastName, firstName, birthDate, franceTravailId: franceTravailId ?? '1234567K', postcode, city, qpvResident, fictitious,
    email: EMAIL, phone: PHONE, nir: NIR, sensitive: { rqth: true, benefits: ['rsa'], justiceFollowUp: 'spip', justiceNote: NOTE },
  });
  await tb.api['pins.set']({ personKind: 'trainee', personId: id, pin: '4821' });
  const draft = (await tb.api['claims.list']({ status: 'draft' })).claims.find((c) => c.funderCode === 'REGION_NORMANDIE')!;
  const claim = await tb.api['claims.validate']({ id: draft.id });
  await tb.api['claims.advance']({ id: draft.id, status: 'submitted' });
  await tb.api['claims.advance']({ id: draft.id, status: 'accepted' });
  const enrolmentId = claim.lines.find((l) => l.label.startsWith('GUÉRIN Sandrine'))!.enrolmentId!;
  return { id, claimId: draft.id, enrolmentId, totalCents: claim.claim.totalCents };
}

describe('the right of access (export)', () => {
  it('hands over everything about the trainee as JSON and a signed PDF, and writes it to the audit log', async () => {
    const tb = await backend();
    const s = await sandrine(tb);
    const out = await tb.api['rgpd.export']({ traineeId: s.id });
    expect(out.json.fileName).toBe('rgpd_guerin-sandrine_2026-11-23.json');
    expect(out.pdf.fileName).toBe('rgpd_guerin-sandrine_2026-11-23.pdf');
    const doc = JSON.parse(Buffer.from(out.json.base64, 'base64').toString('utf8'));
    expect(doc.identity).toMatchObject({ id: s.id, lastName: 'Guérin', firstName: 'Sandrine', birthDate: '1975-06-02', nir: NIR });
    expect(doc.contact).toMatchObject({ email: EMAIL, phone: PHONE });
    expect(doc.sensitive).toMatchObject({ rqth: true, benefits: ['rsa'], justiceFollowUp: 'spip', justiceNote: NOTE });
    expect(Object.keys(doc.readme.sections).sort()).toEqual(
      ['afest', 'attendance', 'audit', 'claims', 'connectionLogs', 'contact', 'documents', 'enrolments', 'erasure', 'identity', 'pin', 'sensitive', 'signatures', 'sync'],
    );
    // Her slots: the session's Mondays and Tuesdays, two half-days each, from 09/11 to 17/11: 4 days × 2 = 8.
    expect(doc.attendance).toHaveLength(8);
    expect(doc.attendance.map((a: { date: string }) => a.date)).toEqual(['2026-11-09', '2026-11-09', '2026-11-10', '2026-11-10', '2026-11-16', '2026-11-16', '2026-11-17', '2026-11-17']);
    // The second Tuesday's morning (start + 8 days = 17/11): late 20 minutes (demo-funding.ts).
    const late = doc.attendance.find((a: { date: string; halfDay: string }) => a.date === '2026-11-17' && a.halfDay === 'matin');
    expect(late.marks.at(-1)).toMatchObject({ kind: 'late', lateMinutes: 20, method: 'signature' });
    // One signature per mark signed: all eight.
    expect(doc.signatures).toHaveLength(8);
    expect(Buffer.from(doc.signatures[0].pngBase64, 'base64').subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(doc.enrolments).toHaveLength(1);
    expect(doc.enrolments[0].statuses.map((x: { status: string }) => x.status)).toEqual(['planned', 'entered']); // created planned, entered on 09/11
    expect(doc.claims.length).toBeGreaterThan(0);
    expect(doc.claims.every((l: { label: string; status: string }) => l.label.startsWith('GUÉRIN Sandrine') && l.status === 'accepted')).toBe(true);
    expect(doc.documents.certificates).toHaveLength(1);
    expect(doc.pin).toMatchObject({ set: true, setBy: 'Utilisateur local' });
    expect(JSON.stringify(doc)).not.toContain('scrypt$');
    // The enrolment record queued for the funders (no receiver in the demo: queued only).
    expect(doc.sync.find((r: { recordType: string }) => r.recordType === 'enrolment').versions.at(-1).payload.trainee).toMatchObject({ lastName: 'Guérin', firstName: 'Sandrine' });

    const text = pdfText(tb, out.pdf.base64);
    expect(text).toContain('GUÉRIN Sandrine');
    expect(text).toContain(EMAIL);
    expect(text).toContain(NIR);
    expect(text).toContain('Présences (8 créneaux');
    expect(text).toContain('Retard');

    const events = tb.raw.prepare("SELECT action, subject_type, subject_id, method FROM audit_events WHERE action = 'rgpd.export'").all();
    expect(events).toEqual([{ action: 'rgpd.export', subject_type: 'trainee', subject_id: s.id, method: 'rgpd.export' }]);
    expect((await tb.api['ledger.verify']({})).ok).toBe(true);
  });
});

describe('the right to erasure, within the funders’ retention', () => {
  it('erases at once what no funder needs, keeps the rest until its date, then anonymises it — the ledger intact', async () => {
    const tb = await backend();
    const s = await sandrine(tb);

    // Still enrolled: refused, naming the enrolment and its planned end (entry 09/11/2026 + 16 weeks − 3 days).
    const running = await failure(tb.api['rgpd.erase']({ traineeId: s.id, reason: 'Demande écrite du 20/11/2026' }));
    expect(running.code).toBe('business');
    expect(running.message).toBe(
      "L'inscription « #Avenir — entrées permanentes Caen (Région Normandie) » est en cours (fin prévue le 26/02/2027) : enregistrez d'abord la sortie du stagiaire, ses preuves de présence doivent être complètes avant l'effacement.",
    );

    // Before the erasure: her NIR shown once (audited, under her name), and Monday 16/11's afternoon justified
    // afterwards as an absence, with a piece attached (the reason is sealed, the piece is evidence).
    await tb.api['trainees.revealNir']({ id: s.id });
    const piece = await tb.api['attendance.uploadDocument']({ name: 'arret-travail-guerin.pdf', mime: 'application/pdf', base64: Buffer.from('%PDF-1.4 arrêt de travail de Sandrine Guérin').toString('base64') });
    const mark = tb.raw.prepare("SELECT m.id FROM attendance_marks m JOIN slots x ON x.id = m.slot_id WHERE m.enrolment_id = ? AND x.date = '2026-11-16' AND x.half_day = 'pm'").get(s.enrolmentId) as { id: string };
    await tb.api['attendance.correct']({ markId: mark.id, kind: 'excused', method: 'none', reason: 'Arrêt de travail', documentId: piece.id, correctionReason: 'Justificatif reçu après la séance' });

    await tb.api['enrolments.setStatus']({ enrolmentId: s.enrolmentId, status: 'exited', effectiveDate: '2026-11-17', reason: 'abandon', outcome: 'none' });
    tb.clock.set('2027-01-15T10:00:00Z');
    await tb.api['claims.advance']({ id: s.claimId, status: 'paid', amountCents: s.totalCents });

    const preview = await tb.api['rgpd.erasePreview']({ traineeId: s.id });
    expect(preview.blockers).toEqual([]);
    expect(preview.erasure).toBeNull();
    expect(preview.now.filter((n) => n.present).map((n) => n.key)).toEqual(['contact', 'nir', 'sensitive', 'franceTravailId', 'pin', 'sent']);
    expect(preview.items.map((i) => [i.kind, i.from, i.until, i.basis, i.years])).toEqual([
      ['supporting', '2027-01-15', '2033-01-15', 'last-payment', 6],
      ['certificate', '2027-12-31', '2030-12-31', 'last-payment', 3],
    ]);
    expect(preview.keepUntil).toBe('2033-01-15');
    expect(preview.purgeFrom).toBe('2033-01-16');

    // EU co-funding of one of her programmes, ticked on the programme: 10 years for both.
    const { programmeId } = tb.raw.prepare('SELECT programme_id AS programmeId FROM fundings WHERE enrolment_id = ? AND programme_id IS NOT NULL').get(s.enrolmentId) as { programmeId: string };
    const [programme] = await tb.api['programmes.list']({ id: programmeId });
    const { id, code, name, region, funderCode } = programme!;
    expect(programme!.euCofunded).toBe(false);
    expect((await tb.api['programmes.save']({ id, code, name, region, funderCode, euCofunded: true })).euCofunded).toBe(true);
    // A save that leaves the flag out (the reference import) keeps it.
    expect((await tb.api['programmes.save']({ id, code, name: `${name} `, region, funderCode })).euCofunded).toBe(true);
    const eu = await tb.api['rgpd.erasePreview']({ traineeId: s.id });
    expect(eu.items.map((i) => [i.kind, i.until])).toEqual([['supporting', '2037-01-15'], ['certificate', '2037-12-31']]);
    await tb.api['programmes.save']({ id, code, name, region, funderCode, euCofunded: false });

    const sealedNir = (tb.raw.prepare('SELECT nir FROM trainees WHERE id = ?').get(s.id) as { nir: string }).nir;
    expect(sealedNir).toMatch(/^enc:v1:/);
    expect(fileBytes(tb).includes(Buffer.from(EMAIL))).toBe(true);

    const erased = await tb.api['rgpd.erase']({ traineeId: s.id, reason: 'Demande écrite du 12/01/2027' });
    expect(erased.erasure).toMatchObject({ number: 1, reason: 'Demande écrite du 12/01/2027', requestedBy: 'Utilisateur local', purgeFrom: '2033-01-16', purgedAt: null });
    expect(erased.now.filter((n) => n.present)).toEqual([]);

    // Gone from the record, the file and its -wal: e-mail, phone, NIR (sealed or not), sensitive fields, PIN.
    expect(tb.raw.prepare('SELECT email, phone, postcode, city, nir, nir_index, sensitive, france_travail_id FROM trainees WHERE id = ?').get(s.id)).toEqual({
      email: null, phone: null, postcode: null, city: null, nir: null, nir_index: null, sensitive: null, france_travail_id: null,
    });
    const bytes = fileBytes(tb);
    for (const gone of [EMAIL, PHONE, sealedNir]) expect(bytes.includes(Buffer.from(gone)), gone).toBe(false);
    expect((await tb.api['pins.status']({ personKind: 'trainee', personId: s.id })).set).toBe(false);
    expect(JSON.stringify(tb.raw.prepare("SELECT payload FROM outbox WHERE record_type = 'enrolment' AND record_id = ?").all(s.enrolmentId))).not.toMatch(/"nir"|franceTravailId/);

    // Kept for the funders: her name on the claim, her marks, her signatures.
    const claim = await tb.api['claims.get']({ id: s.claimId });
    expect(claim.lines.filter((l) => l.enrolmentId === s.enrolmentId).every((l) => l.label.startsWith('GUÉRIN Sandrine'))).toBe(true);
    expect((await tb.api['trainees.get']({ id: s.id })).lastName).toBe('Guérin');
    expect((await tb.api['ledger.verify']({})).ok).toBe(true);

    // Not recorded again, and not twice.
    const again = await failure(tb.api['pins.set']({ personKind: 'trainee', personId: s.id, pin: '1357' }));
    expect(again.message).toBe('Ce stagiaire a fait effacer ses données (RGPD) : ses coordonnées, son NIR, ses données sensibles, un PIN ou une nouvelle inscription ne peuvent plus être enregistrés.');
    const back = await tb.api['trainees.get']({ id: s.id });
    const resaved = await failure(tb.api['trainees.save']({ id: s.id, lastName: back.lastName, firstName: back.firstName, birthDate: back.birthDate, email: EMAIL }));
    expect(resaved.message).toBe(again.message);
    const twice = await failure(tb.api['rgpd.erase']({ traineeId: s.id, reason: 'Nouvelle demande' }));
    expect(twice).toMatchObject({ code: 'conflict', message: 'Les données de ce stagiaire ont déjà été effacées (effacement n° 1, demandé le 15/01/2027).' });

    // The day before the purge date: nothing happens.
    tb.clock.set('2033-01-15T22:00:00Z'); // 23:00 in Paris, still the 15th
    expect(await tb.api['rgpd.purgeDue']({})).toEqual({ purged: [], waiting: 1 });
    expect((await tb.api['trainees.get']({ id: s.id })).lastName).toBe('Guérin');

    tb.clock.set('2033-01-16T08:00:00Z');
    expect(await tb.api['rgpd.purgeDue']({})).toEqual({ purged: [{ traineeId: s.id, name: 'Personne effacée 1' }], waiting: 0 });
    const anonymous = await tb.api['trainees.get']({ id: s.id });
    expect(anonymous).toMatchObject({ lastName: 'Personne effacée 1', firstName: '—', birthDate: '1900-01-01', email: null, nirOnFile: false });
    const lines = (await tb.api['claims.get']({ id: s.claimId })).lines.filter((l) => l.enrolmentId === s.enrolmentId);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => l.label.startsWith('PERSONNE EFFACÉE 1 —'))).toBe(true);
    // Her signatures' images and her certificate's PDF are blanked; every mark and its hours stay.
    // (A trainee signs as the enrolment: attendance.ts signatureRow.)
    expect(tb.raw.prepare("SELECT count(*) AS n, sum(png IS NULL AND strokes = '[]') AS blank FROM signatures WHERE signer_kind = 'trainee' AND signer_id = ?").get(s.enrolmentId)).toEqual({ n: 8, blank: 8 });
    expect(tb.raw.prepare("SELECT length(bytes) AS n, name FROM claim_documents WHERE kind = 'certificat' AND enrolment_id = ?").get(s.enrolmentId)).toMatchObject({ n: 0 });
    // 8 marks and the correction of 16/11: all kept, the reason of absence blanked, the piece emptied.
    expect(tb.raw.prepare('SELECT count(*) AS n, count(reason) AS reasons FROM attendance_marks WHERE enrolment_id = ?').get(s.enrolmentId)).toEqual({ n: 9, reasons: 0 });
    expect(tb.raw.prepare('SELECT name, length(bytes) AS n FROM documents WHERE id = ?').get(piece.id)).toEqual({ name: 'pièce effacée (RGPD)', n: 0 });
    expect(tb.raw.prepare("SELECT summary FROM audit_events WHERE action = 'nir.viewed' AND subject_id = ?").get(s.id)).toEqual({ summary: 'NIR affiché : PERSONNE EFFACÉE 1 —.' });
    const report = await tb.api['ledger.verify']({});
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);

    // The audit log: the export-less erasure and the purge, about the trainee, naming no one.
    const audit = tb.raw.prepare("SELECT action, method, summary FROM audit_events WHERE subject_id = ? AND action = 'rgpd.erase' ORDER BY at").all(s.id) as { method: string; summary: string }[];
    expect(audit.map((a) => a.method)).toEqual(['rgpd.erase', 'rgpd.purgeDue']);
    expect(audit[0]!.summary).toBe('Effacement RGPD n° 1 : coordonnées, NIR, données sensibles, identifiant France Travail, PIN et brouillons effacés ; identité et preuves conservées pour les financeurs jusqu’au 15/01/2033 inclus, anonymisées à partir du 16/01/2033.');
    expect(audit.every((a) => !/Guérin|GUÉRIN/.test(a.summary))).toBe(true);
    expect(await tb.api['rgpd.purgeDue']({})).toEqual({ purged: [], waiting: 0 });
  });

  it('still reports a blanking done behind the app’s back, and a forged redaction record', async () => {
    const tb = await backend();
    const s = await sandrine(tb);
    await tb.api['enrolments.setStatus']({ enrolmentId: s.enrolmentId, status: 'exited', effectiveDate: '2026-11-17', reason: 'abandon', outcome: 'none' });
    await tb.api['rgpd.erase']({ traineeId: s.id, reason: 'Demande orale du 23/11/2026' });
    tb.clock.set('2033-01-01T08:00:00Z'); // unpaid: 6 years after the end of the action (17/11/2026) → purge from 18/11/2032
    expect((await tb.api['rgpd.purgeDue']({})).purged).toHaveLength(1);
    expect((await tb.api['ledger.verify']({})).ok).toBe(true);

    // Another trainee's signature blanked by hand, the trigger dropped: no recorded redaction, so it is tampering.
    const other = tb.raw.prepare("SELECT id FROM signatures WHERE signer_kind = 'trainee' AND signer_id <> ? LIMIT 1").get(s.enrolmentId) as { id: string };
    tb.raw.exec('DROP TRIGGER signatures_append_only_u');
    tb.raw.prepare("UPDATE signatures SET png = NULL, strokes = '[]' WHERE id = ?").run(other.id);
    const report = await tb.api['ledger.verify']({});
    expect(report.problems.map((p) => [p.recordType, p.recordId, p.problem])).toEqual([['signature', other.id, 'content-changed']]);

    // A redaction row written without the app (no ledger entry) is itself reported, and excuses nothing.
    const redaction = tb.raw.prepare('SELECT * FROM evidence_redactions LIMIT 1').get() as Record<string, unknown>;
    tb.raw.prepare('INSERT INTO evidence_redactions (id, erasure_id, record_type, record_id, columns, before_hash, after_hash, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
      '01890000-0000-7000-8000-000000000001', redaction.erasure_id, 'signature', other.id, '["png"]', '0'.repeat(64), '1'.repeat(64), redaction.created_at, 'local',
    );
    const forged = await tb.api['ledger.verify']({});
    expect(forged.problems.map((p) => [p.recordType, p.problem]).sort()).toEqual([['evidence_redaction', 'record-inserted'], ['signature', 'content-changed']]);
  });

  it('counts from the end of the action while the claim is unpaid, and moves the purge later once it is paid', async () => {
    const tb = await backend();
    const s = await sandrine(tb);
    await tb.api['enrolments.setStatus']({ enrolmentId: s.enrolmentId, status: 'exited', effectiveDate: '2026-11-17', reason: 'abandon', outcome: 'none' });
    // Accepted, not paid: 6 years after the end of the action (17/11/2026) → through 17/11/2032; the certificate 3 years
    // from the end of 2026 → through 31/12/2029; both provisional.
    const erased = await tb.api['rgpd.erase']({ traineeId: s.id, reason: 'Demande écrite du 23/11/2026' });
    expect(erased.items.map((i) => [i.kind, i.until, i.basis, i.provisional])).toEqual([
      ['supporting', '2032-11-17', 'end-of-action', true],
      ['certificate', '2029-12-31', 'end-of-action', true],
    ]);
    expect(erased.erasure!.purgeFrom).toBe('2032-11-18');

    // Paid on 01/03/2028: 6 years from the payment → through 01/03/2034, purge from 02/03/2034. The daily run records it.
    tb.clock.set('2028-03-01T10:00:00Z');
    await tb.api['claims.advance']({ id: s.claimId, status: 'paid', amountCents: s.totalCents });
    expect(await tb.api['rgpd.purgeDue']({})).toEqual({ purged: [], waiting: 1 });
    expect((await tb.api['rgpd.erasePreview']({ traineeId: s.id })).erasure!.purgeFrom).toBe('2034-03-02');
    tb.clock.set('2032-11-18T10:00:00Z');
    expect(await tb.api['rgpd.purgeDue']({})).toEqual({ purged: [], waiting: 1 });
    tb.clock.set('2034-03-02T10:00:00Z');
    expect((await tb.api['rgpd.purgeDue']({})).purged).toEqual([{ traineeId: s.id, name: 'Personne effacée 1' }]);
    expect((await tb.api['ledger.verify']({})).ok).toBe(true);
  });

  it('runs the purge at start-up and once a day', async () => {
    const tb = await backend();
    const trainee = await tb.api['trainees.save']({ lastName: 'Roux', firstName: 'Céline', birthDate: '1972-10-10', email: 'celine.roux@exemple.test' });
    const action = await tb.api['actions.save']({ title: 'Remise à niveau', plannedMinutes: 600, modality: 'presentiel' });
    const session = await tb.api['sessions.save']({ actionId: action.id, label: 'Groupe de novembre', mode: 'cohort', capacity: 5, startDate: '2026-11-02', endDate: '2026-11-06' });
    await tb.api['enrolments.create']({ sessionId: session.id, traineeId: trainee.id, funderCode: 'REGION', fileNumber: 'GE-2026-043' });
    // Ended on 06/11/2026 (its planned end, no mark, nothing paid): kept through 06/11/2032, purged from 07/11/2032.
    expect((await tb.api['rgpd.erase']({ traineeId: trainee.id, reason: 'Demande écrite' })).purgeFrom).toBe('2032-11-07');

    const { startRgpdPurgeSchedule } = await import('../../electron/backend/rgpd/schedule');
    const timer: { fn?: () => void } = {};
    const log: string[] = [];
    const schedule = startRgpdPurgeSchedule(tb.ctx, { timers: { setInterval: (fn) => (timer.fn = fn), clearInterval: () => undefined }, log: (l) => log.push(l) });
    expect(await schedule.tick()).toEqual({ purged: [], waiting: 1 }); // the start-up run (already under way) answers
    expect(await schedule.tick()).toBeNull(); // the same day: nothing more
    tb.clock.set('2032-11-07T07:00:00Z');
    expect(await schedule.tick()).toEqual({ purged: [{ traineeId: trainee.id, name: 'Personne effacée 1' }], waiting: 0 });
    await schedule.stop();
    expect(log).toEqual([]);
    expect(timer.fn).toBeTypeOf('function');
  });

  it('describes its tables in the schema the services are typed by', async () => {
    const tb = await backend();
    const { TABLES } = await import('../../electron/backend/db/schema');
    for (const table of ['rgpd_erasures', 'evidence_redactions'] as const) {
      const columns = (tb.raw.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
      expect(columns).toEqual(Object.keys(TABLES[table]));
    }
    const programmes = tb.raw.prepare('PRAGMA table_info(programmes)').all() as { name: string; notnull: number; dflt_value: string }[];
    expect(programmes.find((c) => c.name === 'eu_cofunded')).toMatchObject({ notnull: 1, dflt_value: '0' });
    expect(TABLES.programmes.eu_cofunded).toBe('integer');
  });

  it('anonymises at once a trainee never enrolled, and refuses the erasure to whoever is not an administrator', async () => {
    const tb = await backend();
    const t = await tb.api['trainees.save']({ lastName: 'Martin', firstName: 'Léa', birthDate: '1990-05-01', email: 'lea.martin@exemple.test' });
    const user: User = { id: 'responsable', name: 'Responsable', permissions: new Set<Permission>(['people.read', 'people.write', 'people.sensitive.read']) };
    const staff: Backend = await startBackend(tb.dataDir, { user, now: () => tb.clock.now, lock: false });
    open.push({ close: () => staff.close() });
    const refused = await staff.dispatch('rgpd.erase', { traineeId: t.id, reason: 'Demande' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await staff.dispatch('rgpd.erasePreview', { traineeId: t.id })).toMatchObject({ ok: true, value: { keepUntil: null, purgeFrom: '2026-11-23', items: [] } });

    const done = await tb.api['rgpd.erase']({ traineeId: t.id, reason: 'Demande écrite' });
    expect(done.erasure).toMatchObject({ number: 1, purgeFrom: '2026-11-23' });
    expect(done.erasure!.purgedAt).not.toBeNull();
    expect(await tb.api['trainees.get']({ id: t.id })).toMatchObject({ lastName: 'Personne effacée 1', firstName: '—', birthDate: '1900-01-01', email: null });
    expect(fileBytes(tb).includes(Buffer.from('lea.martin@exemple.test'))).toBe(false);
    expect((await tb.api['ledger.verify']({})).ok).toBe(true);
  });
});
