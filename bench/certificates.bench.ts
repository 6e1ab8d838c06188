/**
 * `certificates`: 500 certificats de réalisation as PDF, each the way a claim's validation issues it
 * (claim-documents.ts): content model from the frozen claim lines and the engine's half-days, PDF, QR code
 * and short hash stamped, signed under the organisation's certificate, print recorded with its ledger entry;
 * all in one transaction, as in the validation. Baseline: the same text drawn with bare pdf-lib (standard
 * font, no QR code, unsigned, nothing recorded), 500 documents.
 *
 * Build: one session of 500 trainees (through the API), two morning slots marked present for everyone, and a
 * validated claim with one trainee-hour line per trainee (written directly, as the claims service would).
 */
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { v7 as uuidv7 } from 'uuid';
import { startBackend } from '../electron/backend/backend';
import { inTransaction } from '../electron/backend/context';
import { certificatModel } from '../electron/backend/documents/claim-model';
import { DISTANCE_FOOTNOTE, hoursText, NATURE_BOXES, RETENTION_CLAUSE } from '../electron/backend/documents/claim-pdf';
import { numericDate, personName } from '../electron/backend/documents/format';
import { signingIdentity } from '../electron/backend/documents/certificate';
import { documentContent, issueDocument } from '../electron/backend/documents/print';
import { syncOf } from '../electron/backend/sync/registry';
import { zonedToInstant } from '../shared/domain/dates';
import { benchLine, call, note, now, scaled, tempDir, type Bench } from './lib';

const NAME = 'certificates';

