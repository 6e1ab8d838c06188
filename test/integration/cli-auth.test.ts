import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';

/**
 * The CLI signs in like the app: `--user` (or SILLON_USER) and the password from the terminal or SILLON_PASSWORD;
 * a folder without accounts runs only `init` and `demo`, and `init --user` makes its first administrator. Child
 * processes, a real data folder.
 */
let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'sillon-cli-auth-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('CLI sign-in', { timeout: 240_000 }, () => {
  it('init --user creates the first administrator; then every command wants that account and its password', async () => {
    const dir = join(tmp, 'first');
    // No account yet: reading the folder needs one, and the error says how to make it.
    const before = await runCli(['info', '--data-dir', dir], { credentials: false });
    expect(before.code).toBe(1);
    expect(before.stderr).toMatch(/^Erreur : Ce dossier de données n’a encore aucun compte : créez le premier administrateur \(npm run cli -- init --user/);

    const weak = await runCli(['init', '--user', 'cvasseur', '--name', 'Claire Vasseur', '--data-dir', dir], { credentials: false, env: { SILLON_PASSWORD: 'court' } });
    expect(weak.code).toBe(1);
    expect(weak.stderr).toContain('Mot de passe — Mot de passe trop court : au moins 8 caractères.');

    const init = await runCli(['init', '--user', 'cvasseur', '--name', 'Claire Vasseur', '--data-dir', dir], { credentials: false, env: { SILLON_PASSWORD: 'Atelier-2026!' } });
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain('Premier compte administrateur créé : cvasseur.');

    const noUser = await runCli(['info', '--data-dir', dir], { credentials: false });
    expect(noUser.code).toBe(1);
    expect(noUser.stderr).toContain('Option --user manquante : indiquez votre identifiant Sillon (ou la variable SILLON_USER).');
    // No terminal to ask on (the test's stdin is a pipe) and no SILLON_PASSWORD: said, not hung.
    const noPassword = await runCli(['info', '--user', 'cvasseur', '--data-dir', dir], { credentials: false });
    expect(noPassword.code).toBe(1);
    expect(noPassword.stderr).toContain('Mot de passe de « cvasseur » : aucun terminal pour le demander ; indiquez-le dans la variable SILLON_PASSWORD.');
    const wrong = await runCli(['info', '--data-dir', dir], { credentials: { login: 'cvasseur', password: 'Faux-2026!' } });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('Erreur : Identifiant ou mot de passe incorrect.');
    const right = await runCli(['info', '--data-dir', dir], { credentials: { login: 'cvasseur', password: 'Atelier-2026!' } });
    expect(right.code, right.stderr).toBe(0);
    expect(right.stdout).toContain('Sessions : 0');
  });

  it('the demo needs no account on an empty folder; its trainer may not export everything', async () => {
    const dir = join(tmp, 'demo');
    expect((await runCli(['demo', '--data-dir', dir], { credentials: false })).code).toBe(0);
    const refused = await runCli(['export', '--data-dir', dir], { credentials: { login: 'trainer', password: 'demo' } });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Erreur : Votre rôle (formateur) ne permet pas de exporter des données : opération refusée, rien n\'a été modifié.');
    const manager = await runCli(['afest', 'list', '--json', '--data-dir', dir], { credentials: { login: 'manager', password: 'demo' } });
    expect(manager.code, manager.stderr).toBe(0);
    expect(JSON.parse(manager.stdout)).toHaveLength(2);
  });
});
