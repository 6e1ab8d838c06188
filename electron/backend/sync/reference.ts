/**
 * Reference data a receiver publishes (`GET /v1/reference/{catalogue}`): programmes, funders, zones,
 * holidays. Items are kept raw — fields Sillon does not know yet survive untouched — and each update lands
 * with its new cursor and ETag in one transaction, or not at all.
 */
import { z } from 'zod';
import type { Ctx } from '../context';
import type { Raw } from '../db/raw';
import { rawTransaction, syncDb } from './schema';

export const REFERENCE_CATALOGUES = ['programmes', 'funders', 'zones', 'holidays'] as const;

const catalogueResponse = z.looseObject({
  items: z.array(z.looseObject({})),
  cursor: z.union([z.string(), z.number()]).transform(String),
});

export type ReferenceOutcome =
  | { status: 'updated'; items: number; changed: number; cursor: string }
  | { status: 'unchanged' }
  | { status: 'error'; message: string };

/** The stable key of an item: its `id`, else its `code`. */
function itemKey(item: Record<string, unknown>): string | null {
  const k = item.id ?? item.code;
  return typeof k === 'string' || typeof k === 'number' ? String(k) : null;
}

/**
 * Merges a page of items into the stored ones: a full read (no cursor yet) replaces the catalogue, an
 * incremental one (`since`) upserts by key. Pure; throws with a French message on a malformed page.
 */
export function mergeCatalogue(storedJson: string, body: unknown, incremental: boolean): { items: Record<string, unknown>[]; changed: number; cursor: string } {
  const parsed = catalogueResponse.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`réponse non conforme (${issue?.path.join('.') || 'racine'} : ${issue?.message ?? 'format inattendu'})`);
  }
  const incoming = parsed.data.items as Record<string, unknown>[];
  for (const [i, item] of incoming.entries()) {
    if (itemKey(item) === null) throw new Error(`réponse non conforme (items.${i} : ni « id » ni « code »)`);
  }
  if (!incremental) return { items: incoming, changed: incoming.length, cursor: parsed.data.cursor };
  const byKey = new Map<string, Record<string, unknown>>();
  for (const item of JSON.parse(storedJson) as Record<string, unknown>[]) byKey.set(itemKey(item) ?? '', item);
  for (const item of incoming) byKey.set(itemKey(item)!, item);
  return { items: [...byKey.values()], changed: incoming.length, cursor: parsed.data.cursor };
}

export async function catalogueState(ctx: Ctx, receiverId: string, catalogue: string) {
  return syncDb(ctx)
    .selectFrom('referenceCatalogues')
    .selectAll()
    .where('receiverId', '=', receiverId)
    .where('catalogue', '=', catalogue)
    .executeTakeFirst();
}

/** Stores a fetched page, its cursor and ETag together; on a malformed page keeps the old catalogue. */
export async function storeCatalogue(
  ctx: Ctx,
  o: { receiverId: string; catalogue: string; body: unknown; etag: string | null; incremental: boolean },
): Promise<ReferenceOutcome> {
  const at = ctx.now().toISOString();
  return rawTransaction(ctx, (raw) => {
    const row = raw
      .prepare('SELECT items FROM reference_catalogues WHERE receiver_id = ? AND catalogue = ?')
      .get(o.receiverId, o.catalogue) as { items: string } | undefined;
    let merged;
    try {
      merged = mergeCatalogue(row?.items ?? '[]', o.body, o.incremental && row !== undefined);
    } catch (e) {
      const message = `Référentiel « ${o.catalogue} » : ${(e as Error).message} ; l'ancienne version est conservée.`;
      noteError(raw, o.receiverId, o.catalogue, message);
      return { status: 'error', message };
    }
    raw
      .prepare(
        `INSERT INTO reference_catalogues (receiver_id, catalogue, items, cursor, etag, fetched_at, last_error) VALUES (?, ?, ?, ?, ?, ?, NULL)
         ON CONFLICT (receiver_id, catalogue) DO UPDATE SET items = excluded.items, cursor = excluded.cursor, etag = excluded.etag,
           fetched_at = excluded.fetched_at, last_error = NULL`,
      )
      .run(o.receiverId, o.catalogue, JSON.stringify(merged.items), merged.cursor, o.etag, at);
    return { status: 'updated', items: merged.items.length, changed: merged.changed, cursor: merged.cursor };
  });
}

export async function noteCatalogue(ctx: Ctx, receiverId: string, catalogue: string, error: string | null): Promise<void> {
  const at = ctx.now().toISOString();
  await rawTransaction(ctx, (raw) => {
    if (error === null) {
      raw.prepare('UPDATE reference_catalogues SET fetched_at = ?, last_error = NULL WHERE receiver_id = ? AND catalogue = ?').run(at, receiverId, catalogue);
    } else {
      noteError(raw, receiverId, catalogue, error);
    }
  });
}

function noteError(raw: Raw, receiverId: string, catalogue: string, message: string): void {
  raw
    .prepare(
      `INSERT INTO reference_catalogues (receiver_id, catalogue, last_error) VALUES (?, ?, ?)
       ON CONFLICT (receiver_id, catalogue) DO UPDATE SET last_error = excluded.last_error`,
    )
    .run(receiverId, catalogue, message);
}