export const certificatesBench: Bench = {
  name: NAME,
  description: '500 certificats de réalisation as signed, stamped and recorded PDFs vs the same text drawn with bare pdf-lib',
  async run() {
    const count = scaled(500, 5);
    const tmp = tempDir(NAME);
    let clock = new Date('2026-11-02T07:00:00Z');
    const backend = await startBackend(tmp.dir, { now: () => clock });
    try {
      note(NAME, `building ${count} enrolments`);
      await call(backend, 'organisation.save', { name: 'OF Banc d’essai', siret: '73282932000074', nda: '11755555555', legalRepresentative: 'Claire Vasseur', city: 'Lyon' });
      const action = await call(backend, 'actions.save', { title: 'Secrétariat médical', plannedMinutes: 6000, modality: 'presentiel' });
      const session = await call(backend, 'sessions.save', { actionId: action.id, label: 'Grande promotion', mode: 'cohort', capacity: count, startDate: '2026-11-02', endDate: '2026-11-27' });
      const trainer = await call(backend, 'trainers.save', { lastName: 'Klein', firstName: 'Martine', kind: 'internal' });
      await call(backend, 'slots.generate', { sessionId: session.id, from: '2026-11-02', to: '2026-11-03', timetable: [{ weekday: 1, halfDay: 'am', start: '09:00', end: '12:00' }, { weekday: 2, halfDay: 'am', start: '09:00', end: '12:00' }], trainerIds: [trainer.id] });
      const enrolments: string[] = [];
      for (let i = 0; i < count; i++) {
        const t = await call(backend, 'trainees.save', { lastName: `Stagiaire${String(i).padStart(4, '0')}`, firstName: 'Camille', birthDate: '1990-01-01' });
        enrolments.push((await call(backend, 'enrolments.create', { sessionId: session.id, traineeId: t.id, funderCode: 'REGION' })).id);
      }
      const page = await call(backend, 'sessions.get', { id: session.id });
      for (const slot of page.slots) {
        const signedAt = zonedToInstant(slot.date, '09:05', 'Europe/Paris').toISOString();
        clock = new Date(signedAt);
        await call(backend, 'attendance.record', { slotId: slot.id, submissionId: uuidv7(), marks: enrolments.map((enrolmentId) => ({ enrolmentId, kind: 'present', method: 'proxy', proxyName: 'Tuteur', signedAt })) as never });
      }
      const at = '2026-11-30T14:00:00Z';
      clock = new Date(at);
      const claimId = uuidv7();
      const raw = backend.raw;
      raw.prepare(`INSERT INTO claims (id, funder_code, period_from, period_to, status, total_cents, inputs_sha256, built_at, created_at, created_by, updated_at, updated_by)
        VALUES (?, 'REGION', '2026-11-01', '2026-11-30', 'draft', ?, ?, ?, ?, 'local', ?, 'local')`).run(claimId, count * 7_500, 'a'.repeat(64), at, at, at);
      const line = raw.prepare(`INSERT INTO claim_lines (id, claim_id, position, enrolment_id, unit, cost_type, label, quantity_e4, unit_price_cents, amount_cents, minutes, realised_minutes)
        VALUES (?, ?, ?, ?, 'trainee-hour', 'pedagogique', ?, 60000, 1250, 7500, 360, 360)`);
      raw.transaction(() => enrolments.forEach((id, i) => line.run(uuidv7(), claimId, i + 1, id, `Stagiaire ${i} — heures stagiaire`)))();
      raw.prepare("UPDATE claims SET status = 'validated', validated_at = ?, validated_by = 'local', frozen_sha256 = ?, invoice_number = 'F2026-000001' WHERE id = ?").run(at, 'f'.repeat(64), claimId);
      const secrets = syncOf(backend.ctx).secrets;
      await inTransaction(backend.ctx, async (tx) => { // the signing certificate is made once, before timing
        await issueDocument(tx, secrets, await documentContent(tx, 'certificat-realisation', { claimId, enrolmentId: enrolments[0]! }));
      });

      note(NAME, `issuing ${count} certificats`);
      let bytes = 0;
      let contentMs = 0;
      const t0 = now();
      await inTransaction(backend.ctx, async (tx) => {
        // As renderClaimDocuments does: the signing identity opened once for the batch.
        const identity = await signingIdentity(tx, secrets);
        for (const enrolmentId of enrolments) {
          const c0 = now();
          const content = await documentContent(tx, 'certificat-realisation', { claimId, enrolmentId });
          contentMs += now() - c0;
          bytes += (await issueDocument(tx, identity, content)).bytes.length;
        }
      });
      const serviceMs = now() - t0;

      // Baseline: the same sentences drawn with bare pdf-lib, unsigned, nothing read or recorded.
      const m = await certificatModel(backend.ctx, claimId, enrolments[0]!, clock);
      const text = (name: string) => [
        'CERTIFICAT DE RÉALISATION', `Certificat intermédiaire — période du ${numericDate('2026-11-01')} au ${numericDate('2026-11-30')}`,
        `Je soussigné(e) ${m.organisation.legalRepresentative}, représentant légal du dispensateur de l'action concourant au développement des compétences ${m.organisation.name},`,
        'atteste que :', `${name},`, `a suivi l'action « ${m.action.title} »`, "Nature de l'action concourant au développement des compétences :",
        ...NATURE_BOXES.map(([, l]) => l), `qui s'est déroulée du ${numericDate(m.from)} au ${numericDate(m.to)} pour une durée de ${hoursText(m.minutes)} heures.`,
        RETENTION_CLAUSE.slice(0, 120), RETENTION_CLAUSE.slice(120, 240), RETENTION_CLAUSE.slice(240), `Fait à Lyon, le ${numericDate(m.claim.validatedOn)}`,
        'Cachet et signature du responsable du dispensateur de formation', DISTANCE_FOOTNOTE.slice(0, 0),
      ];
      const b0 = now();
      let baselineBytes = 0;
      for (let i = 0; i < count; i++) {
        const doc = await PDFDocument.create();
        const font = await doc.embedFont(StandardFonts.Helvetica);
        const p = doc.addPage([595.28, 841.89]);
        text(personName(`Stagiaire${String(i).padStart(4, '0')}`, 'Camille')).forEach((l, k) => p.drawText(l, { x: 40, y: 780 - k * 18, size: 9, font }));
        baselineBytes += (await doc.save()).length;
      }
      const baselineMs = now() - b0;
      note(NAME, `content models ${(contentMs / 1000).toFixed(2)} s of the service's time`);
      note(NAME, `service ${(serviceMs / 1000).toFixed(2)} s (${Math.round(bytes / count / 1024)} KiB/doc), baseline ${(baselineMs / 1000).toFixed(2)} s (${Math.round(baselineBytes / count / 1024)} KiB/doc)`);
      return benchLine(NAME, serviceMs / baselineMs, { seconds: serviceMs / 1000, per_doc_ms: serviceMs / count, baseline_seconds: baselineMs / 1000, docs: count });
    } finally {
      await backend.close();
      tmp.cleanup();
    }
  },
};
