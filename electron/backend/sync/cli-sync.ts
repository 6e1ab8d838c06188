/**
 * `npm run cli -- sync --url URL --token TOKEN [--name NOM]`: adds or updates that receiver, then sends
 * until its queue is empty, blocked, or the receiver cannot be reached. Progress on stderr, the summary on
 * stdout. Exit codes (SYNC_EXIT, also in the help and the README):
 *   0 every record sent in this run was acked; 4 the queue is blocked (token refused, batch refused);
 *   5 records died in this run (the receiver kept failing: kept, exportable); 6 the receiver cannot be
 *   reached (nothing was sent; the records wait); 7 the receiver refused records in this run (to fix).
 * Dead outranks refused when both happen. The run is bounded: a few probes with short waits, never the
 * app's long backoff; running `sync` again is the explicit request to try at once.
 * `npm run cli -- sync status`: counts per state, per receiver.
 */
import { AppError } from '../../../shared/errors';
import type { Backend } from '../backend';
import { call } from '../cli-call';

export const SYNC_EXIT = Object.freeze({ ok: 0, blocked: 4, dead: 5, unreachable: 6, refused: 7 });

export const SYNC_HELP = `  sync --url U --token T [--name N]
                       envoie la file au destinataire U (ajouté ou mis à jour) jusqu'à ce qu'elle soit vide ;
                       code 0 si tout ce qui est parti est acquitté, 4 file bloquée (jeton ou lot refusé),
                       5 enregistrements abandonnés pendant l'envoi (destinataire défaillant), 6 destinataire
                       injoignable (rien n'est parti : la file attend), 7 enregistrements refusés par le
                       destinataire (à corriger) ; 5 l'emporte sur 7
  sync status          nombre d'enregistrements par état, pour chaque destinataire
`;

/** Consecutive probes without any answer (refused, unknown host, timeout) before the run gives up. */
export const MAX_UNREACHABLE = 3;
/** The wait before the next probe of an unreachable receiver: short, growing (1 s, 2 s). */
const PROBE_WAIT_MS = 1_000;
/** No wait inside a run is longer: the app's backoff (up to 15 min) is for the background loop. */
const MAX_WAIT_MS = 10_000;
/** A busy receiver asking for more than this stops the run (exit 6): run `sync` again later. */
const MAX_BUSY_WAIT_MS = 60_000;

const sleep = (ms: number) => new Promise<void>((ok) => setTimeout(ok, ms));

