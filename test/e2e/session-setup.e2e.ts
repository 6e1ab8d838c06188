import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppScreen, artifactPath, ensureRendererBuilt, openFromMenu, openScreen, type Running, settled, startApp } from './helpers';

/**
 * A training body sets Sillon up from an empty database, only through the screens: profile, course,
 * trainers, place, trainees, a cohort session, its slots from a weekly timetable, assignments and
 * enrolments. Every step is then checked against the backend, not just the screen.
 */
describe('setting up a cohort session through the UI', () => {
  let screen: AppScreen;
  let page: Page;
  let app: Running;
  let errors: string[];

  beforeAll(async () => {
    ensureRendererBuilt();
    app = await startApp({ now: () => new Date('2026-10-15T08:00:00Z') });
    screen = await openScreen(app, { viewport: { width: 1440, height: 900 }, settle: false });
    ({ page, errors } = screen);
  });

  afterAll(async () => {
    await screen?.close();
    await app?.stop();
  });

  const go = (label: string) => openFromMenu(page, label);

  it('opens in French on an empty database and offers the demo data', async () => {
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('fr');
    await expect.poll(() => page.getByRole('heading', { level: 1, name: 'Accueil' }).isVisible()).toBe(true);
    await settled(page);
    expect(await page.getByRole('button', { name: 'Charger les données de démonstration' }).isVisible()).toBe(true);
    expect(await page.getByRole('banner').textContent()).toContain('Sillon');
  });

  it('refuses an invalid SIRET with the French field message and saves nothing', async () => {
    await go('Organisme');
    await page.getByLabel('Raison sociale').fill('Atelier Formation Loire');
    await page.getByRole('textbox', { name: 'SIRET', exact: true }).fill('12345678901234');
    await page.getByRole('button', { name: 'Enregistrer le profil' }).click();

    const siret = page.getByRole('textbox', { name: 'SIRET', exact: true });
    await expect.poll(() => siret.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await siret.getAttribute('aria-describedby')) ?? '';
    const messages = await Promise.all(describedBy.split(' ').map((id) => page.locator(`[id="${id}"]`).textContent()));
    expect(messages.join(' ')).toContain('SIRET invalide : le SIREN 123456789 (ses 9 premiers chiffres) a une clé de contrôle fausse.');
    expect(await page.getByRole('alert').first().textContent()).toContain('Le formulaire contient une erreur');
    // Focus went to the faulty field, so a keyboard user lands on it.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-invalid'))).toBe('true');
    expect(await app.call('organisation.get')).toBeNull();
  });

  it('saves the organisation profile once corrected', async () => {
    await page.getByRole('textbox', { name: 'SIRET', exact: true }).fill('732 829 320 00074');
    await page.getByLabel('Numéro de déclaration d’activité (NDA)').fill('52440000044');
    await page.getByLabel('Certification Qualiopi valable jusqu’au').fill('2028-06-30');
    await page.getByLabel('Représentant légal').fill('Hélène Garnier');
    await page.getByRole('textbox', { name: 'Adresse', exact: true }).fill('3 quai de la Fosse');
    await page.getByLabel('Code postal').fill('44000');
    await page.getByLabel('Ville').fill('Nantes');
    await page.getByLabel('E-mail').fill('contact@atelier-loire.example');
    await page.getByLabel('Téléphone').fill('02 40 00 00 00');
    await page.getByRole('button', { name: 'Enregistrer le profil' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Profil de l’organisme enregistré.' }).count()).toBe(1);

    const saved = await app.call('organisation.get');
    expect(saved).toMatchObject({
      name: 'Atelier Formation Loire',
      siret: '73282932000074',
      nda: '52440000044',
      qualiopiValidUntil: '2028-06-30',
      postcode: '44000',
      city: 'Nantes',
    });
  });

  it('creates a training course, taking hours and storing minutes', async () => {
    await go('Actions');
    await page.getByRole('button', { name: 'Nouvelle action' }).click();
    await page.getByLabel('Intitulé').fill('Titre professionnel Cuisinier');
    await page.getByLabel('Code interne').fill('TP-CUIS');
    await page.getByLabel('Code RNCP / RS').fill('RNCP34359');
    await page.getByRole('combobox', { name: 'Niveau', exact: true }).selectOption({ label: 'Niveau 3' });
    await page.getByLabel('Code NSF').fill('221');
    await page.getByLabel('Durée prévue (heures)').fill('402,5');
    await page.getByLabel('Modalité').selectOption({ label: 'Présentiel' });
    await page.getByRole('button', { name: 'Créer l’action' }).click();
    await expect.poll(() => page.getByRole('rowheader', { name: /Titre professionnel Cuisinier/ }).count()).toBe(1);

    const [action] = await app.call('actions.list');
    expect(action).toMatchObject({ title: 'Titre professionnel Cuisinier', code: 'TP-CUIS', certificationCode: 'RNCP34359', level: 3, nsfCode: '221', plannedMinutes: 24_150, modality: 'presentiel' });
    expect(await page.getByRole('row', { name: /Titre professionnel Cuisinier/ }).textContent()).toContain('402 h 30');
  });

  it('records two trainers and a place', async () => {
    await go('Formateurs');
    for (const [last, first] of [['Durand', 'Paul'], ['Lemaire', 'Inès']] as const) {
      await page.getByRole('button', { name: 'Nouveau formateur' }).click();
      await page.getByRole('textbox', { name: 'Nom', exact: true }).fill(last);
      await page.getByLabel('Prénom').fill(first);
      await page.getByRole('button', { name: 'Créer le formateur' }).click();
      await expect.poll(() => page.getByRole('rowheader', { name: new RegExp(last, 'i') }).count()).toBe(1);
    }
    await go('Lieux');
    await page.getByRole('button', { name: 'Nouveau lieu' }).click();
    await page.getByRole('textbox', { name: 'Nom', exact: true }).fill('Cuisine pédagogique de l’île de Nantes');
    await page.getByLabel('Code postal').fill('44200');
    await page.getByLabel('Ville').fill('Nantes');
    await page.getByRole('button', { name: 'Créer le lieu' }).click();
    await expect.poll(() => page.getByRole('rowheader', { name: /Cuisine pédagogique/ }).count()).toBe(1);
    expect(await app.call('trainers.list')).toHaveLength(2);
    expect((await app.call('places.list'))[0]).toMatchObject({ postcode: '44200', holidayZone: 'metropole' });
  });

  const TRAINEES = [
    { last: 'Bernard', first: 'Alice', birth: '1991-03-14', ft: '1234567A' },
    { last: 'Camus', first: 'Youssef', birth: '1987-09-02', ft: '' },
    { last: 'Dupré', first: 'Léna', birth: '2001-12-20', ft: '7654321B' },
  ];

  it('creates three trainees', async () => {
    await go('Stagiaires');
    for (const t of TRAINEES) {
      await page.getByRole('button', { name: 'Nouveau stagiaire' }).click();
      await page.getByRole('textbox', { name: 'Nom', exact: true }).fill(t.last);
      await page.getByLabel('Prénom').fill(t.first);
      await page.getByLabel('Date de naissance').fill(t.birth);
      if (t.ft) await page.getByLabel('Identifiant France Travail').fill(t.ft);
      await page.getByLabel('Code postal').fill('44100');
      await page.getByLabel('Commune').fill('Nantes');
      await page.getByRole('button', { name: 'Créer le stagiaire' }).click();
      await expect.poll(() => page.getByRole('status').filter({ hasText: `Stagiaire ${t.last} ${t.first} enregistré(e).` }).count()).toBe(1);
    }
    await expect.poll(() => page.getByRole('row').filter({ hasText: 'DUPRÉ Léna' }).count()).toBe(1);
    expect((await app.call('trainees.list', {})).total).toBe(3);
  });

  let sessionId = '';

  it('creates a cohort session and lands on its page', async () => {
    await go('Sessions');
    await page.getByRole('button', { name: 'Nouvelle session' }).click();
    await page.getByLabel('Action de formation').selectOption({ label: 'Titre professionnel Cuisinier (TP-CUIS)' });
    await page.getByLabel('Libellé').fill('Cuisinier — promotion de novembre 2026');
    await page.getByLabel('Capacité (places)').fill('12');
    expect(await page.getByRole('radio', { name: /Cohorte/ }).isChecked()).toBe(true);
    await page.getByLabel('Date de début').fill('2026-11-02');
    await page.getByLabel('Date de fin').fill('2026-11-27');
    await page.getByLabel('Lieu principal').selectOption({ index: 1 });
    await page.getByRole('button', { name: 'Créer la session' }).click();

    await page.waitForURL(/#\/sessions\/[0-9a-f-]{36}$/);
    await settled(page);
    sessionId = page.url().split('/').pop()!;
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Cuisinier — promotion de novembre 2026');
    expect(await page.getByText('Aucun créneau pour cette session.').isVisible()).toBe(true);
  });

  it('generates the slots from a weekly timetable, skipping 11 November', async () => {
    const generate = page.getByRole('region', { name: 'Générer les créneaux' });
    // Monday to Thursday all day, Friday morning; default times 09:00–12:30 and 13:30–17:00.
    for (const day of ['lundi', 'mardi', 'mercredi', 'jeudi']) {
      await generate.getByRole('checkbox', { name: `${day}, Matin` }).check();
      await generate.getByRole('checkbox', { name: `${day}, Après-midi` }).check();
    }
    await generate.getByRole('checkbox', { name: 'vendredi, Matin' }).check();
    await generate.getByLabel('Fin, vendredi Matin').fill('12:00');
    await generate.getByRole('checkbox', { name: /DURAND Paul/ }).check();
    await generate.getByRole('button', { name: 'Générer les créneaux' }).click();

    const result = generate.getByRole('status');
    await expect.poll(() => result.textContent()).toContain('34 créneaux créés.');
    const text = (await result.textContent()) ?? '';
    expect(text).toContain('1 jour férié non planifié');
    expect(text).toContain('11 nov. 2026');
    expect(text).toContain('Armistice 1918');
    await settled(page);

    // The calendar: 4 weeks of 9 half-days, less Wednesday 11 November, shown with times and initials.
    const calendar = page.getByRole('region', { name: 'Calendrier des créneaux' });
    await expect.poll(() => calendar.locator('button.slot').count()).toBe(34);
    expect(await calendar.locator('[data-date="2026-11-11"]').count()).toBe(0);
    await expect.poll(() => calendar.locator('td', { hasText: 'Férié : Armistice 1918' }).count()).toBe(1);
    const monday = calendar.locator('[data-date="2026-11-02"][data-half-day="am"]');
    expect(await monday.textContent()).toContain('09:00–12:30');
    expect(await monday.textContent()).toContain('PD');
    expect(await monday.getAttribute('aria-label')).toContain('Paul Durand');
    expect(await calendar.locator('[data-date="2026-11-06"][data-half-day="am"]').textContent()).toContain('09:00–12:00');
    expect(await page.getByRole('heading', { name: 'Calendrier des créneaux' }).isVisible()).toBe(true);

    const saved = await app.call('sessions.get', { id: sessionId });
    expect(saved.slots).toHaveLength(34);
    expect(saved.slots.some((s) => s.date === '2026-11-11')).toBe(false);
    expect(saved.slots.every((s) => s.trainerIds.length === 1)).toBe(true);
  });

  it('assigns another trainer to slots selected by click and by keyboard', async () => {
    const calendar = page.getByRole('region', { name: 'Calendrier des créneaux' });
    await calendar.locator('[data-date="2026-11-02"][data-half-day="am"]').click();
    // Keyboard: arrow to the afternoon slot, Space to select it.
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Space');
    await expect.poll(() => calendar.getByRole('toolbar').textContent()).toContain('2 créneaux sélectionnés');
    expect(await calendar.locator('[data-date="2026-11-02"][data-half-day="pm"]').getAttribute('aria-pressed')).toBe('true');

    const assign = page.getByRole('region', { name: 'Affecter' });
    await assign.getByRole('checkbox', { name: 'Remplacer les formateurs' }).check();
    await assign.getByRole('checkbox', { name: /LEMAIRE Inès/ }).check();
    await assign.getByRole('button', { name: 'Affecter aux créneaux' }).click();
    await expect.poll(() => assign.getByRole('status').textContent()).toContain('2 créneaux mis à jour.');
    await settled(page);
    await expect.poll(() => calendar.locator('[data-date="2026-11-02"][data-half-day="am"]').textContent()).toContain('IL');

    const { slots, trainers } = await app.call('sessions.get', { id: sessionId });
    const ines = trainers.find((t) => t.lastName === 'Lemaire')!;
    const changed = slots.filter((s) => s.trainerIds.includes(ines.id));
    expect(changed.map((s) => `${s.date}:${s.halfDay}`).sort()).toEqual(['2026-11-02:am', '2026-11-02:pm']);
    expect(changed.every((s) => s.trainerIds.length === 1)).toBe(true);
  });

  it('enrols the three trainees', async () => {
    await page.getByRole('tab', { name: 'Inscriptions' }).click();
    await page.waitForURL(/\?onglet=inscriptions$/);
    const enrol = page.getByRole('region', { name: 'Inscrire un stagiaire' });
    for (const [i, t] of TRAINEES.entries()) {
      await enrol.getByLabel('Rechercher un stagiaire').fill(t.last);
      const option = `${t.last.toUpperCase()} ${t.first} — ${t.birth.split('-').reverse().join('/')}`;
      await expect.poll(() => enrol.getByRole('option', { name: option }).count()).toBe(1);
      await enrol.getByRole('listbox', { name: 'Stagiaire', exact: true }).selectOption({ label: option });
      await enrol.getByLabel('Financeur').selectOption({ label: i === 1 ? 'France Travail' : 'Conseil régional' });
      await enrol.getByLabel('N° de dossier').fill(`PDL-2026-${i + 1}`);
      await enrol.getByRole('button', { name: 'Inscrire' }).click();
      await expect.poll(() => page.getByRole('status').filter({ hasText: `${t.last} ${t.first} est inscrit(e)` }).count()).toBe(1);
      await settled(page);
    }
    const table = page.locator('#enrolments-table');
    await expect.poll(() => table.locator('tbody tr').count()).toBe(3);
    expect(await table.locator('tbody').textContent()).toContain('France Travail');
    expect(await page.getByRole('heading', { name: 'Inscriptions (3)' }).isVisible()).toBe(true);
  });

  it('records an entry into training', async () => {
    await page.getByRole('button', { name: 'Changer le statut — Bernard Alice' }).click();
    const form = page.getByRole('region', { name: 'Statut de Bernard Alice' });
    await form.getByLabel('Nouveau statut').selectOption({ label: 'Entrée en formation' });
    await form.getByLabel('Date d’effet').fill('2026-11-02');
    await form.getByRole('button', { name: 'Enregistrer le statut' }).click();
    await expect.poll(() => page.getByRole('row', { name: /Bernard Alice/ }).textContent()).toContain('Entré');
  });

  it('really saved the session, its slots and its enrolments', async () => {
    const saved = await app.call('sessions.get', { id: sessionId });
    expect(saved.session).toMatchObject({ label: 'Cuisinier — promotion de novembre 2026', mode: 'cohort', capacity: 12, startDate: '2026-11-02', endDate: '2026-11-27' });
    expect(saved.place?.city).toBe('Nantes');
    expect(saved.slots).toHaveLength(34);
    expect(saved.enrolments.map((e) => e.traineeName).sort()).toEqual(['Bernard Alice', 'Camus Youssef', 'Dupré Léna']);
    expect(saved.enrolments.map((e) => e.funderCode).sort()).toEqual(['FRANCE_TRAVAIL', 'REGION', 'REGION']);
    expect(saved.enrolments.every((e) => e.plannedStart === '2026-11-02' && e.plannedEnd === '2026-11-27')).toBe(true);
    expect(saved.enrolments.find((e) => e.traineeName === 'Bernard Alice')).toMatchObject({ status: 'entered', entryDate: '2026-11-02', fileNumber: 'PDL-2026-1' });
    const sessions = await app.call('sessions.list', {});
    expect(sessions[0]).toMatchObject({ enrolled: 3, slotCount: 34 });
  });

  it('keeps a screenshot of the session page', async () => {
    await page.getByRole('tab', { name: 'Planning' }).click();
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.getByRole('region', { name: 'Calendrier des créneaux' }).locator('[data-date="2026-11-16"][data-half-day="am"]').click();
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: artifactPath('session-page.png'), fullPage: true });
  });

  it('shows a conflict from the backend on the field it names', async () => {
    await go('Entreprises');
    for (const attempt of [1, 2]) {
      await page.getByRole('button', { name: 'Nouvelle entreprise' }).click();
      await page.getByLabel('Raison sociale').fill(attempt === 1 ? 'Brasserie du Port' : 'Brasserie du Port bis');
      await page.getByRole('textbox', { name: 'SIRET', exact: true }).fill('44306184100047');
      await page.getByRole('button', { name: 'Créer l’entreprise' }).click();
      if (attempt === 1) await expect.poll(() => page.getByRole('rowheader', { name: 'Brasserie du Port' }).count()).toBe(1);
    }
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'Une entreprise avec ce SIRET existe déjà.' }).count()).toBe(1);
    const siret = page.getByRole('textbox', { name: 'SIRET', exact: true });
    expect(await siret.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByText('SIRET déjà enregistré.').isVisible()).toBe(true);
    expect(await app.call('companies.list')).toHaveLength(1);
  });

  it('switches to English and back', async () => {
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Trainees' }).isVisible()).toBe(true);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Companies');
    await page.reload();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');
    await page.getByRole('button', { name: 'Français' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Entreprises');
  });

  it('raised no script error', () => {
    expect(errors).toEqual([]);
  });
});
