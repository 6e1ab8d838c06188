#!/usr/bin/env node
/**
 * Sillon's headless entry point over the same services as the app:
 *   npm run cli -- <command> [--data-dir DIR]
 * Exit code 0 on success; errors go to stderr in French, naming the field.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { AppError } from '../../shared/errors';
import { toApiError } from './dispatch';
import { startBackend, type Backend } from './backend';
import { inTransaction } from './context';
import { resolveDataDir } from './paths';
import { withRaw } from './db/raw';
import { verifyLedger } from './evidence/verify';
import { verifyPrintedDocument } from './documents/verify';
import { exportLines, importLines } from './transfer/transfer';
import { SYNC_HELP, syncCommand } from './sync/cli-sync';

const HELP = `Sillon — ligne de commande

Usage : npm run cli -- <commande> [options]

Commandes :
  init                 crée (ou met à jour) la base du dossier de données
  demo                 charge les données de démonstration (base vide)
  import <fichier>     importe un fichier JSON Lines (voir docs/import-format.md) ; tout ou rien
  export [--out F]     exporte toutes les données au même format (sortie standard par défaut)
  info                 affiche le dossier de données, la version du schéma et les effectifs
  verify               vérifie le registre infalsifiable des preuves (code 0 si intact, 3 sinon)
  verify --document H  vérifie un document imprimé par son empreinte courte (QR code) :
                       code 0 si authentique et inchangé, 4 si les données ont changé depuis
${SYNC_HELP}
Options :
  --data-dir DIR       dossier de données (sinon SILLON_DATA_DIR, sinon le dossier utilisateur)
`;

type Opts = { out?: string | undefined; document?: string | undefined; url?: string | undefined; token?: string | undefined; name?: string | undefined };
type Command = (backend: Backend, args: string[], opts: Opts) => Promise<void>;

const commands: Record<string, Command> = {
  async init(b) {
    const info = await b.dispatch('system.info', {});
    if (!info.ok) throw new AppError(info.error.code, info.error.message);
    const v = info.value as { schemaVersion: number; dataDir: string };
    process.stdout.write(`Base prête dans ${v.dataDir} (schéma ${v.schemaVersion}).\n`);
  },
  async demo(b) {
    const r = await b.dispatch('demo.load', {});
    if (!r.ok) throw new AppError(r.error.code, r.error.message);
    const c = r.value as Record<string, number>;
    process.stdout.write(`Données de démonstration chargées : ${c.actions} actions, ${c.sessions} sessions, ${c.slots} créneaux, ${c.trainees} stagiaires, ${c.enrolments} inscriptions.\n`);
  },
  async import(b, args) {
    const file = args[0];
    if (!file) throw new AppError('validation', 'Indiquez le fichier à importer : npm run cli -- import <fichier.jsonl>.');
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new AppError('validation', `Fichier illisible : ${file} (${(e as Error).message}).`);
    }
    const report = await importLines(b.ctx, text);
    const parts = Object.entries(report.created).map(([k, n]) => `${n} ${k}`);
    process.stdout.write(`Import réussi : ${report.lines} lignes (${parts.join(', ')}).\n`);
  },
  async export(b, _args, opts) {
    const text = await inTransaction(b.ctx, (tx) => exportLines(tx));
    if (opts.out) {
      writeFileSync(opts.out, text);
      process.stdout.write(`Export écrit dans ${opts.out} (${text.split('\n').length - 1} lignes).\n`);
    } else {
      process.stdout.write(text);
    }
  },
  async verify(b, _args, opts) {
    if (opts.document) {
      const found = await verifyPrintedDocument(b.ctx, opts.document);
      if (!found.ok) throw new AppError(found.status === 'unknown' || found.status === 'invalid' ? 'not_found' : 'business', found.message, undefined, found.exitCode);
      process.stdout.write(`${found.message}\n`);
      return;
    }
    const report = await withRaw(b.ctx.db, (raw) => verifyLedger(raw));
    if (report.ok) {
      process.stdout.write(`Registre intact : ${report.entries} entrées vérifiées.\n`);
      return;
    }
    process.stderr.write(`Registre altéré : ${report.problems.length} problème(s) sur ${report.entries} entrées.\n`);
    for (const p of report.problems.slice(0, 20)) process.stderr.write(`  - ${p.message}\n`);
    throw new AppError('business', `Première entrée en cause : ${report.first!.message}`, undefined, 3);
  },
  sync: (b, args, opts) => syncCommand(b, args, opts),
  async info(b) {
    const count = async (t: 'actions' | 'sessions' | 'slots' | 'trainees' | 'enrolments') =>
      Number((await b.ctx.db.selectFrom(t).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    process.stdout.write(
      `Dossier de données : ${b.ctx.dataDir}\nActions : ${await count('actions')}\nSessions : ${await count('sessions')}\nCréneaux : ${await count('slots')}\nStagiaires : ${await count('trainees')}\nInscriptions : ${await count('enrolments')}\n`,
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
  if (!name || parsed.values.help) {
    process.stdout.write(HELP);
    return name ? 0 : parsed.values.help ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`Erreur : commande inconnue « ${name} ».\n${HELP}`);
    return 2;
  }
  const dataDir = parsed.values['data-dir'] ?? resolveDataDir([], process.env);
  let backend: Backend | undefined;
  try {
    backend = await startBackend(dataDir);
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