export async function syncCommand(b: Backend, args: string[], opts: { url?: string | undefined; token?: string | undefined; name?: string | undefined }): Promise<void> {
  if (args[0] === 'status') return printStatus(b);
  if (args.length > 0) throw new AppError('validation', `Sous-commande inconnue « ${args[0]} » : sync --url … --token …, ou sync status.`);
  if (!opts.url) throw new AppError('validation', "Indiquez l'adresse du destinataire : sync --url https://… --token …");
  const url = opts.url.trim();
  const existing = (await call(b, 'sync.receivers', {})).find((r) => r.url === url);
  let receiver = await call(b, 'sync.saveReceiver', {
    ...(existing ? { id: existing.id } : {}),
    name: opts.name ?? existing?.name ?? `Destinataire ${hostOf(url)}`,
    kind: 'http',
    url,
    ...(opts.token ? { token: opts.token } : {}),
    ...(existing ? { recordTypes: existing.recordTypes } : {}),
  });
  // Running `sync` by hand is the explicit request to try again, whatever paused the queue before; the CLI
  // drives the queue itself, step by step, so no background run is started.
  if (receiver.paused) receiver = await call(b, 'sync.resume', { receiverId: receiver.id, run: false });
  const id = receiver.id;
  const counts = async () => (await call(b, 'sync.status', {})).find((s) => s.receiver.id === id)!.counts;
  const total = async () => {
    const c = await counts();
    return { ...c, open: c.pending + c.inFlight };
  };
  const before = await counts();
  process.stderr.write(`Synchronisation avec « ${receiver.name} » (${receiver.url}) : ${before.pending + before.inFlight} enregistrement(s) à envoyer.\n`);
  let unreachable = 0;
  let batches = 0;
  // A person asked: the first step, and every step after a wait of this run, goes at once.
  let now = true;
  const giveUp = async (why: string): Promise<never> => {
    const c = await total();
    throw new AppError('business', `${why} ${c.pending} enregistrement(s) en attente, ${c.inFlight} en cours (issue inconnue, à reprendre) ; la file est conservée : relancez sync plus tard.`, undefined, SYNC_EXIT.unreachable);
  };
  for (;;) {
    const out = await call(b, 'sync.step', { receiverId: id, now });
    now = false;
    const noAnswer = out.kind === 'offline' || (out.kind === 'wait' && out.cause === 'no_answer');
    if (!noAnswer) unreachable = 0;
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
      case 'offline':
      case 'wait': {
        const due = Math.max(0, Date.parse(out.until) - b.ctx.now().getTime());
        if (noAnswer) {
          unreachable++;
          if (unreachable >= MAX_UNREACHABLE) await giveUp(`${out.reason} Abandon après ${unreachable} essais sans réponse.`);
          const ms = PROBE_WAIT_MS * 2 ** (unreachable - 1);
          process.stderr.write(`${out.reason} Nouvel essai dans ${Math.ceil(ms / 1000)} s.\n`);
          await sleep(ms);
        } else if (out.kind === 'wait' && out.cause === 'busy' && due > MAX_BUSY_WAIT_MS) {
          await giveUp(`${out.reason} Le destinataire demande d'attendre ${Math.ceil(due / 60_000)} min.`);
        } else {
          const ms = out.kind === 'wait' && out.cause === 'busy' ? due : Math.min(due, MAX_WAIT_MS);
          process.stderr.write(`Nouvelle tentative dans ${Math.ceil(ms / 1000)} s : ${out.reason}\n`);
          await sleep(ms);
        }
        now = true;
        break;
      }
      case 'blocked':
        throw new AppError('business', `File bloquée : ${out.reason}`, undefined, SYNC_EXIT.blocked);
      case 'error':
        throw new AppError('internal', `Synchronisation interrompue : ${out.message}`);
      case 'idle': {
        const c = await total();
        const dead = c.dead - before.dead;
        const refused = c.rejected - before.rejected;
        process.stdout.write(`Synchronisation terminée : ${c.acked} acquitté(s), ${c.rejected} refusé(s), ${c.dead} abandonné(s).\n`);
        if (dead > 0) {
          throw new AppError('business', `${dead} enregistrement(s) abandonné(s) pendant cet envoi (le destinataire a échoué trop de fois) : exportez-les depuis la page Synchronisation.`, undefined, SYNC_EXIT.dead);
        }
        if (refused > 0) {
          throw new AppError('business', `${refused} enregistrement(s) refusé(s) par le destinataire pendant cet envoi : corrigez-les (page Synchronisation, motifs du destinataire), ils repartiront.`, undefined, SYNC_EXIT.refused);
        }
        return;
      }
    }
  }
}

async function printStatus(b: Backend): Promise<void> {
  const statuses = await call(b, 'sync.status', {});
  if (statuses.length === 0) {
    process.stdout.write('Aucun destinataire configuré.\n');
    return;
  }
  for (const { receiver: v, counts: c } of statuses) {
    process.stdout.write(
      `${v.name} (${v.url ?? 'fichier'})${v.paused ? ` — EN PAUSE : ${v.pausedReason}` : ''}\n` +
        `  en attente : ${c.pending}\n  en cours : ${c.inFlight}\n  acquittés : ${c.acked}\n  refusés : ${c.rejected}\n  abandonnés : ${c.dead}\n` +
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
