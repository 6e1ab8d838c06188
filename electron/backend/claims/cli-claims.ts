/**
 * `npm run cli -- claims …`: the claim services through the app's dispatch (electron/backend/cli.ts).
 *   claims build --funder CODE --from AAAA-MM-JJ --to AAAA-MM-JJ [--programme CODE] [--json]
 *   claims list [--json] · claims show ID [--json] · claims validate ID · claims export ID --out DOSSIER
 * Output on stdout (`write`, injectable for tests); errors are thrown as AppError (French, naming the option).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClaimPage } from '../../../shared/contract/claims';
import { isoToDisplay } from '../../../shared/domain/date-text';
import { AppError } from '../../../shared/errors';
import { formatCents, formatQuantityE4 } from '../../../shared/format/money';
import { isoDate } from '../../../shared/schemas/common';
import type { Backend } from '../backend';
import { call } from '../cli-call';

export const CLAIMS_HELP = `  claims build --funder CODE --from AAAA-MM-JJ --to AAAA-MM-JJ [--programme CODE] [--json]
                       calcule une demande de paiement (brouillon) : identifiant, lignes, total, points bloquants
  claims list [--json] liste les demandes de paiement
  claims show ID [--json]
                       affiche une demande : lignes, contrôles, historique, écart avec les présences du jour
  claims validate ID   valide (fige) la demande : numéro de facture, documents, envoi aux financeurs
  claims export ID --out DOSSIER
                       écrit le dossier ZIP de la demande validée dans DOSSIER et affiche son chemin
`;

export interface ClaimsOpts {
  funder?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  programme?: string | undefined;
  out?: string | undefined;
  json?: boolean | undefined;
}


function required(opts: ClaimsOpts, key: 'funder' | 'from' | 'to' | 'out', example: string): string {
  const v = (opts[key] as string | undefined)?.trim();
  if (!v) throw new AppError('validation', `Option --${key} manquante (ex. --${key} ${example}).`, [{ path: key, message: `Option --${key} manquante.` }]);
  if ((key === 'from' || key === 'to') && !isoDate.safeParse(v).success) {
    throw new AppError('validation', `Option --${key} invalide « ${v} » : date AAAA-MM-JJ attendue (ex. ${example}).`, [{ path: key, message: 'Date AAAA-MM-JJ attendue.' }]);
  }
  return v;
}

function idArg(args: string[], sub: string): string {
  const id = args[1]?.trim();
  if (!id) throw new AppError('validation', `Indiquez l'identifiant de la demande : npm run cli -- claims ${sub} ID.`, [{ path: 'id', message: 'Identifiant manquant.' }]);
  return id;
}

function describe(page: ClaimPage, write: (s: string) => void): void {
  const c = page.claim;
  write(`Demande ${c.id} — ${c.funderName} (${c.funderCode}), du ${isoToDisplay(c.from)} au ${isoToDisplay(c.to)}${c.kind === 'regularisation' ? `, régularisation de ${c.regularisesId}` : ''}\n`);
  write(`Statut : ${c.status}${c.invoiceNumber ? `, facture ${c.invoiceNumber}` : ''}\n`);
  write(`${page.lines.length} ligne(s), total ${formatCents(c.totalCents)}\n`);
  for (const l of page.lines) write(`  ${l.position}. ${l.label} : ${formatQuantityE4(l.quantityE4)} × ${formatCents(l.unitPriceCents)} = ${formatCents(l.amountCents)}\n`);
  write(`Points bloquants : ${page.preflight.blockers.length}\n`);
  for (const i of page.preflight.blockers) write(`  - ${i.message}\n`);
  write(`Avertissements : ${page.preflight.warnings.length}\n`);
  for (const i of page.preflight.warnings) write(`  - ${i.message}\n`);
  if (page.difference?.changed) {
    write(`Écart avec les présences du jour : ${formatCents(page.difference.totalDeltaCents)} (régularisation possible)\n`);
    for (const d of page.difference.lines) write(`  - ${d.label} : ${formatCents(d.old?.amountCents ?? 0)} → ${formatCents(d.new?.amountCents ?? 0)}\n`);
  }
}

export async function claimsCommand(b: Backend, args: string[], opts: ClaimsOpts, write: (s: string) => void = (s) => process.stdout.write(s)): Promise<void> {
  const sub = args[0];
  const json = (v: unknown) => write(`${JSON.stringify(v, null, 2)}\n`);
  switch (sub) {
    case 'build': {
      const page = await call(b, 'claims.build', {
        funderCode: required(opts, 'funder', 'REGION'), from: required(opts, 'from', '2026-11-01'), to: required(opts, 'to', '2026-11-30'),
        programmeCode: opts.programme?.trim() || null,
      });
      if (opts.json) return json(page);
      return describe(page, write);
    }
    case 'list': {
      const list = await call(b, 'claims.list', {});
      if (opts.json) return json(list);
      for (const c of list.claims) write(`${c.id}  ${c.funderCode}  ${isoToDisplay(c.from)}–${isoToDisplay(c.to)}  ${c.status}  ${c.invoiceNumber ?? '—'}  ${formatCents(c.totalCents)}\n`);
      write(`${list.totals.count} demande(s), ${formatCents(list.totals.totalCents)}\n`);
      return;
    }
    case 'show': {
      const page = await call(b, 'claims.get', { id: idArg(args, 'show') });
      if (opts.json) return json(page);
      return describe(page, write);
    }
    case 'validate': {
      const page = await call(b, 'claims.validate', { id: idArg(args, 'validate') });
      write(`Demande validée : facture ${page.claim.invoiceNumber}, ${formatCents(page.claim.totalCents)}, ${page.documents.length} document(s) figé(s).\n`);
      return;
    }
    case 'export': {
      const id = idArg(args, 'export');
      const dir = required(opts, 'out', 'dossiers');
      // Through the contract like the app (its permission; a draft is refused there, in French).
      const bundle = await call(b, 'claims.bundle', { id });
      const path = join(dir, bundle.fileName);
      try {
        mkdirSync(dir, { recursive: true });
        writeFileSync(path, Buffer.from(bundle.base64, 'base64'));
      } catch (e) {
        throw new AppError('validation', `Option --out : impossible d'écrire ${path} (${(e as Error).message}).`, [{ path: 'out', message: 'Dossier impossible à écrire.' }]);
      }
      write(`${path}\n`);
      return;
    }
    default:
      throw new AppError('validation', `Sous-commande ${sub ? `inconnue « ${sub} »` : 'manquante'} : claims build, list, show, validate ou export.`);
  }
}
