#!/usr/bin/env node
/**
 * Sillon's headless entry point over the same services as the app:
 *   npm run cli -- <command> [--data-dir DIR]
 * Exit code 0 on success; errors go to stderr in French, naming the field.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { AppError } from '../../shared/errors';
import { isoDate } from '../../shared/schemas/common';
import type { MethodOutput } from '../../shared/contract';
import { call } from './cli-call';
import { toApiError } from './dispatch';
import { startBackend, type Backend } from './backend';
import { resolveDataDir } from './paths';
import { signInForCommand, type SignedIn, CLI_AUTH_HELP } from './auth/cli-auth';
import { SYNC_HELP, syncCommand } from './sync/cli-sync';
import { CLAIMS_HELP, claimsCommand } from './claims/cli-claims';
import { AFEST_HELP, afestCommand } from './afest/cli-afest';
import { BACKUP_HELP, backupCommand, restoreCommand } from './backup/cli-backup';

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
  print week-sheet --session ID --week AAAA-MM-JJ --out F.pdf
                       imprime la feuille d'émargement de la semaine (signée, comme dans l'application)
  print blank-sheet --session ID --week AAAA-MM-JJ --out F.pdf
                       imprime la feuille vierge de la semaine (secours papier)
  print statement --enrolment ID --month AAAA-MM --out F.pdf
                       imprime le relevé mensuel de présence d'une inscription
${SYNC_HELP}${CLAIMS_HELP}${AFEST_HELP}${BACKUP_HELP}
Options :
  --data-dir DIR       dossier de données (sinon SILLON_DATA_DIR, sinon le dossier utilisateur)
${CLI_AUTH_HELP}
Un seul Sillon écrit à la fois dans un dossier de données : tant que l'application ou l'aperçu y est
ouvert, les commandes qui écrivent (init, demo, import, sync, print, afest : chaque impression est enregistrée) sont refusées ; info, export et verify,
qui ne font que lire, restent possibles.
`;

/** Commands that only read: they run beside an open app, without taking the data folder's lock. */
const READ_ONLY = new Set(['info', 'export', 'verify']);

type Opts = {
  out?: string | undefined; document?: string | undefined; url?: string | undefined; token?: string | undefined; name?: string | undefined;
  session?: string | undefined; week?: string | undefined; enrolment?: string | undefined; month?: string | undefined;
  funder?: string | undefined; from?: string | undefined; to?: string | undefined; programme?: string | undefined; json?: boolean | undefined;
};

/** What `print` can print: the app's own document kinds, through the same methods. */
const PRINT_KINDS = ['week-sheet', 'blank-sheet', 'statement'] as const;

/** A required option, or a French error naming it. */
function option(opts: Opts, key: 'session' | 'week' | 'enrolment' | 'month' | 'out', example: string): string {
  const value = opts[key]?.trim();
  if (!value) throw new AppError('validation', `Option --${key} manquante (ex. --${key} ${example}).`, [{ path: key, message: `Option --${key} manquante.` }]);
  return value;
}

/** `print <kind>`: the document through the app's dispatch, signed the same way, written to --out. */
async function printCommand(b: Backend, args: string[], opts: Opts): Promise<void> {
  const kind = args[0];
  if (!kind || !(PRINT_KINDS as readonly string[]).includes(kind)) {
    throw new AppError('validation', `Document à imprimer ${kind ? `inconnu « ${kind} »` : 'manquant'} : ${PRINT_KINDS.join(', ')} (ex. npm run cli -- print week-sheet --session ID --week 2026-11-23 --out feuille.pdf).`);
  }
  const out = option(opts, 'out', 'document.pdf');
  let doc: MethodOutput<'documents.attendanceSheet'>;
  if (kind === 'statement') {
    const enrolmentId = option(opts, 'enrolment', 'ID');
    const month = option(opts, 'month', '2026-11');
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new AppError('validation', `Option --month invalide « ${month} » : mois AAAA-MM attendu (ex. 2026-11).`, [{ path: 'month', message: 'Mois AAAA-MM attendu.' }]);
    doc = await call(b, 'documents.monthlyStatement', { enrolmentId, month });
  } else {
    const sessionId = option(opts, 'session', 'ID');
    const week = option(opts, 'week', '2026-11-23');
    if (!isoDate.safeParse(week).success) {
      throw new AppError('validation', `Option --week invalide « ${week} » : date AAAA-MM-JJ attendue, un jour de la semaine à imprimer (ex. 2026-11-23).`, [{ path: 'week', message: 'Date AAAA-MM-JJ attendue.' }]);
    }
    doc = await call(b, kind === 'week-sheet' ? 'documents.attendanceSheet' : 'documents.blankSheet', { sessionId, weekStart: week });
  }
  const bytes = Buffer.from(doc.base64, 'base64');
  try {
    writeFileSync(out, bytes);
  } catch (e) {
    throw new AppError('validation', `Option --out : impossible d'écrire ${out} (${(e as Error).message}).`, [{ path: 'out', message: 'Fichier impossible à écrire.' }]);
  }
  process.stdout.write(`Document signé écrit dans ${out} (${Math.ceil(bytes.length / 1024)} Ko, empreinte ${doc.shortHash}, proposé à l'origine sous le nom ${doc.fileName}).\n`);
}
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
    process.stdout.write('Demande de paiement prête à valider : Région Normandie, #Avenir (npm run cli -- claims list).\n');
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
  claims: (b, args, opts) => claimsCommand(b, args, opts),
  afest: (b, args, opts) => afestCommand(b, args, opts),
  backup: (b, args, opts) => backupCommand(b, args, opts),
  print: printCommand,
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
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { 'data-dir': { type: 'string' }, out: { type: 'string' }, document: { type: 'string' }, url: { type: 'string' }, token: { type: 'string' }, name: { type: 'string' }, session: { type: 'string' }, week: { type: 'string' }, enrolment: { type: 'string' }, month: { type: 'string' }, funder: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, programme: { type: 'string' }, json: { type: 'boolean' }, user: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
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
  // restore replaces the database file: it runs on the closed file under the folder's lock, with no backend open.
  if (name === 'restore') return restoreCommand(parsed.values['data-dir'] ?? resolveDataDir([], process.env), args);
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!command) {
    process.stderr.write(`Erreur : commande inconnue « ${name} ».\n${HELP}`);
    return 2;
  }
  const dataDir = parsed.values['data-dir'] ?? resolveDataDir([], process.env);
  let backend: Backend | undefined;
  let signedIn: SignedIn | undefined;
  try {
    backend = await startBackend(dataDir, { lock: READ_ONLY.has(name) ? false : 'cli' });
    signedIn = await signInForCommand(backend, name, parsed.values.user, { name: parsed.values.name });
    await command(signedIn.backend, args, { out: parsed.values.out, document: parsed.values.document, url: parsed.values.url, token: parsed.values.token, name: parsed.values.name, session: parsed.values.session, week: parsed.values.week, enrolment: parsed.values.enrolment, month: parsed.values.month, funder: parsed.values.funder, from: parsed.values.from, to: parsed.values.to, programme: parsed.values.programme, json: parsed.values.json });
    return 0;
  } catch (e) {
    const api = toApiError(e);
    process.stderr.write(`Erreur : ${api.message}\n`);
    for (const issue of ('issues' in api ? (api.issues ?? []) : []).slice(1, 20)) process.stderr.write(`  - ${issue.message}\n`);
    return e instanceof AppError && e.exitCode ? e.exitCode : 1;
  } finally {
    await signedIn?.signOut();
    await backend?.close();
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
