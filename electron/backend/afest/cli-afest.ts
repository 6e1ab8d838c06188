/**
 * `npm run cli -- afest …`: the AFEST services through the app's dispatch (electron/backend/cli.ts).
 *   afest list [--json] · afest dossier ID --out FICHIER.pdf
 * Output on stdout (`write`, injectable for tests); errors are thrown as AppError (French, naming the option).
 */
import { writeFileSync } from 'node:fs';
import { formatPermille } from '../../../shared/domain/afest';
import { formatMinutes } from '../../../shared/domain/dates';
import { AppError } from '../../../shared/errors';
import type { AfestSummary } from '../../../shared/schemas/afest';
import type { Backend } from '../backend';
import { call } from '../cli-call';

export const AFEST_HELP = `  afest list [--json]  liste les AFEST : conformité (points à corriger), part d'AFEST prévue et réalisée,
                       heures de mises en situation, de séquences réflexives et d'évaluation
  afest dossier ID --out F.pdf
                       imprime le dossier AFEST (financeur, audit Qualiopi), signé, avec son QR code
`;

export interface AfestOpts {
  out?: string | undefined;
  json?: boolean | undefined;
}

const PHASE: Record<AfestSummary['phase'], string> = { engineering: 'ingénierie préalable', running: 'déroulement', evaluated: 'évaluée' };

/** « conforme » or « non conforme (2 points à corriger) ». */
export function complianceText(a: Pick<AfestSummary, 'compliant' | 'failures'>): string {
  return a.compliant ? 'conforme' : `non conforme (${a.failures} point${a.failures > 1 ? 's' : ''} à corriger)`;
}

/** « AFEST prévue 63,6 % du parcours (70 % au moins), réalisée 100,0 % ». */
export function shareText(a: Pick<AfestSummary, 'share'>): string {
  const { plannedPermille, realisedPermille, minPercent } = a.share;
  return `part d'AFEST prévue ${formatPermille(plannedPermille)}, réalisée ${formatPermille(realisedPermille)}${minPercent === null ? ' (pas de minimum)' : ` (${minPercent} % au moins)`}`;
}

function describe(a: AfestSummary, write: (s: string) => void): void {
  write(`${a.traineeName} — ${a.title}\n`);
  write(`  ${a.id}  ·  ${a.companyName ?? 'entreprise non indiquée'}  ·  tuteur ${a.tutorName ?? 'non désigné'}  ·  ${a.programmeName ?? 'sans dispositif'}  ·  ${PHASE[a.phase]}\n`);
  const h = a.hours;
  write(`  ${complianceText(a)}  ·  ${shareText(a)}  ·  MST ${formatMinutes(h.workSituation)}, SR ${formatMinutes(h.reflective)}, évaluation ${formatMinutes(h.evaluation)}\n`);
}

export async function afestCommand(b: Backend, args: string[], opts: AfestOpts, write: (s: string) => void = (s) => process.stdout.write(s)): Promise<void> {
  const sub = args[0];
  switch (sub) {
    case 'list': {
      const list = await call(b, 'afest.list', {});
      if (opts.json) return write(`${JSON.stringify(list, null, 2)}\n`);
      for (const a of list) describe(a, write);
      const failing = list.filter((a) => !a.compliant).length;
      write(`${list.length} AFEST, ${failing} non conforme(s).\n`);
      return;
    }
    case 'dossier': {
      const id = args[1]?.trim();
      if (!id) throw new AppError('validation', "Indiquez l'identifiant de l'AFEST : npm run cli -- afest dossier ID --out dossier.pdf (identifiants : npm run cli -- afest list).", [{ path: 'id', message: 'Identifiant manquant.' }]);
      const out = opts.out?.trim();
      if (!out) throw new AppError('validation', 'Option --out manquante (ex. --out dossier-afest.pdf).', [{ path: 'out', message: 'Option --out manquante.' }]);
      // Through the contract like the app: its permission, the print recorded and signed the same way.
      const doc = await call(b, 'afest.dossier', { id });
      const bytes = Buffer.from(doc.base64, 'base64');
      try {
        writeFileSync(out, bytes);
      } catch (e) {
        throw new AppError('validation', `Option --out : impossible d'écrire ${out} (${(e as Error).message}).`, [{ path: 'out', message: 'Fichier impossible à écrire.' }]);
      }
      write(`Dossier AFEST signé écrit dans ${out} (${Math.ceil(bytes.length / 1024)} Ko, empreinte ${doc.shortHash}, proposé à l'origine sous le nom ${doc.fileName}).\n`);
      return;
    }
    default:
      throw new AppError('validation', `Sous-commande ${sub ? `inconnue « ${sub} »` : 'manquante'} : afest list ou afest dossier.`);
  }
}
