import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { type AppScreen, artifactPath, ensureRendererBuilt, openFromMenu, openScreen, type Running, seriousViolations, settled, startApp } from './helpers';

/**
 * Issue #10, the claims screens: a manager computes the Région's claim for November from the menu, reads its
 * pre-flight (the organisation's NDA is missing: a blocker with its link, and validation refused next to the
 * button), fixes it, recomputes, validates (confirmation), downloads a document and the ZIP bundle (unzipped
 * here, every manifest hash recomputed) and marks it submitted.
 *
 * One session, Mon 9 – Fri 13 November 2026 (Wed 11 a holiday), 09:00–12:00 (180 min) each morning; the
 * Région's programme PRF-E2E pays the trainee hour 12,55 €. By hand:
 * - MARTIN Sophie, present 4 mornings: 720 min = 12,00 h × 12,55 € = 150,60 €;
 * - DURAND Paul, present 3 mornings, unexcused on the 13th: 540 min = 9,00 h × 12,55 € = 112,95 €;
 * total 263,55 €.
 */
const ORGANISATION = { name: 'OF Test', siret: '73282932000074', legalRepresentative: 'Claire Dubois', city: 'Paris', postcode: '75011' };

describe('claims: build, pre-flight, validate, documents, bundle, workflow', () => {
  let app: Running;
  let screen: AppScreen;
  let page: Page;
  let clock = '2026-11-20T09:00:00Z';
  let claimId = '';
  let martin = '';
  let slot12 = '';

  beforeAll(async () => {
    ensureRendererBuilt();
    app = await startApp({ now: () => new Date(clock) });
    await app.call('organisation.save', ORGANISATION); // no NDA: the certificat needs it
    const place = await app.call('places.save', { name: 'Salle A', postcode: '75011', city: 'Paris' });
    const trainer = await app.call('trainers.save', { lastName: 'Klein', firstName: 'Martine', kind: 'internal' });
    const action = await app.call('actions.save', { title: 'Bureautique', plannedMinutes: 600, modality: 'presentiel' });
    const session = await app.call('sessions.save', { actionId: action.id, label: 'Groupe 1', mode: 'cohort', capacity: 5, startDate: '2026-11-09', endDate: '2026-11-20', placeId: place.id });
    const timetable = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, halfDay: 'am' as const, start: '09:00', end: '12:00' }));
    await app.call('slots.generate', { sessionId: session.id, from: '2026-11-09', to: '2026-11-13', timetable, trainerIds: [trainer.id] });
    const programme = await app.call('programmes.save', { code: 'PRF-E2E', name: 'PRF Grand Est', funderCode: 'REGION' });
    await app.call('programmeRules.add', { programmeId: programme.id, validFrom: '2026-01-01', rule: { unit: 'trainee-hour', rateCents: 1255, payerCategory: 'C-6' } });
    const enrol: Record<'martin' | 'durand', string> = { martin: '', durand: '' };
    for (const [key, last, first] of [['martin', 'Martin', 'Sophie'], ['durand', 'Durand', 'Paul']] as const) {
      const t = await app.call('trainees.save', { lastName: last, firstName: first, birthDate: '1990-01-01' });
      const e = await app.call('enrolments.create', { sessionId: session.id, traineeId: t.id, funderCode: 'REGION' });
      await app.call('enrolments.setStatus', { enrolmentId: e.id, status: 'entered', effectiveDate: '2026-11-09' });
      await app.call('fundings.save', { enrolmentId: e.id, lines: [{ funderCode: 'REGION', programmeId: programme.id, shareKind: 'remainder' }] });
      enrol[key] = e.id;
    }
    const slots = Object.fromEntries((await app.call('sessions.get', { id: session.id })).slots.map((s) => [s.date, s.id]));
    const roll = async (date: string, durand: 'present' | 'unexcused') => {
      clock = `${date}T09:30:00Z`;
      await app.call('attendance.record', {
        slotId: slots[date], submissionId: uuidv7(),
        marks: [
          { enrolmentId: enrol.martin, kind: 'present', method: 'proxy', proxyName: 'Tuteur' },
          durand === 'present' ? { enrolmentId: enrol.durand, kind: 'present', method: 'proxy', proxyName: 'Tuteur' } : { enrolmentId: enrol.durand, kind: 'unexcused', method: 'none' },
        ],
      });
      await app.call('attendance.close', { slotId: slots[date], trainerId: trainer.id, method: 'paper' });
    };
    martin = enrol.martin;
    slot12 = slots['2026-11-12']!;
    for (const date of ['2026-11-09', '2026-11-10', '2026-11-12']) await roll(date, 'present');
    await roll('2026-11-13', 'unexcused');
    clock = '2026-11-20T09:00:00Z';
    screen = await openScreen(app, { timezoneId: 'Europe/Paris', viewport: { width: 1366, height: 900 }, acceptDownloads: true });
    page = screen.page;
  });

  afterAll(async () => {
    await screen?.close();
    await app?.stop();
  });

  const main = () => page.getByRole('main');

  it('computes a claim from « Nouvelle demande »: a wrong period is refused next to its field, then the claim page opens', async () => {
    await openFromMenu(page, 'Demandes de paiement');
    expect(await main().getByText('Aucune demande de paiement pour ces critères.').isVisible()).toBe(true);

    await page.getByRole('button', { name: 'Nouvelle demande' }).click();
    const form = page.getByRole('region', { name: 'Nouvelle demande de paiement' });
    await form.getByLabel('Financeur').selectOption({ label: 'Conseil régional' });
    await expect.poll(() => form.getByLabel('Dispositif').locator('option').count()).toBe(2);
    await form.getByLabel('Début de période').fill('01/11/2026');
    await form.getByLabel('Fin de période').fill('01/10/2026');
    await form.getByRole('button', { name: 'Calculer la demande' }).click();
    await expect.poll(() => form.getByText('La date de fin de la période précède sa date de début.').isVisible()).toBe(true);
    expect(await form.getByLabel('Fin de période').getAttribute('aria-invalid')).toBe('true');
    expect(await seriousViolations(page)).toEqual([]);

    await form.getByLabel('Fin de période').fill('30/11/2026');
    await form.getByRole('button', { name: 'Calculer la demande' }).click();
    await page.waitForURL(/#\/demandes\/[0-9a-f-]+$/);
    await settled(page);
    claimId = page.url().split('/').at(-1)!;
    await expect.poll(() => page.getByRole('heading', { level: 1, name: 'Demande de paiement — Conseil régional' }).isVisible()).toBe(true);
    await settled(page);
  });

  it('shows the pre-flight blocker with its link, refuses the validation next to the button, and the lines with their chart', async () => {
    const preflight = page.getByRole('region', { name: 'Contrôle avant validation' });
    const blockers = preflight.getByRole('list', { name: '1 point bloquant' });
    expect(await blockers.innerText()).toContain('Organisme de formation : numéro de déclaration d’activité (NDA) manquant(s) pour le certificat de réalisation.');
    expect(await blockers.getByRole('link', { name: "Ouvrir l'organisme" }).getAttribute('href')).toBe('#/organisme');

    const lines = page.getByRole('table', { name: '2 lignes' });
    const texts = await lines.getByRole('row').allInnerTexts();
    expect(texts.find((r) => r.includes('Martin Sophie') || r.includes('MARTIN Sophie'))).toMatch(/12,00\sh\s+12,55\s€\s+150,60\s€/);
    expect(texts.find((r) => r.includes('Durand Paul') || r.includes('DURAND Paul'))).toMatch(/9,00\sh\s+12,55\s€\s+112,95\s€/);
    expect(texts.at(-1)).toMatch(/Total\s+263,55\s€/);
    // The computation on demand, and the chart with its text alternative.
    await lines.getByText('Voir le calcul').first().click();
    expect(await lines.getByText(/min facturées sur/).first().isVisible()).toBe(true);
    const chart = page.getByRole('figure', { name: 'Montant par stagiaire (ou par session, par contrat)' });
    expect(await chart.getByRole('listitem').allTextContents()).toEqual([expect.stringMatching(/Sophie : 150,60\s€$/), expect.stringMatching(/Paul : 112,95\s€$/)]);
    expect(await seriousViolations(page)).toEqual([]);

    const workflow = page.getByRole('region', { name: 'Suivi' });
    await workflow.getByRole('button', { name: 'Valider' }).click();
    expect(await workflow.getByText(/Valider fige la demande \(263,55\s€\).*numéro suivant de la séquence/).isVisible()).toBe(true);
    await workflow.getByRole('button', { name: 'Confirmer la validation' }).click();
    await expect.poll(() => workflow.getByRole('alert').textContent()).toContain('Validation impossible : 1 point(s) bloquant(s) à corriger');
    expect((await app.call('claims.get', { id: claimId })).claim.status).toBe('draft');

    // The link leads to the organisation; once its NDA is filled, « Recalculer » clears the pre-flight.
    await blockers.getByRole('link', { name: "Ouvrir l'organisme" }).click();
    await page.waitForURL(/#\/organisme$/);
    await settled(page);
    await app.call('organisation.save', { ...ORGANISATION, nda: '11755555575' });
    await page.goBack();
    await page.waitForURL(/#\/demandes\//);
    await settled(page);
    await page.getByRole('region', { name: 'Suivi' }).getByRole('button', { name: 'Recalculer' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Demande recalculée' }).count()).toBe(1);
    await expect.poll(() => page.getByRole('region', { name: 'Contrôle avant validation' }).innerText()).toContain('Aucun point bloquant ni avertissement : la demande peut être validée.');
  });

  it('validates with the confirmation, then lists the frozen documents and downloads one', async () => {
    const workflow = page.getByRole('region', { name: 'Suivi' });
    await workflow.getByRole('button', { name: 'Valider' }).click();
    await workflow.getByRole('button', { name: 'Confirmer la validation' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Demande validée' }).textContent(), { timeout: 30_000 }).toMatch(/^Demande validée : facture F2026-000001, \d+ pièces figées\.$/);
    await settled(page);
    const saved = await app.call('claims.get', { id: claimId });
    expect(saved.claim).toMatchObject({ status: 'validated', invoiceNumber: 'F2026-000001', totalCents: 26_355 });
    expect(await page.getByRole('region', { name: 'En-tête' }).innerText()).toContain('F2026-000001');
    expect(await page.getByRole('region', { name: 'Contrôle avant validation' }).count()).toBe(0);
    expect(await workflow.getByRole('listitem').first().innerText()).toMatch(/Validée\s+le 20\/11\/2026 à 10:00/);

    const documents = page.getByRole('region', { name: `${saved.documents.length} pièces` });
    expect(await documents.getByRole('listitem').count()).toBe(saved.documents.length);
    const invoice = saved.documents.find((d) => d.kind === 'invoice')!;
    expect(invoice.name).toContain('f2026-000001');
    const [download] = await Promise.all([page.waitForEvent('download'), documents.getByRole('button', { name: `Télécharger — ${invoice.name}` }).click()]);
    expect(download.suggestedFilename()).toBe(invoice.name);
    const pdf = readFileSync((await download.path())!);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(createHash('sha256').update(pdf).digest('hex')).toBe(invoice.sha256);
    // Printed during the validation, the invoice carries its number (not « non numérotée »).
    const text = execFileSync('pdftotext', ['-layout', (await download.path())!, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toContain('N° F2026-000001');
    await page.screenshot({ path: artifactPath('claim-validated.png'), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('exports the ZIP bundle: every file of the manifest has the hash it says', async () => {
    const documents = page.getByRole('region', { name: /\d+ pièces/ });
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), documents.getByRole('button', { name: 'Exporter le dossier (ZIP)' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^dossier_.*\.zip$/);
    const files = unzipSync(new Uint8Array(readFileSync((await download.path())!)));
    const manifest = JSON.parse(strFromU8(files['manifest.json']!)) as { invoiceNumber: string; totalCents: number; files: { name: string; sha256: string; size: number }[] };
    expect(manifest).toMatchObject({ invoiceNumber: 'F2026-000001', totalCents: 26_355 });
    expect(manifest.files.map((f) => f.name)).toEqual(expect.arrayContaining(['lignes.csv', 'lignes.xlsx']));
    expect(Object.keys(files).sort()).toEqual([...manifest.files.map((f) => f.name), 'manifest.json'].sort());
    for (const f of manifest.files) {
      expect(createHash('sha256').update(files[f.name]!).digest('hex'), f.name).toBe(f.sha256);
      expect(files[f.name]!.length, f.name).toBe(f.size);
    }
  });

  it('marks the claim submitted, then finds it in the list by its status, axe clean', async () => {
    const workflow = page.getByRole('region', { name: 'Suivi' });
    await workflow.getByRole('button', { name: 'Marquer transmise' }).click();
    const step = workflow.getByRole('form', { name: 'Marquer transmise' });
    await step.getByLabel('Note (facultative)').fill('Déposée sur le portail de la Région');
    await step.getByRole('button', { name: 'Enregistrer : Transmise' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Étape enregistrée' }).textContent()).toBe('Étape enregistrée : Transmise.');
    await settled(page);
    expect(await workflow.getByRole('listitem').nth(1).innerText()).toMatch(/Transmise\s+le 20\/11\/2026 à 10:00[\s\S]*Déposée sur le portail de la Région/);
    expect(await workflow.getByRole('button', { name: 'Acceptée', exact: true }).isVisible()).toBe(true);
    expect((await app.call('claims.get', { id: claimId })).claim.status).toBe('submitted');
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('link', { name: '← Demandes de paiement' }).click();
    await settled(page);
    const table = page.getByRole('table', { name: '1 demande' });
    expect(await table.getByRole('row').nth(1).innerText()).toMatch(/Conseil régional\s+01\/11\/2026 →\s+30\/11\/2026\s+Transmise\s+F2026-000001[\s\S]*263,55\s€/);
    expect(await table.getByRole('row').last().innerText()).toMatch(/Total de 1 demande\s+263,55\s€/);
    await page.getByLabel('Statut').selectOption({ label: 'Brouillon' });
    await expect.poll(() => main().getByText('Aucune demande de paiement pour ces critères.').isVisible()).toBe(true);
    await page.getByLabel('Statut').selectOption({ label: 'Transmise' });
    await expect.poll(() => page.getByRole('table', { name: '1 demande' }).isVisible()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('after a correction shows the difference per line and creates a regularisation, linked both ways', async () => {
    // MARTIN was in fact absent on the 12th: 540 min = 9,00 h × 12,55 € = 112,95 €, i.e. 37,65 € to pay back.
    const mark = (await app.call('attendance.rollCall', { slotId: slot12 })).rows.find((r) => r.enrolmentId === martin)!.mark!;
    await app.call('attendance.correct', { markId: mark.id, kind: 'unexcused', method: 'none', correctionReason: 'Erreur de saisie : absente ce jour-là.' });
    await page.goto(`${page.url().split('#')[0]}#/demandes/${claimId}`);
    await settled(page);
    const difference = page.getByRole('region', { name: "Écart avec les présences d'aujourd'hui" });
    expect(await difference.innerText()).toMatch(/37,65\s€ à reverser \(avoir\)/);
    expect(await difference.getByRole('row').nth(1).innerText()).toMatch(/Sophie[\s\S]*12,00\sh\s+9,00\sh\s+150,60\s€\s+112,95\s€\s+-37,65\s€/);
    expect(await seriousViolations(page)).toEqual([]);
    await difference.getByRole('button', { name: 'Créer une régularisation' }).click();
    await page.waitForURL((u) => /#\/demandes\/[0-9a-f-]+$/.test(u.href) && !u.href.endsWith(claimId));
    await settled(page);
    await expect.poll(() => page.getByRole('heading', { level: 1, name: 'Régularisation — Conseil régional' }).isVisible()).toBe(true);
    await settled(page);
    expect(await page.getByRole('region', { name: 'En-tête' }).innerText()).toMatch(/-37,65\s€/);
    await page.getByRole('link', { name: 'Voir la demande régularisée' }).click();
    await page.waitForURL((u) => u.href.endsWith(claimId));
    // The route changes before the regularised claim replaces the regularisation on screen: wait for it.
    await expect.poll(() => page.getByRole('link', { name: /^Régularisation : -37,65\s€ \(Brouillon\)$/ }).isVisible()).toBe(true);
    expect(screen.errors).toEqual([]);
  });
});
