/**
 * `npm run cli -- sync --url URL --token TOKEN [--name NOM]`: adds or updates that receiver, then sends
 * until its queue is empty or blocked. Progress on stderr, the summary on stdout. Exit codes: 0 every record
 * acked or rejected; 4 the queue is blocked (token refused, batch refused); 5 records are dead; 6 the
 * receiver cannot be reached.
 * `npm run cli -- sync status`: counts per state, per receiver.
 */
import { AppError } from '../../../shared/errors';
import { syncReceiverInput } from '../../../shared/schemas/sync';
import type { Backend } from '../backend';
import { listReceivers, resumeReceiver, saveReceiver, toView } from './receivers';
import { countsOf } from './status';

export const SYNC_HELP = `  sync --url U --token T [--name N]
                       envoie la file au destinataire U (ajouté ou mis à jour) jusqu'à ce qu'elle soit vide ;
                       code 0 si tout est acquitté ou refusé, 4 file bloquée, 5 enregistrements abandonnés,
                       6 destinataire injoignable
  sync status          nombre d'enregistrements par état, pour chaque destinataire
`;

/** Consecutive "cannot reach the receiver at all" before the CLI gives up (the app keeps probing). */
const MAX_OFFLINE = 5;

const sleep = (ms: number) => new Promise<void>((ok) => setTimeout(ok, ms));

export async function syncCommand(b: Backend, args: string[], opts: { url?: string | undefined; token?: string | undefined; name?: string | undefined }): Promise<void> {
  if (args[0] === 'status') return printStatus(b);
  if (args.length > 0) throw new AppError('validation', `Sous-commande inconnue « ${args[0]} » : sync --url … --token …, ou sync status.`);
  if (!opts.url) throw new AppError('validation', "Indiquez l'adresse du destinataire : sync --url https://… --token …");
  const ctx = b.ctx;
  const existing = (await listReceivers(ctx)).find((r) => r.url === opts.url?.trim());
  const input = syncReceiverInput.safeParse({
    id: existing?.id,
    name: opts.name ?? existing?.name ?? `Destinataire ${hostOf(opts.url)}`,
    kind: 'http',
    url: opts.url,
    ...(opts.token ? { token: opts.token } : {}),
    recordTypes: existing ? JSON.parse(existing.recordTypes) : undefined,
  });
  if (!input.success) throw new AppError('validation', `Option invalide — ${input.error.issues[0]?.path.join('.')} : ${input.error.issues[0]?.message}`);
  let receiver = await saveReceiver(ctx, b.sync.secrets, input.data);
  // Running `sync` by hand is the explicit request to try again, whatever paused the queue before.
  if (receiver.paused) receiver = await resumeReceiver(ctx, receiver.id);
  const id = receiver.id;
  const total = async () => {
    const c = await countsOf(ctx, id);
    return { ...c, open: c.pending + c.in_flight };
  };
  process.stderr.write(`Synchronisation avec « ${receiver.name} » (${receiver.url}) : ${(await total()).open} enregistrement(s) à envoyer.\n`);
  let offline = 0;
  let batches = 0;
  for (;;) {
    const out = await b.sync.step(id);
    if (out.kind !== 'offline') offline = 0;
    switch (out.kind) {
      case 'sent': {
        batches++;
        const s = out.summary;
        process.stderr.write(
          `Lot ${batches}${out.recovered ? ' (repris après interruption)' : ''} : ${out.records} enregistrement(s) — ${s.accepted} accepté(s), ${s.duplicate} déjà reçu(s), ${s.superseded} dépassé(s), ${s.rejected} refusé(s) ; reste ${(await total()).open}.\n`,
        );
        break;
      }
      case 'split':
        process.stderr.write(`Lot trop volumineux pour le destinataire : scindé en ${out.into.length}.\n`);
        break;
      case 'dead':
        process.stderr.write(`${out.records} enregistrement(s) abandonné(s) : ${out.reason}\n`);
        break;
      case 'wait': {
        const ms = Math.max(0, out.until.getTime() - ctx.now().getTime());
        process.stderr.write(`Nouvelle tentative dans ${Math.ceil(ms / 1000)} s : ${out.reason}\n`);
        await sleep(ms);
        break;
      }
      case 'offline': {
        offline++;
        if (offline >= MAX_OFFLINE) throw new AppError('business', `${out.reason} Abandon après ${offline} essais ; la file est conservée.`, undefined, 6);
        const ms = Math.min(Math.max(0, out.until.getTime() - ctx.now().getTime()), 2_000 * 2 ** offline);
        process.stderr.write(`${out.reason} Nouvel essai dans ${Math.ceil(ms / 1000)} s.\n`);
        await sleep(ms);
        break;
      }
      case 'blocked':
        throw new AppError('business', `File bloquée : ${out.reason}`, undefined, 4);
      case 'error':
        throw new AppError('internal', `Synchronisation interrompue : ${out.message}`);
      case 'idle': {
        const c = await total();
        process.stdout.write(`Synchronisation terminée : ${c.acked} acquitté(s), ${c.rejected} refusé(s), ${c.dead} abandonné(s).\n`);
        if (c.dead > 0) throw new AppError('business', `${c.dead} enregistrement(s) abandonné(s) après trop de tentatives : exportez-les depuis la page Synchronisation.`, undefined, 5);
        return;
      }
    }
  }
}

async function printStatus(b: Backend): Promise<void> {
  const receivers = await listReceivers(b.ctx);
  if (receivers.length === 0) {
    process.stdout.write('Aucun destinataire configuré.\n');
    return;
  }
  for (const r of receivers) {
    const v = toView(r);
    const c = await countsOf(b.ctx, r.id);
    process.stdout.write(
      `${v.name} (${v.url ?? 'fichier'})${v.paused ? ` — EN PAUSE : ${v.pausedReason}` : ''}\n` +
        `  en attente : ${c.pending}\n  en cours : ${c.in_flight}\n  acquittés : ${c.acked}\n  refusés : ${c.rejected}\n  abandonnés : ${c.dead}\n` +
        `  dernier succès : ${v.lastSuccessAt ?? 'jamais'}\n`,
    );
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
