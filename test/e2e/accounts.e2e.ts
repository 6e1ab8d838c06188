import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppScreen, artifactPath, ensureRendererBuilt, openScreen, type Running, seriousViolations, settled, startApp } from './helpers';

/**
 * Issue #12 through the screens: the first run in an empty folder (« Bienvenue dans Sillon », the password rule
 * live), signing out and in (a wrong password refused next to its field), an administrator creating a tutor's
 * account, the tutor signing in on another browser and seeing only their own learners, the lock after inactivity
 * undone with the account's PIN, the lock delay set on the settings page, the audit log filtered and exported, and
 * the tutor's account disabled — their next click lands on the sign-in page. Then the first run's other way, the
 * demo, and its trainer's account. axe-core on every new screen.
 *
 * Expected values by hand from the rules: shared/domain/accounts.ts (8 characters, three kinds, not the login; 3 wrong
 * PINs), shared/permissions.ts (a tutor has organisation.read, afest.read, afest.write: of the menu, AFEST and Mode
 * tuteur only), the refusal's wording in electron/backend/dispatch.ts.
 */
const ADMIN = { name: 'Camille Durand', login: 'c.durand', password: 'Sillon-Admin-26' };
const TUTOR = { name: 'Luc Garnier', login: 'l.garnier', password: 'Tuteur-Pain-26', pin: '4826' };
/** A field's label, exactly, its required mark aside (« Identifiant * »). */
const field = (label: string) => new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( \\*)?$`);

describe('accounts, sign-in, lock and audit log through the UI', () => {
  let app: Running;
  let admin: AppScreen;
  let page: Page;
  let tutorScreen: AppScreen;
  let tutorId = '';

  beforeAll(async () => {
    ensureRendererBuilt();
    app = await startApp({ setup: false });
    admin = await openScreen(app, { signedIn: false, timezoneId: 'Europe/Paris', acceptDownloads: true });
    page = admin.page;
  });

  afterAll(async () => {
    await tutorScreen?.close();
    await admin?.close();
    await app?.stop();
  });

  const h1 = (p: Page) => p.getByRole('heading', { level: 1 });
  const nav = (p: Page) => p.getByRole('navigation', { name: 'Navigation principale' });
  const accountButton = (p: Page) => p.getByRole('banner').getByRole('button', { name: /^Compte :/ });

  /** The error shown next to a field: its text, and whether the control points at it (aria-describedby) and is invalid. */
  async function fieldError(p: Page, label: string) {
    const control = p.getByLabel(field(label));
    const ids = ((await control.getAttribute('aria-describedby')) ?? '').split(' ').filter(Boolean);
    const texts = await Promise.all(ids.map((id) => p.locator(`[id="${id}"].field-error`).allTextContents()));
    return { invalid: await control.getAttribute('aria-invalid'), error: texts.flat().join(' ') };
  }

  it('first run: « Bienvenue dans Sillon », the password rule followed live, the administrator created, the home page', async () => {
    await expect.poll(() => h1(page).textContent()).toBe('Bienvenue dans Sillon');
    expect(await page.getByRole('navigation').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel(field('Nom et prénom')).fill(ADMIN.name);
    await page.getByLabel(field('Identifiant')).fill(ADMIN.login);
    const password = page.getByLabel(field('Mot de passe'));
    const rule = page.getByTestId('password-rule');
    // 5 characters < 8; then 14 lower-case letters, one kind of three; then the login inside; then the rule met.
    for (const [typed, said] of [
      ['court', 'Mot de passe trop court : au moins 8 caractères.'],
      ['motdepasselong', 'Mot de passe trop simple : mêlez au moins trois sortes de caractères parmi minuscules, majuscules, chiffres et autres signes.'],
      ['C.Durand-2026', "Le mot de passe ne doit pas contenir l'identifiant."],
      [ADMIN.password, '✓ Mot de passe conforme à la règle.'],
    ] as const) {
      await password.fill(typed);
      await expect.poll(() => rule.textContent()).toBe(said);
    }
    // The rule is the password field's description: a screen reader reads it with the field.
    expect(await password.getAttribute('aria-describedby')).toContain(await rule.evaluate((e) => e.parentElement!.id));
    await page.getByLabel(field('Confirmez le mot de passe')).fill('Sillon-Admin-62');
    await page.screenshot({ path: artifactPath('accounts-first-run.png'), fullPage: true });
    await page.getByRole('button', { name: 'Créer mon compte et commencer' }).click();
    await expect.poll(() => fieldError(page, 'Confirmez le mot de passe')).toEqual({ invalid: 'true', error: 'Les deux mots de passe diffèrent : saisissez deux fois le même.' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('autocomplete'))).toBe('new-password');
    await page.getByLabel(field('Confirmez le mot de passe')).fill(ADMIN.password);
    await page.getByRole('button', { name: 'Créer mon compte et commencer' }).click();
    await expect.poll(() => h1(page).textContent()).toBe('Accueil');
    await settled(page);
    expect(await accountButton(page).innerText()).toContain(ADMIN.name);
    expect(await accountButton(page).textContent()).toContain('Administrateur');
    const accounts = await app.call('accounts.list');
    expect(accounts.map((a) => [a.login, a.name, a.role, a.active])).toEqual([[ADMIN.login, ADMIN.name, 'admin', true]]);
    // An administrator's menu has the administration's new entries.
    for (const name of ['Comptes', "Journal d'audit", 'Paramètres', 'Demandes de paiement']) expect(await nav(page).getByRole('link', { name, exact: true }).count(), name).toBe(1);
  });

  it('signs out; a wrong password is refused next to its field in French; the right one signs in again', async () => {
    await accountButton(page).click();
    expect(await accountButton(page).getAttribute('aria-expanded')).toBe('true');
    await page.screenshot({ path: artifactPath('accounts-menu.png') });
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await expect.poll(() => h1(page).textContent()).toBe('Connexion à Sillon');
    // No demo in this base: no list of demo accounts.
    expect(await page.getByRole('region', { name: 'Comptes de démonstration' }).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel(field('Identifiant')).fill(ADMIN.login);
    await page.getByLabel(field('Mot de passe')).fill('Sillon-Admin-27');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await expect.poll(() => fieldError(page, 'Mot de passe')).toEqual({ invalid: 'true', error: 'Identifiant ou mot de passe incorrect.' });
    // The focus is on the refused field, emptied for the next try.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('autocomplete'))).toBe('current-password');
    expect(await page.getByLabel(field('Mot de passe')).inputValue()).toBe('');
    await page.screenshot({ path: artifactPath('accounts-sign-in-refused.png'), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel(field('Mot de passe')).fill(ADMIN.password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await expect.poll(() => h1(page).textContent()).toBe('Accueil');
    await settled(page);
  });

  it('an administrator sets the lock delay and creates a tutor’s account, the tutor chosen from the existing ones', async () => {
    // The demo (two AFESTs with their tutors), and a bakery with its tutor and apprentice in AFEST, as the tutor's own.
    await app.call('demo.load', {});
    const company = await app.call('companies.save', { name: 'Boulangerie des Tilleuls (fictive)', siret: '99900900400014', city: 'Nantes', postcode: '44000' });
    const tutor = await app.call('afest.saveTutor', { companyId: company.id, lastName: 'Garnier', firstName: 'Luc', jobTitle: 'Chef boulanger' });
    tutorId = tutor.id;
    const action = await app.call('actions.save', { title: 'Boulanger — AFEST', plannedMinutes: 300 * 60, modality: 'afest' });
    const session = await app.call('sessions.save', { actionId: action.id, label: 'Boulangerie des Tilleuls', mode: 'cohort', capacity: 4, startDate: '2026-01-05', endDate: '2026-12-18' });
    const trainee = await app.call('trainees.save', { lastName: 'Marchal', firstName: 'Théo', birthDate: '2004-03-12' });
    const enrolment = await app.call('enrolments.create', { sessionId: session.id, traineeId: trainee.id, companyId: company.id, funderCode: 'REGION' });
    await app.call('afest.save', { enrolmentId: enrolment.id, title: 'AFEST boulanger', companyId: company.id, tutorId: tutor.id });
    expect((await app.call('afest.list', {})).length).toBe(3);

    // Settings: the lock delay, 20 minutes.
    await page.goto(`${app.url}#/parametres`);
    await settled(page);
    const delay = page.getByLabel(field('Verrouiller après (minutes)'));
    await expect.poll(() => delay.inputValue()).toBe('15');
    await delay.fill('300');
    await page.getByRole('button', { name: 'Enregistrer le délai' }).click();
    await expect.poll(() => fieldError(page, 'Verrouiller après (minutes)')).toEqual({ invalid: 'true', error: 'Verrouillage : au plus 240 minutes.' });
    await delay.fill('20');
    await page.getByRole('button', { name: 'Enregistrer le délai' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Délai enregistré' }).textContent()).toBe('Délai enregistré : les sessions se verrouillent après 20 minutes sans activité.');
    expect(await app.call('auth.settings')).toEqual({ lockAfterMinutes: 20 });
    await page.getByRole('region', { name: 'Verrouillage des sessions' }).screenshot({ path: artifactPath('accounts-lock-settings.png') });
    expect(await seriousViolations(page)).toEqual([]);

    await nav(page).getByRole('link', { name: 'Comptes', exact: true }).click();
    await expect.poll(() => h1(page).textContent()).toBe('Comptes');
    await settled(page);
    // The demo's six accounts and the administrator's own.
    await expect.poll(() => page.locator('#accounts-table tbody tr').count()).toBe(7);
    await page.getByRole('button', { name: 'Nouveau compte' }).click();
    const editor = page.getByRole('region', { name: 'Nouveau compte' });
    await editor.getByLabel(field('Nom et prénom')).fill(TUTOR.name);
    await editor.getByLabel(field('Identifiant')).fill(TUTOR.login);
    await editor.getByLabel(field('Rôle')).selectOption({ label: 'Tuteur' });
    // The role says what it may do; the tutor picker appears for it.
    expect(await editor.getByText('Uniquement ses apprenants en AFEST : séquences et évaluations.').count()).toBe(1);
    await editor.getByLabel(field('Mot de passe initial')).fill(TUTOR.password);
    await editor.getByRole('button', { name: 'Créer le compte' }).click();
    await expect.poll(() => fieldError(page, 'Tuteur')).toEqual({ invalid: 'true', error: 'Choisissez le tuteur.' });
    await editor.getByLabel(field('Tuteur')).selectOption({ label: 'GARNIER Luc — Boulangerie des Tilleuls (fictive)' });
    await page.screenshot({ path: artifactPath('accounts-editor.png'), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
    await editor.getByRole('button', { name: 'Créer le compte' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'créé' }).textContent()).toBe(`Compte de ${TUTOR.name} créé : identifiant «\u00a0${TUTOR.login}\u00a0».`);
    await expect.poll(() => page.locator('#accounts-table tbody tr').count()).toBe(8);
    const row = page.locator('#accounts-table tbody tr').filter({ hasText: TUTOR.login });
    expect(await row.innerText()).toMatch(/Luc Garnier\s+l\.garnier\s+Tuteur\s+Garnier Luc\s+Actif\s+—/);
    await page.screenshot({ path: artifactPath('accounts-list.png'), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
    const saved = (await app.call('accounts.list')).find((a) => a.login === TUTOR.login)!;
    expect(saved).toMatchObject({ name: TUTOR.name, role: 'tutor', tutorId, trainerId: null, active: true, hasPin: false });
  });

  it('the tutor signs in on another browser and sees only what a tutor may: their own learner', async () => {
    tutorScreen = await openScreen(app, { signedIn: false, viewport: { width: 1280, height: 900 }, timezoneId: 'Europe/Paris', clock: Date.now() });
    const tab = tutorScreen.page;
    await expect.poll(() => h1(tab).textContent()).toBe('Connexion à Sillon');
    // The demo is loaded: its six accounts and their password are listed.
    const demo = tab.getByRole('region', { name: 'Comptes de démonstration' });
    expect(await demo.locator('.demo-login .mono').allTextContents()).toEqual(['admin', 'manager', 'staff', 'trainer', 'tutor', 'auditor']);
    expect(await demo.textContent()).toContain('Mot de passe de tous ces comptes : demo');
    expect(await seriousViolations(tab)).toEqual([]);
    await tab.screenshot({ path: artifactPath('accounts-sign-in-demo.png'), fullPage: true });
    await tab.getByLabel(field('Identifiant')).fill(TUTOR.login);
    await tab.getByLabel(field('Mot de passe')).fill(TUTOR.password);
    await tab.getByRole('button', { name: 'Se connecter' }).click();
    await expect.poll(() => h1(tab).textContent()).toBe('Accueil');
    await settled(tab);
    // The menu: a tutor has organisation.read, afest.read and afest.write: AFEST and Mode tuteur, nothing else.
    expect(await nav(tab).getByRole('link').allTextContents()).toEqual(['Accueil', 'AFEST', 'Mode tuteur']);
    expect(await nav(tab).getByRole('link', { name: 'Demandes de paiement' }).count()).toBe(0);
    // The home page: their learner, and not a single refusal.
    const learners = tab.getByRole('region', { name: 'Vos apprenants en AFEST' });
    expect(await learners.getByRole('listitem').allInnerTexts()).toEqual([expect.stringMatching(/Marchal[\s\S]*AFEST boulanger/i)]);
    expect(await tab.getByRole('alert').count()).toBe(0);
    expect(await seriousViolations(tab)).toEqual([]);
    await tab.screenshot({ path: artifactPath('accounts-tutor-home.png'), fullPage: true });
    // Tutor mode is theirs: no « Qui êtes-vous ? », no « Changer de tuteur », but « Se déconnecter ».
    await learners.getByRole('link', { name: 'Ouvrir le mode tuteur' }).click();
    await expect.poll(() => h1(tab).textContent()).toBe(`Vos apprenants, ${TUTOR.name}`);
    expect(await tab.locator('li.tutor-learner').count()).toBe(1);
    expect(await tab.getByRole('button', { name: 'Changer de tuteur' }).count()).toBe(0);
    expect(await tab.getByRole('banner').getByRole('button', { name: 'Se déconnecter' }).count()).toBe(1);
    // The AFEST list: one AFEST of three, theirs; no « Nouvelle AFEST », no programmes' rules.
    await tab.getByRole('link', { name: 'Quitter le mode tuteur' }).click();
    await expect.poll(() => h1(tab).textContent()).toBe('AFEST');
    await settled(tab);
    const rows = tab.locator('#afest-table tbody tr');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().innerText()).toMatch(/Marchal/i);
    expect(await tab.getByRole('button', { name: 'Nouvelle AFEST' }).count()).toBe(0);
    expect(await tab.getByRole('alert').count()).toBe(0);
    // A typed address the role cannot use says so; the backend refuses the call itself, in French.
    await tab.goto(`${app.url}#/demandes`);
    await expect.poll(() => h1(tab).textContent()).toBe('Accès non autorisé');
    expect(await tab.getByText('Votre rôle (Tuteur) ne donne pas accès à cette page.').count()).toBe(1);
    const refused = await tab.evaluate(async () => (await fetch('/api/claims.list', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json());
    expect(refused).toEqual({ ok: false, error: { code: 'forbidden', message: "Votre rôle (tuteur) ne permet pas de consulter les demandes de paiement : opération refusée, rien n'a été modifié." } });
  });

  it('the tutor chooses a PIN; after 20 minutes idle the session locks, and the PIN unlocks it where it was', async () => {
    const tab = tutorScreen.page;
    await tab.goto(`${app.url}#/`);
    await settled(tab);
    await accountButton(tab).click();
    await tab.getByRole('link', { name: 'Mon compte' }).click();
    await expect.poll(() => h1(tab).textContent()).toBe('Mon compte');
    await settled(tab);
    expect(await tab.getByTestId('account-pin-status').textContent()).toBe("Vous n'avez pas de code PIN : seul votre mot de passe déverrouille votre session.");
    const pinPanel = tab.getByRole('region', { name: 'Code PIN de déverrouillage' });
    await pinPanel.getByLabel(field('Code PIN')).fill(TUTOR.pin);
    await pinPanel.getByLabel(field('Mot de passe actuel')).fill(TUTOR.password);
    await pinPanel.getByRole('button', { name: 'Enregistrer le code PIN' }).click();
    await expect.poll(() => tab.getByTestId('account-pin-status').textContent()).toBe('Vous avez un code PIN.');
    expect(await seriousViolations(tab)).toEqual([]);
    await tab.screenshot({ path: artifactPath('accounts-my-account.png'), fullPage: true });
    // Something typed and not saved: it must still be there after the lock.
    await tab.getByRole('region', { name: 'Changer de mot de passe' }).getByLabel(field('Mot de passe actuel')).fill('en cours');

    // 20 minutes without touching anything (the browser's clock; the backend's has not moved).
    await tab.clock.fastForward('20:01');
    await expect.poll(() => h1(tab).textContent()).toBe(`Session verrouillée — ${TUTOR.name}`);
    expect(await tab.getByRole('navigation').isVisible()).toBe(false);
    expect(await seriousViolations(tab)).toEqual([]);
    await tab.screenshot({ path: artifactPath('accounts-lock.png'), fullPage: true });
    const keypad = tab.getByRole('group', { name: 'Clavier numérique' });
    for (const d of '1111') await keypad.getByRole('button', { name: d, exact: true }).click();
    await tab.getByRole('button', { name: 'Déverrouiller' }).click();
    // Three wrong PINs allowed on a locked session: after the first, two left.
    await expect.poll(() => fieldError(tab, 'Code PIN')).toEqual({ invalid: 'true', error: 'Code PIN incorrect (encore 2 essais).' });
    for (const d of TUTOR.pin) await keypad.getByRole('button', { name: d, exact: true }).click();
    await tab.getByRole('button', { name: 'Déverrouiller' }).click();
    await expect.poll(() => h1(tab).textContent()).toBe('Mon compte');
    expect(await tab.getByRole('region', { name: 'Changer de mot de passe' }).getByLabel(field('Mot de passe actuel')).inputValue()).toBe('en cours');
    expect(tutorScreen.errors).toEqual([]);
  });

  it('the audit log lists the sign-ins and the account’s creation, filters them and exports a CSV', async () => {
    await page.goto(`${app.url}#/journal`);
    await expect.poll(() => h1(page).textContent()).toBe("Journal d'audit");
    await settled(page);
    const table = page.locator('#audit-table tbody');
    const text = await table.innerText();
    for (const expected of ['Premier compte créé', 'Compte créé', `Compte créé : ${TUTOR.name} (${TUTOR.login}, tuteur).`, 'Verrouillage', 'Déverrouillage', 'Code PIN incorrect.', 'Identifiant ou mot de passe incorrect.']) {
      expect(text, expected).toContain(expected);
    }
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: artifactPath('accounts-audit.png'), fullPage: true });
    // Only the sign-ins: the administrator's failed one and the successful one, then the tutor's.
    await page.getByLabel(field('Action')).selectOption({ label: 'Connexion' });
    await page.getByRole('button', { name: 'Filtrer', exact: true }).click();
    await expect.poll(() => page.getByRole('heading', { name: /événements? affichés?/ }).textContent()).toBe('3 événements affichés');
    const rows = await table.locator('tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('th, td')].slice(1, 4).map((c) => (c as HTMLElement).innerText.replace(/\s+/g, ' ').trim())));
    expect(rows).toEqual([
      [`${TUTOR.name} ${TUTOR.login}`, 'Connexion', 'Réussi'],
      [`${ADMIN.name} ${ADMIN.login}`, 'Connexion', 'Réussi'],
      [`${ADMIN.name} ${ADMIN.login}`, 'Connexion', 'Échec'],
    ]);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Exporter en CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^journal-audit-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    const lines = csv.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    expect(lines[0]).toBe('Date et heure;Compte;Identifiant saisi;Action;Résultat;Détail;Objet;Identifiant de l’objet;Méthode');
    expect(lines).toHaveLength(4);
    expect(lines.slice(1).every((l) => l.includes(';Connexion;'))).toBe(true);
    expect(lines.filter((l) => l.includes(';échec;'))).toHaveLength(1);
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'exporté' }).textContent()).toBe(`3 événements exportés dans ${download.suggestedFilename()}.`);
  });

  it('a disabled account is signed out everywhere: the tutor’s next click lands on the sign-in page', async () => {
    await page.goto(`${app.url}#/comptes`);
    await settled(page);
    await page.locator('#accounts-table tbody tr').filter({ hasText: TUTOR.login }).getByRole('button', { name: /^Modifier/ }).click();
    const editor = page.getByRole('region', { name: `Modifier le compte de ${TUTOR.name}` });
    await editor.getByRole('button', { name: 'Désactiver le compte…' }).click();
    const confirm = editor.getByRole('group', { name: /^Désactiver le compte de Luc Garnier \?/ });
    expect(await seriousViolations(page)).toEqual([]);
    await confirm.getByRole('button', { name: 'Oui, désactiver' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'désactivé' }).textContent()).toBe(`Compte de ${TUTOR.name} désactivé : ses sessions sont fermées.`);
    expect((await app.call('accounts.list')).find((a) => a.login === TUTOR.login)!.active).toBe(false);

    const tab = tutorScreen.page;
    await nav(tab).getByRole('link', { name: 'AFEST', exact: true }).click();
    await expect.poll(() => h1(tab).textContent()).toBe('Connexion à Sillon');
    expect(await tab.getByRole('status').filter({ hasText: 'Votre session a pris fin' }).count()).toBe(1);
    // The refused call itself shows as a failed request in the console (HTTP 401): that is the backend's answer.
    expect(tutorScreen.errors.filter((e) => !/status of 401/.test(e))).toEqual([]);
    await tab.getByLabel(field('Identifiant')).fill(TUTOR.login);
    await tab.getByLabel(field('Mot de passe')).fill(TUTOR.password);
    await tab.getByRole('button', { name: 'Se connecter' }).click();
    await expect.poll(() => fieldError(tab, 'Identifiant')).toEqual({ invalid: 'true', error: "Ce compte est désactivé : adressez-vous à l'administrateur de Sillon de votre organisme." });
    expect(admin.errors).toEqual([]);
  });
});

