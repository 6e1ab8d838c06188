/**
 * The receivers' `programmes` catalogue (`GET /v1/reference/programmes`, stored raw in
 * `reference_catalogues`) turned into programmes (`source = 'reference'`) and rule versions. Idempotent:
 * an item already imported as is adds nothing; a changed item adds a version replacing the previous one.
 * What Sillon cannot map is kept out, with a French note on the version.
 */
import { DEFAULT_PAYER_CATEGORY, overlapProblem, referenceUnit, replacedIds } from '../../../shared/domain/funding-reference';
import { FUNDER_KINDS, fundingRule, PAYER_CATEGORIES, type FundingRule } from '../../../shared/schemas/funding';
import type { ReferenceImportResult } from '../../../shared/schemas/funding-reference';
import { inTransaction, stampNew, stampVersion, type Ctx } from '../context';
import { frozenRuleIds, insertRuleVersion } from './reference';

const KNOWN = new Set(['id', 'code', 'name', 'funderCode', 'unit', 'rateCents', 'capMinutes', 'validFrom', 'validTo', 'rules', 'region', 'payerCategory', 'hourlyCapCents', 'budgetCents']);
const ISO = /^\d{4}-\d{2}-\d{2}$/;

type Item = Record<string, unknown>;

function str(v: unknown): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : null;
}
function int(v: unknown): number | null {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : null;
}

async function catalogueItems(ctx: Ctx, catalogue: string, receiverId?: string): Promise<{ receiverId: string; items: Item[] }[]> {
  let q = ctx.db.selectFrom('referenceCatalogues').select(['receiverId', 'items']).where('catalogue', '=', catalogue);
  if (receiverId) q = q.where('receiverId', '=', receiverId);
  const rows = await q.orderBy('receiverId').execute();
  return rows.map((r) => ({ receiverId: r.receiverId, items: JSON.parse(r.items || '[]') as Item[] }));
}

/** One catalogue item → the rule and the note of what was left out, or the French reason it cannot be. */
export function mapReferenceItem(item: Item, payerCategory: string): { rule: FundingRule; note: string | null; validFrom: string; validTo: string | null } | { skip: string } {
  const unit = referenceUnit(item.unit);
  if (unit === null) return { skip: `unité « ${String(item.unit ?? '')} » inconnue de Sillon` };
  const validFrom = str(item.validFrom);
  if (!validFrom || !ISO.test(validFrom)) return { skip: 'date de début de validité absente ou invalide' };
  const validTo = str(item.validTo);
  if (validTo !== null && (!ISO.test(validTo) || validTo < validFrom)) return { skip: 'date de fin de validité invalide' };
  const left: string[] = [];
  for (const [k, v] of Object.entries(item)) if (!KNOWN.has(k)) left.push(`${k} = ${JSON.stringify(v)}`);
  if (item.rules && typeof item.rules === 'object') {
    for (const [k, v] of Object.entries(item.rules as Item)) left.push(`rules.${k} = ${JSON.stringify(v)}`);
  }
  const category = str(item.payerCategory) ?? payerCategory;
  const parsed = fundingRule.safeParse({
    unit,
    rateCents: int(item.rateCents),
    caps: { minutesPerEnrolment: int(item.capMinutes), hourlyPriceCents: int(item.hourlyCapCents), budgetCents: int(item.budgetCents) },
    payerCategory: (PAYER_CATEGORIES as readonly string[]).includes(category) ? category : 'C-11',
  });
  if (!parsed.success) return { skip: `règle non reconnue (${parsed.error.issues[0]?.message ?? 'format inattendu'})` };
  const note = left.length > 0 ? `Non repris du référentiel (Sillon ne sait pas encore l'appliquer) : ${left.join(' ; ')}.` : null;
  return { rule: parsed.data, note, validFrom, validTo };
}

