import type { z } from 'zod';
import { AppError } from '../../../shared/errors';
import type { FunderDocument, funderDocumentInput } from '../../../shared/schemas/organisation';
import { inTransaction, stampUpdate, type Ctx } from '../context';

/**
 * Each funder's logo and required mentions (the FSE+ co-funding notice…), printed on the documents of the
 * trainees it funds. One row per funder code (`funder_documents`); the funders table proper comes later.
 */

/** JPEG starts FF D8 FF, PNG 89 50 4E 47: the bytes must be what the type says, or the PDF would break. */
function checkLogo(mime: 'image/png' | 'image/jpeg', bytes: Buffer): void {
  const png = bytes.subarray(0, 4).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  const jpeg = bytes.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]));
  if ((mime === 'image/png' && !png) || (mime === 'image/jpeg' && !jpeg)) {
    throw new AppError('validation', `Logo illisible : le fichier n'est pas une image ${mime === 'image/png' ? 'PNG' : 'JPEG'}.`, [{ path: 'logo', message: 'Image PNG ou JPEG attendue.' }]);
  }
}

export async function listFunderDocuments(ctx: Ctx): Promise<FunderDocument[]> {
  const rows = await ctx.db
    .selectFrom('funders as f')
    .leftJoin('funderDocuments as d', 'd.funderCode', 'f.code')
    .select(['f.code', 'f.name', 'd.mentions', 'd.logo', 'd.logoMime', 'd.updatedAt'])
    .orderBy('f.name')
    .execute();
  return rows.map((r) => ({
    funderCode: r.code,
    funderName: r.name,
    mentions: r.mentions ?? null,
    logo: r.logo && r.logoMime ? { mime: r.logoMime, base64: Buffer.from(r.logo).toString('base64') } : null,
    updatedAt: r.updatedAt ?? null,
  }));
}

export async function saveFunderDocument(ctx: Ctx, data: z.output<typeof funderDocumentInput>): Promise<FunderDocument> {
  return inTransaction(ctx, async (tx) => {
    const funder = await tx.db.selectFrom('funders').select('code').where('code', '=', data.funderCode).executeTakeFirst();
    if (!funder) throw new AppError('validation', `Financeur inconnu : ${data.funderCode}.`, [{ path: 'funderCode', message: 'Financeur inconnu.' }]);
    const current = await tx.db.selectFrom('funderDocuments').selectAll().where('funderCode', '=', data.funderCode).executeTakeFirst();
    let logo = current?.logo ?? null;
    let logoMime = current?.logoMime ?? null;
    if (data.logo === null) [logo, logoMime] = [null, null];
    else if (data.logo) {
      const bytes = Buffer.from(data.logo.base64, 'base64');
      checkLogo(data.logo.mime, bytes);
      [logo, logoMime] = [bytes, data.logo.mime];
    }
    const row = { mentions: data.mentions, logo, logoMime, ...stampUpdate(tx) };
    await tx.db
      .insertInto('funderDocuments')
      .values({ funderCode: data.funderCode, ...row })
      .onConflict((oc) => oc.column('funderCode').doUpdateSet(row))
      .execute();
    return (await listFunderDocuments(tx)).find((f) => f.funderCode === data.funderCode)!;
  });
}