describe('the first run’s other way: the demo, and its accounts', () => {
  let app: Running;
  let screen: AppScreen;
  let page: Page;

  beforeAll(async () => {
    ensureRendererBuilt();
    app = await startApp({ setup: false });
    screen = await openScreen(app, { signedIn: false });
    page = screen.page;
  });

  afterAll(async () => {
    await screen?.close();
    await app?.stop();
  });

  it('« Découvrir avec les données de démonstration » signs in as the demo’s administrator, and the home page lists its accounts', async () => {
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Bienvenue dans Sillon');
    await page.getByRole('button', { name: 'Découvrir avec les données de démonstration' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent(), { timeout: 60_000 }).toBe('Accueil');
    await settled(page);
    expect(await page.getByRole('banner').getByRole('button', { name: /^Compte :/ }).innerText()).toContain('Claire Vasseur');
    const demo = page.getByRole('region', { name: 'Comptes de démonstration' });
    expect(await demo.getByRole('listitem').allInnerTexts()).toEqual([
      'admin — Administrateur',
      'manager — Responsable',
      'staff — Personnel du centre',
      'trainer — Formateur',
      'tutor — Tuteur',
      'auditor — Auditeur',
    ]);
    expect(await demo.textContent()).toContain('Mot de passe de tous ces comptes : demo');
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: artifactPath('accounts-demo-home.png'), fullPage: true });
  });

  it('the demo’s trainer lands on the day’s roll calls, with no refusal and no menu entry beyond their role', async () => {
    await page.getByRole('banner').getByRole('button', { name: /^Compte :/ }).click();
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Connexion à Sillon');
    await page.getByRole('region', { name: 'Comptes de démonstration' }).getByRole('button', { name: /^trainer/ }).click();
    expect(await page.getByLabel(/^Identifiant/).inputValue()).toBe('trainer');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Accueil');
    await settled(page);
    expect(await page.getByRole('region', { name: 'À faire aujourd’hui', exact: true }).isVisible()).toBe(true);
    expect(await page.getByRole('alert').count()).toBe(0);
    // trainer: organisation, catalogue, sessions, attendance (read, write), afest (read, write) — by hand from ROLE_PERMISSIONS.
    expect(await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link').allTextContents()).toEqual([
      'Accueil', 'Émargement', 'Sessions', 'AFEST', 'Mode tuteur', 'Contrôles', 'Vérifier un document', 'Actions', 'Lieux',
    ]);
    await page.screenshot({ path: artifactPath('accounts-trainer-home.png'), fullPage: true });
    expect(screen.errors).toEqual([]);
  });
});
