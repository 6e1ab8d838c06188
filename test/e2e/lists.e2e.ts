import { readFileSync } from 'node:fs';
import type { Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppScreen, ensureRendererBuilt, openScreen, type Running, seriousViolations, settled, startApp } from './helpers';

/**
 * The lists (issue #8, items 6 and 7) in Chromium: a search typed without accents finds the accented
 * trainee (the backend folds), every column sorts, every row is on the page (no inner scroll box), and the
 * list exports to CSV (BOM, `;`, formula guard) and XLSX in the order shown.
 */
describe('lists: search, sort, export', () => {
  let screen: AppScreen;
  let page: Page;
  let app: Running;
  let errors: string[];
  let total = 0;

  beforeAll(async () => {
    ensureRendererBuilt();
    app = await startApp();
    await app.call('demo.load', {});
    await app.call('trainees.save', { lastName: 'LEFÈVRE', firstName: 'Hélène', birthDate: '1950-02-03', city: 'Strasbourg', fictitious: true });
    // A city that a spreadsheet would run as a formula if the export did not neutralise it.
    await app.call('trainees.save', { lastName: 'Zorn', firstName: 'Paul', birthDate: '1991-04-05', city: '=HYPERLINK("http://x.test")', fictitious: true });
    total = (await app.call('trainees.list', {})).total;
    screen = await openScreen(app);
    ({ page, errors } = screen);
  }, 120_000);

  afterAll(async () => {
    await screen?.close();
    await app?.stop();
  });

  async function open(hash: string, heading: string) {
    await page.goto(`${app.url}${hash}`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).first().textContent()).toContain(heading);
    await settled(page);
  }
  const bodyRows = () => page.locator('main table tbody tr:not(.spacer)');
  const firstCells = () => bodyRows().locator('th[scope="row"]').allTextContents();

  async function downloadOf(click: () => Promise<void>): Promise<{ name: string; bytes: Buffer }> {
    const [download] = (await Promise.all([page.waitForEvent('download'), click()])) as [Download, void];
    return { name: download.suggestedFilename(), bytes: readFileSync((await download.path())!) };
  }

  it('shows every trainee on the page, without an inner scroll box', async () => {
    expect(total).toBeGreaterThanOrEqual(19);
    await open('#/stagiaires', 'Stagiaires');
    await expect.poll(() => bodyRows().count()).toBe(total);
    // Nothing between the rows and the page scrolls on its own: each box is as tall as its content.
    const clipped = await page.locator('main table').evaluate((table) => {
      const boxes: string[] = [];
      for (let el = table.parentElement; el && el.tagName !== 'BODY'; el = el.parentElement) {
        if (el.scrollHeight > el.clientHeight + 1 && /auto|scroll|hidden/.test(getComputedStyle(el).overflowY)) boxes.push(el.className);
      }
      return boxes;
    });
    expect(clipped).toEqual([]);
    const last = bodyRows().last();
    await last.scrollIntoViewIfNeeded();
    expect(await last.isVisible()).toBe(true);
  });

  it('finds « Hélène LEFÈVRE » from « helene » and from « lefevre » (the backend ignores case and accents)', async () => {
    const search = page.getByRole('searchbox', { name: 'Rechercher' });
    await search.fill('helene');
    await expect.poll(() => firstCells()).toEqual(['Modifier LEFÈVRE Hélène']);
    await search.fill('LEFEVRE');
    await expect.poll(() => firstCells()).toEqual(['Modifier LEFÈVRE Hélène']);
    await search.fill('');
    await expect.poll(() => bodyRows().count()).toBe(total);
  });

  it('sorts by a column from its header, both ways', async () => {
    const header = page.getByRole('columnheader', { name: /Naissance/ });
    expect(await header.getAttribute('aria-sort')).toBe('none');
    await header.getByRole('button').click();
    expect(await header.getAttribute('aria-sort')).toBe('ascending');
    // Hélène, born in 1950, is the eldest of the demo.
    await expect.poll(async () => (await firstCells())[0]).toBe('Modifier LEFÈVRE Hélène');
    await header.getByRole('button').click();
    expect(await header.getAttribute('aria-sort')).toBe('descending');
    await expect.poll(async () => (await firstCells()).at(-1)).toBe('Modifier LEFÈVRE Hélène');
    // Sorted by name: the list is in alphabetical order, accents aside.
    const byName = page.getByRole('columnheader', { name: /Nom/ });
    await byName.getByRole('button').click();
    const names = (await firstCells()).map((n) => n.replace(/^Modifier /, ''));
    expect(names).toEqual([...names].sort(new Intl.Collator('fr', { sensitivity: 'base' }).compare));
    expect(names.at(-1)).toBe('ZORN Paul');
  });

  it('exports the list to CSV: BOM, « ; », every row in the order shown, formulas neutralised', async () => {
    const file = await downloadOf(() => page.getByRole('button', { name: 'Exporter en CSV' }).click());
    expect(file.name).toMatch(/^sillon-stagiaires-\d{4}-\d{2}-\d{2}\.csv$/);
    expect([...file.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = file.bytes.toString('utf8').slice(1).split('\r\n');
    expect(lines.at(-1)).toBe('');
    // The administrator sees the NIR column, masked (the whole number only through « Afficher », audited).
    expect(lines[0]).toBe('Nom;Naissance;Commune;Identifiant France Travail;NIR;Particularités');
    expect(lines.length - 2).toBe(total);
    // The order shown (by name, ascending): Zorn last, his city as text, not a formula.
    expect(lines.at(-2)).toBe(`ZORN Paul;05/04/1991;"'=HYPERLINK(""http://x.test"")";;;Fictif`);
    expect(lines).toContain('LEFÈVRE Hélène;03/02/1950;Strasbourg;;;Fictif');
  });

  it('exports the list to XLSX', async () => {
    const file = await downloadOf(() => page.getByRole('button', { name: 'Exporter en Excel (XLSX)' }).click());
    expect(file.name).toMatch(/^sillon-stagiaires-\d{4}-\d{2}-\d{2}\.xlsx$/);
    // An XLSX is a zip whose sheet holds the names.
    expect(file.bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    expect(file.bytes.length).toBeGreaterThan(4000);
  });

  it('searches, sorts and exports the other lists with the same table', async () => {
    await open('#/sessions', 'Sessions');
    await page.getByRole('searchbox', { name: 'Rechercher' }).fill('ETOILES');
    await expect.poll(() => firstCells()).toEqual(['Des étoiles et des femmes — promotion Grand Est']);
    await page.getByRole('searchbox', { name: 'Rechercher' }).fill('');
    const sessions = await app.call('sessions.list', {});
    await expect.poll(() => bodyRows().count()).toBe(sessions.length);
    await page.getByRole('columnheader', { name: /Créneaux/ }).getByRole('button').click();
    const bySlots = [...sessions].sort((a, b) => a.slotCount - b.slotCount).map((s) => s.slotCount);
    const shown = await bodyRows().evaluateAll((rows) => rows.map((r) => Number(r.children[5]!.textContent)));
    expect(shown).toEqual(bySlots);

    await open('#/lieux', 'Lieux de formation');
    const places = await app.call('places.list', {});
    await expect.poll(() => bodyRows().count()).toBe(places.length);
    const city = places[0]!.city;
    await page.getByRole('searchbox', { name: 'Rechercher' }).fill(city.normalize('NFD').replace(/\p{M}/gu, '').toUpperCase());
    await expect.poll(async () => (await firstCells()).includes(places[0]!.name)).toBe(true);
    const csv = await downloadOf(() => page.getByRole('button', { name: 'Exporter en CSV' }).click());
    expect(csv.bytes.toString('utf8')).toContain(`${places[0]!.name};`);
    expect(await seriousViolations(page)).toEqual([]);
  });

  describe('the session page\'s lists (enrolments, realised hours) and the attendance statuses', () => {
    const CUISINE = 'Des étoiles et des femmes — promotion Grand Est';
    const SLUG = 'des-etoiles-et-des-femmes-promotion-grand-est';
    let sessionId = '';
    let enrolments: Awaited<ReturnType<typeof sessionOf>>['enrolments'] = [];
    const sessionOf = (id: string) => app.call('sessions.get', { id });

    beforeAll(async () => {
      sessionId = (await app.call('sessions.list', {})).find((s) => s.label === CUISINE)!.id;
      // Hélène LEFÈVRE joins the session, so a search typed without accents has an accented name to find.
      const helene = (await app.call('trainees.list', { search: 'lefevre helene' })).rows[0]!;
      const funderCode = (await sessionOf(sessionId)).enrolments[0]!.funderCode;
      await app.call('enrolments.create', { sessionId, traineeId: helene.id, companyId: null, funderCode, fileNumber: 'GE-2026-99' });
      enrolments = (await sessionOf(sessionId)).enrolments;
      expect(enrolments.length).toBe(13);
    });

    it('sorts the enrolments by a column, both ways', async () => {
      await page.goto(`${app.url}#/sessions/${sessionId}?onglet=inscriptions`);
      await settled(page);
      const table = page.locator('#enrolments-table');
      await expect.poll(() => table.locator('tbody tr').count()).toBe(13);
      const names = () => table.locator('tbody th[scope="row"]').allTextContents();
      const header = table.getByRole('columnheader', { name: /Stagiaire/ });
      expect(await header.getAttribute('aria-sort')).toBe('none');
      const collate = new Intl.Collator('fr', { sensitivity: 'base', numeric: true }).compare;
      const byName = enrolments.map((e) => e.traineeName).sort(collate);
      await header.getByRole('button').click();
      expect(await header.getAttribute('aria-sort')).toBe('ascending');
      await expect.poll(() => names()).toEqual(byName);
      await header.getByRole('button').click();
      expect(await header.getAttribute('aria-sort')).toBe('descending');
      await expect.poll(() => names()).toEqual([...byName].reverse());
      // The row actions stay on their rows after the sort.
      expect(await table.getByRole('row', { name: /LEFÈVRE Hélène/ }).getByRole('button', { name: 'Changer le statut — LEFÈVRE Hélène' }).count()).toBe(1);
    });

    it('finds an enrolment from a search typed without accents (the shared fold), and exports what it shows', async () => {
      const table = page.locator('#enrolments-table');
      const search = page.getByRole('searchbox', { name: 'Filtrer les inscriptions' });
      await search.fill('LEFEVRE helene');
      await expect.poll(() => table.locator('tbody th[scope="row"]').allTextContents()).toEqual(['LEFÈVRE Hélène']);
      // The heading still counts the whole session.
      expect(await page.getByRole('heading', { name: 'Inscriptions (13)' }).count()).toBe(1);
      const csv = await downloadOf(() => page.getByRole('button', { name: 'Exporter en CSV' }).click());
      expect(csv.name).toMatch(new RegExp(`^sillon-inscriptions-${SLUG}-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
      const lines = csv.bytes.toString('utf8').slice(1).split('\r\n');
      expect(lines[0]).toBe('Stagiaire;Entreprise;Financeur;N° de dossier;Statut;Dates prévues;Heures');
      expect(lines.length).toBe(3);
      expect(lines[1]).toMatch(/^LEFÈVRE Hélène;;[^;]+;GE-2026-99;/);
      await search.fill('zzz');
      await expect.poll(() => page.getByText('Aucun résultat pour cette recherche.').count()).toBe(1);
      await search.fill('');
      await expect.poll(() => table.locator('tbody tr').count()).toBe(13);
      expect(await seriousViolations(page)).toEqual([]);
    });

    it('exports the realised hours to CSV: BOM, « ; », one line per trainee, hours as numbers', async () => {
      await page.goto(`${app.url}#/sessions/${sessionId}?onglet=heures`);
      await settled(page);
      await expect.poll(() => page.locator('#hours-table tbody tr').count()).toBe(13);
      const file = await downloadOf(() => page.getByRole('button', { name: 'Exporter en CSV' }).click());
      expect(file.name).toMatch(new RegExp(`^sillon-heures-realisees-${SLUG}-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
      expect([...file.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const lines = file.bytes.toString('utf8').slice(1).split('\r\n');
      expect(lines[0]).toBe('Stagiaire;Réalisées;Prévues (créneaux émargés);Abs. justifiées;Abs. non justifiées;Assiduité;Parcours prévu');
      expect(lines.at(-1)).toBe('');
      expect(lines.length - 2).toBe(13);
      const hours = await app.call('hours.realised', { sessionId, groupBy: ['enrolment'] });
      for (const e of enrolments) {
        const h = hours.find((r) => r.key.enrolment === e.id);
        const [attended, planned, excused, unexcused] = [h?.attended ?? 0, h?.planned ?? 0, h?.absentExcused ?? 0, h?.absentUnexcused ?? 0];
        const rate = planned > 0 ? String(Math.round((attended / planned) * 100)) : '';
        // Decimals with a comma, as French Excel reads them (7,5 h).
        expect(lines).toContain([e.traineeName, attended / 60, planned / 60, excused / 60, unexcused / 60, rate, e.plannedMinutes / 60].map((v) => String(v).replace('.', ',')).join(';'));
      }
      // Hélène, enrolled today, has no mark: nothing realised, nothing planned, no rate.
      expect(lines).toContain(`LEFÈVRE Hélène;0;0;0;0;;${String(enrolments.find((e) => e.traineeName === 'LEFÈVRE Hélène')!.plannedMinutes / 60).replace('.', ',')}`);
    });

    it('sorts and exports the attendance statuses in Paramètres', async () => {
      await open('#/parametres', 'Paramètres');
      const header = page.getByRole('columnheader', { name: /Ordre/ });
      await header.getByRole('button').click();
      expect(await header.getAttribute('aria-sort')).toBe('ascending');
      const kinds = await app.call('attendance.kinds', {});
      await expect.poll(() => bodyRows().count()).toBe(kinds.length);
      const sorts = await bodyRows().evaluateAll((rows) => rows.map((r) => Number(r.children[2]!.textContent)));
      expect(sorts).toEqual(kinds.map((k) => k.sort).sort((a, b) => a - b));
      expect(await page.getByRole('button', { name: 'Modifier — Distanciel' }).count()).toBe(1);
      const csv = await downloadOf(() => page.getByRole('button', { name: 'Exporter en CSV' }).click());
      expect(csv.name).toMatch(/^sillon-statuts-de-presence-\d{4}-\d{2}-\d{2}\.csv$/);
      expect(csv.bytes.toString('utf8').split('\r\n').length - 2).toBe(kinds.length);
    });
  });

  it('raised no script error', () => {
    expect(errors).toEqual([]);
  });
});