/** Imports the programmes catalogue of one receiver (or of every receiver), in one transaction. */
export async function importReferenceProgrammes(ctx: Ctx, receiverId?: string): Promise<ReferenceImportResult> {
  const result: ReferenceImportResult = { programmesCreated: 0, programmesUpdated: 0, versionsAdded: 0, unchanged: 0, fundersCreated: [], skipped: [] };
  return inTransaction(ctx, async (tx) => {
    const funderCatalogues = await catalogueItems(tx, 'funders', receiverId);
    for (const { receiverId: rid, items } of await catalogueItems(tx, 'programmes', receiverId)) {
      const publishedFunders = funderCatalogues.find((c) => c.receiverId === rid)?.items ?? [];
      for (const item of items) {
        const code = str(item.code);
        if (!code || code.length > 40) {
          result.skipped.push({ code: String(item.code ?? item.id ?? '?'), reason: 'code absent ou trop long' });
          continue;
        }
        const funderCode = str(item.funderCode)?.toUpperCase() ?? null;
        if (!funderCode) {
          result.skipped.push({ code, reason: 'financeur absent' });
          continue;
        }
        let funder = await tx.db.selectFrom('funders').select(['code', 'payerCategory']).where('code', '=', funderCode).executeTakeFirst();
        if (!funder) {
          const published = publishedFunders.find((f) => str(f.code)?.toUpperCase() === funderCode);
          if (!published) {
            result.skipped.push({ code, reason: `financeur ${funderCode} inconnu (absent du référentiel des financeurs)` });
            continue;
          }
          const kind = (FUNDER_KINDS as readonly string[]).includes(String(published.kind)) ? String(published.kind) : 'autre';
          const payerCategory = DEFAULT_PAYER_CATEGORY[kind] ?? 'C-11';
          await tx.db.insertInto('funders').values({ code: funderCode, name: str(published.name) ?? funderCode, kind, payerCategory, active: 1 }).execute();
          result.fundersCreated.push(funderCode);
          funder = { code: funderCode, payerCategory };
        }
        const mapped = mapReferenceItem(item, funder.payerCategory ?? 'C-11');
        if ('skip' in mapped) {
          result.skipped.push({ code, reason: mapped.skip });
          continue;
        }
        const name = (str(item.name) ?? code).slice(0, 200);
        const region = str(item.region);
        let programme = await tx.db.selectFrom('programmes').selectAll().where('code', '=', code).executeTakeFirst();
        if (programme && programme.source !== 'reference') {
          result.skipped.push({ code, reason: 'un dispositif saisi localement porte déjà ce code' });
          continue;
        }
        if (!programme) {
          const id = tx.newId();
          await tx.db.insertInto('programmes').values({ id, code, funderCode, name, region, euCofunded: 0, source: 'reference', ...stampNew(tx) }).execute();
          programme = await tx.db.selectFrom('programmes').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
          result.programmesCreated++;
        } else if (programme.name !== name || programme.funderCode !== funderCode || programme.region !== region || programme.deletedAt !== null) {
          await tx.db.updateTable('programmes').set({ name, funderCode, region, deletedAt: null, ...stampVersion(tx) }).where('id', '=', programme.id).execute();
          result.programmesUpdated++;
        }
        const versions = await tx.db.selectFrom('programmeRules').selectAll().where('programmeId', '=', programme.id).orderBy('createdAt').orderBy('id').execute();
        const replaced = replacedIds(versions);
        const current = versions.filter((v) => !replaced.has(v.id));
        // The version this item last wrote: the latest current one (a reference programme's window is the item's).
        const previous = current.at(-1) ?? null;
        const ruleJson = JSON.stringify(mapped.rule);
        if (previous && previous.validFrom === mapped.validFrom && previous.validTo === mapped.validTo && previous.rule === ruleJson && previous.note === mapped.note) {
          result.unchanged++;
          continue;
        }
        if (previous && (await frozenRuleIds(tx, [programme.id])).has(previous.id)) {
          result.skipped.push({ code, reason: 'la version en place a servi à une demande de paiement validée : ajoutez la nouvelle version à la main' });
          continue;
        }
        const candidate = { ...mapped, replacesId: previous?.id ?? null };
        const problem = overlapProblem(candidate, versions);
        if (problem) {
          result.skipped.push({ code, reason: problem });
          continue;
        }
        await insertRuleVersion(tx, programme.id, candidate);
        result.versionsAdded++;
      }
    }
    return result;
  });
}
