/**
 * Bookkeeping of the file connector: a "batch" is a file the user downloads and uploads by hand to the
 * funder's extranet, then marks uploaded, accepted (with the records refused, if any) or rejected.
 * Records go through the same states as over HTTP, so the sync page reads them the same way.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import type { z } from 'zod';
import { AppError } from '../../../shared/errors';
import type { syncMarkFileInput } from '../../../shared/schemas/sync';
import type { Ctx } from '../context';
import { buildClaimBundle } from '../documents/claim-bundle';
import { withRaw } from '../db/raw';
import { cipherOf, requireCipher } from '../privacy/data-key';
import { bodyForWire } from '../privacy/payload';
import { APP_VERSION } from '../version';
import { applyResults, batchById, buildBatch, type RecordResult } from './batches';
import { recordsOfBody, toCsv, toXlsx } from './connectors/file';
import { getReceiver } from './receivers';
import { rawTransaction } from './schema';

/** A file holds more than an HTTP batch; it stays far below what a spreadsheet opens comfortably. */
const FILE_LIMITS = Object.freeze({ maxRecords: 20_000, maxBytes: 64 * 1024 * 1024 });

export type FileFormat = 'csv' | 'xlsx';

const MIME: Record<FileFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

function slug(s: string): string {
  return s.normalize('NFD').replace(/[^a-zA-Z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase().slice(0, 40) || 'destinataire';
}

/**
 * The file of a batch. When it holds claims, funders without an API need each claim's bundle (its PDFs,
 * lines and manifest) too: the file is then a ZIP of the records' CSV/XLSX and one bundle per claim.
 */
export async function fileOfBatch(ctx: Ctx, batchId: string, format: FileFormat): Promise<{ fileName: string; mime: string; bytes: Buffer; records: number }> {
  const batch = await rawTransaction(ctx, (raw) => batchById(raw, batchId));
  if (!batch) throw new AppError('not_found', 'Lot introuvable.');
  // The file goes to the funder: its personal data opened (privacy/payload.ts), as over HTTP.
  const body = await withRaw(ctx.db, (raw) => bodyForWire(cipherOf(raw), batch.body));
  const records = recordsOfBody(body);
  const bytes = format === 'csv' ? Buffer.from(toCsv(records), 'utf8') : await toXlsx(records);
  const base = (await rawTransaction(ctx, (raw) => raw.prepare('SELECT file_name AS f FROM sync_batches WHERE id = ?').get(batchId) as { f: string | null })).f;
  const fileName = `${base ?? batchId}.${format}`;
  const claims = [...new Set(records.filter((r) => r.type === 'claim').map((r) => r.recordId))];
  if (claims.length === 0) return { fileName, mime: MIME[format], bytes, records: records.length };
  const entries: Record<string, Uint8Array> = { [fileName]: bytes };
  for (const claimId of claims) {
    const bundle = await buildClaimBundle(ctx, claimId);
    entries[`dossiers/${bundle.fileName}`] = bundle.bytes;
  }
  return { fileName: `${base ?? batchId}.zip`, mime: 'application/zip', bytes: Buffer.from(zipSync(entries, { level: 0 })), records: records.length };
}

/**
 * Puts every due record of a file receiver into a new file batch, keeps a copy of the file in `<data>/exports`
 * and returns it for download. Nothing due → a French business error. The copy kept is sealed under the data
 * key (`<name>.sealed`): the file may hold NIRs, and the data folder keeps none in clear; the batch itself can
 * always give the file again.
 */
export async function exportFileBatch(ctx: Ctx, receiverId: string, format: FileFormat) {
  const r = await getReceiver(ctx, receiverId);
  if (r.kind !== 'file') throw new AppError('business', `« ${r.name} » reçoit ses données par API, pas par fichier.`);
  const batchId = ctx.newId();
  const now = ctx.now();
  const name = `sillon-${slug(r.name)}-${now.toISOString().slice(0, 10)}-${batchId.slice(-8)}`;
  const built = await rawTransaction(ctx, (raw) => {
    const org = raw.prepare('SELECT siret, nda FROM organisation ORDER BY created_at LIMIT 1').get() as { siret: string; nda: string | null } | undefined;
    if (!org) throw new AppError('business', "Renseignez d'abord l'organisme (SIRET).");
    const sender = { siret: org.siret, nda: org.nda, software: `sillon/${APP_VERSION}`, deviceId: 'file' };
    return buildBatch(raw, { receiverId, batchId, now, sender, limits: FILE_LIMITS, file: { name } });
  });
  if (!built) throw new AppError('business', `Rien à envoyer à « ${r.name} » : tous les enregistrements ont déjà été exportés.`);
  const file = await fileOfBatch(ctx, built.id, format);
  const dir = join(ctx.dataDir, 'exports');
  const sealedName = `${file.fileName}.sealed`;
  const sealed = await withRaw(ctx.db, (raw) => requireCipher(raw).sealBytes(file.bytes, { table: 'exports', column: 'file', rowId: sealedName }));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, sealedName), sealed);
  return { batchId: built.id, ...file };
}

/** The user reports what became of a file: uploaded, accepted (maybe with some records refused), rejected. */
export async function markFileBatch(ctx: Ctx, input: z.output<typeof syncMarkFileInput>) {
  const now = ctx.now();
  return rawTransaction(ctx, (raw) => {
    const batch = batchById(raw, input.batchId);
    if (!batch) throw new AppError('not_found', 'Fichier (lot) introuvable.');
    const info = raw.prepare('SELECT file_name AS fileName FROM sync_batches WHERE id = ?').get(batch.id) as { fileName: string | null };
    if (info.fileName === null) throw new AppError('business', "Ce lot a été envoyé par l'API : son résultat vient du destinataire, pas d'une saisie.");
    if (batch.state !== 'in_flight') throw new AppError('business', 'Le résultat de ce fichier est déjà enregistré.');
    if (input.outcome === 'uploaded') {
      raw.prepare(`UPDATE sync_batches SET file_status = 'uploaded', sent_at = coalesce(sent_at, ?) WHERE id = ?`).run(now.toISOString(), batch.id);
      return { batchId: batch.id, state: 'in_flight' as const };
    }
    const refused = new Set(input.outcome === 'rejected' ? recordsOfBody(batch.body).map((r) => r.recordId) : input.rejectedRecordIds);
    const message = input.reason || 'Refusé par le financeur (saisi à la main).';
    const results: RecordResult[] = recordsOfBody(batch.body).map((r) =>
      refused.has(r.recordId)
        ? { recordId: r.recordId, version: r.version, status: 'rejected', errors: [{ path: 'payload', code: 'manual', message }] }
        : { recordId: r.recordId, version: r.version, status: 'accepted', receiverRef: null },
    );
    applyResults(raw, batch, { results, response: JSON.stringify({ manual: true, outcome: input.outcome, reason: input.reason ?? null }), now });
    return { batchId: batch.id, state: 'acked' as const };
  });
}
