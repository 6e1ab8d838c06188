#!/usr/bin/env node
/**
 * Sillon's headless entry point over the same services as the app:
 *   npm run cli -- <command> [--data-dir DIR]
 * Exit code 0 on success; errors go to stderr in French, naming the field.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { AppError } from '../../shared/errors';
import type { MethodOutput } from '../../shared/contract';
import { call } from './cli-call';
import { toApiError } from './dispatch';
import { startBackend, type Backend } from './backend';
import { resolveDataDir } from './paths';
import { SYNC_HELP, syncCommand } from './sync/cli-sync';

const HELP = `Sillon — ligne de commande

Usage : npm run cli -- <commande> [options]

Commandes :
  init                 crée (ou met à jour) la base du dossier de données
  demo                 charge les données de démonstration (base vide)
  import <fichier>     importe un fichier JSON Lines (voir docs/import-format.md) ; tout ou rien
  export [--out F]     exporte toutes les données au même format (sortie standard par défaut)
  help                 affiche cette aide
  info                 affiche le dossier de données, la version du schéma et les effectifs
  verify               vérifie le registre infalsifiable des preuves (code 0 si intact, 3 sinon)
  verify --document H  vérifie un document imprimé par son empreinte courte (QR code) :
                       code 0 si authentique et inchangé, 4 si les données ont changé depuis
${SYNC_HELP}
Options :
  --data-dir DIR       dossier de données (sinon SILLON_DATA_DIR, sinon le dossier utilisateur)

Un seul Sillon écrit à la fois dans un dossier de données : tant que l'application ou l'aperçu y est
ouvert, les commandes qui écrivent (init, demo, import, sync) sont refusées ; info, export et verify,
qui ne font que lire, restent possibles.
`;

/** Commands that only read: they run beside an open app, without taking the data folder's lock. */
const READ_ONLY = new Set(['info', 'export', 'verify']);

type Opts = { out?: string | undefined; document?: string | undefined; url?: string | undefined; token?: string | undefined; name?: string | undefined };
type Command = (backend: Backend, args: string[], opts: Opts) => Promise<void>;

/** Exit codes of `verify --document`, by the document's status (documented in the help above). */
const DOCUMENT_EXIT: Record<MethodOutput<'documents.verify'>['status'], number> = { unchanged: 0, changed: 4, tampered: 3, unknown: 1, invalid: 1 };

const commands: Record<string, Command> = {
  async init(b) {
    const v = await call(b, 'system.info', {});
    process.stdout.write(`Base prête dans ${v.dataDir} (schéma ${v.schemaVersion}).\n`);
  },
  async demo(b) {
    const c = await call(b, 'demo.load', {});
    process.stdout.write(`Données de démonstration chargées : ${c.actions} actions, ${c.sessions} sessions, ${c.slots} créneaux, ${c.trainees} stagiaires, ${c.enrolments} inscriptions.\n`);
  },
  async import(b, args) {
    const file = args[0];
    if (!file) throw new AppError('validation', 'Indiquez le fichier à importer : npm run cli -- import <fichier.jsonl>.');
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new AppError('validation', `Fichier illisible : ${file} (${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'introuvable' : (e as Error).message}).`);
    }
    const report = await call(b, 'data.import', { text });
    const parts = Object.entries(report.created).map(([k, n]) => `${n} ${k}`);
    process.stdout.write(`Import réussi : ${report.lines} lignes (${parts.join(', ')}).\n`);
  },
  async export(b, _args, opts) {
    const { text, lines } = await call(b, 'data.export', {});
    if (opts.out) {
      writeFileSync(opts.out, text);
      process.stdout.write(`Export écrit dans ${opts.out} (${lines} lignes).\n`);
    } else {
      process.stdout.write(text);
    }
  },
  async verify(b, _args, opts) {
    if (opts.document) {
      const found = await call(b, 'documents.verify', { shortHash: opts.document });
      if (!found.ok) throw new AppError(found.status === 'unknown' || found.status === 'invalid' ? 'not_found' : 'business', found.message, undefined, DOCUMENT_EXIT[found.status]);
      process.stdout.write(`${found.message}\n`);
      return;
    }
    const report = await call(b, 'ledger.verify', {});
    for (const note of report.notes) process.stdout.write(`${note}\n`);
    if (report.ok) {
      process.stdout.write(`Registre intact : ${report.entries} entrées vérifiées.\n`);
      return;
    }
    process.stderr.write(`Registre altéré : ${report.problems.length} problème(s) sur ${report.entries} entrées.\n`);
    for (const p of report.problems.slice(0, 20)) process.stderr.write(`  - ${p.message}\n`);
    throw new AppError('business', `Première entrée en cause : ${report.problems[0]!.message}`, undefined, 3);
  },
  sync: (b, args, opts) => syncCommand(b, args, opts),
  async info(b) {
    const v = await call(b, 'system.info', {});
    const c = await call(b, 'system.counts', {});
    process.stdout.write(
      `Dossier de données : ${v.dataDir}\nVersion du schéma : ${v.schemaVersion}\nActions : ${c.actions}\nSessions : ${c.sessions}\nCréneaux : ${c.slots}\nStagiaires : ${c.trainees}\nInscriptions : ${c.enrolments}\n`,
    );
  },
};

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { 'data-dir': { type: 'string' }, out: { type: 'string' }, document: { type: 'string' }, url: { type: 'string' }, token: { type: 'string' }, name: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (e) {
    process.stderr.write(`Erreur : option invalide — ${(e as Error).message}\n`);
    return 2;
  }
  const [name, ...args] = parsed.positionals;
  if (!name || name === 'help' || parsed.values.help) {
    process.stdout.write(HELP);
    return name || parsed.values.help ? 0 : 2;
  }
  // Own keys only: "constructor" or "toString" are not commands.
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!command) {
    process.stderr.write(`Erreur : commande inconnue « ${name} ».\n${HELP}`);
    return 2;
  }
  const dataDir = parsed.values['data-dir'] ?? resolveDataDir([], process.env);
  let backend: Backend | undefined;
  try {
    backend = await startBackend(dataDir, { lock: READ_ONLY.has(name) ? false : 'cli' });
    await command(backend, args, { out: parsed.values.out, document: parsed.values.document, url: parsed.values.url, token: parsed.values.token, name: parsed.values.name });
    return 0;
  } catch (e) {
    const api = toApiError(e);
    process.stderr.write(`Erreur : ${api.message}\n`);
    for (const issue of ('issues' in api ? (api.issues ?? []) : []).slice(1, 20)) process.stderr.write(`  - ${issue.message}\n`);
    return e instanceof AppError && e.exitCode ? e.exitCode : 1;
  } finally {
    await backend?.close();
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
