import type { BilledBefore, ClaimContract, ClaimEnrolment, ClaimFundingLine, ClaimInput, ClaimProgramme, ClaimRequest, ClaimSlot, RuleVersion } from '../../../shared/domain/claims/model';
import { fundingRule, type CostType } from '../../../shared/schemas/funding';
import { loadSignedMarks, type SignedMark } from '../attendance/hours';
import type { Ctx } from '../context';
import { rawAll } from '../db/raw';
import { canonicalJson } from '../documents/content-hash';
import { sha256 } from '../evidence/hash';

/**
 * The database → the claim engine's input (shared/domain/claims/model.ts). Everything the engine may need for
 * one funder: its programmes and their rule versions in force, the funding lines of the enrolments and sessions
 * it funds (every funder's lines of those, so shares split right), every slot of those sessions and every mark
 * of those enrolments (`loadSignedMarks`: superseded ones included, remote ones with their connection time, and
 * how each was signed, for the pre-flight's checks), the funder's apprenticeship contracts (and those whose
 * majorations one of its programmes pays), the sessions' names for the labels, and what earlier claims already
 * billed. Rows come in a fixed order, so the same evidence always hashes the same.
 */

export interface LoadOptions {
  /** Use exactly these rule versions (a frozen claim's), replaced or not, instead of the versions in force. */
  ruleIds?: readonly string[];
  /** Leave this claim (and those validated after it) out of `billedBefore`. */
  asOfClaim?: { id: string; validatedAt: string | null };
}

export interface LoadedClaim {
  input: ClaimInput;
  /** `input.marks` themselves, with how and when each was signed (the pre-flight's coherence checks read them). */
  marks: SignedMark[];
  /**
   * `claims.inputs_sha256`: SHA-256 of the canonical JSON of `input` without its marks, then of the marks'
   * fingerprint (`loadSignedMarks`: marks are append-only, so their number per enrolment and their connection
   * times say all that can change; serialising 100 000 mark objects again cost more than the claim itself).
   */
  inputsSha256: string;
}

const json = (ids: readonly string[]) => JSON.stringify(ids);

/** « GUÉRIN Sandrine »: SQLite's upper() leaves accented letters lower case (« GUéRIN »), so it is done here. */
const personLabel = (lastName: string, firstName: string) => `${lastName.toLocaleUpperCase('fr-FR')} ${firstName}`;

export async function loadClaimInput(ctx: Ctx, request: ClaimRequest, options: LoadOptions = {}): Promise<LoadedClaim> {
  const f = request.funderCode;
  // Scope: enrolments this funder funds, directly, through their session, or through an apprenticeship contract.
  const scope = await rawAll<{ id: string }>(
    ctx.db,
    `SELECT e.id FROM enrolments e WHERE e.deleted_at IS NULL AND (
       e.id IN (SELECT enrolment_id FROM fundings WHERE deleted_at IS NULL AND funder_code = ? AND enrolment_id IS NOT NULL)
       OR e.session_id IN (SELECT session_id FROM fundings WHERE deleted_at IS NULL AND funder_code = ? AND session_id IS NOT NULL)
       OR e.id IN (SELECT enrolment_id FROM apprenticeship_contracts WHERE deleted_at IS NULL
                   AND (funder_code = ? OR majoration_programme_id IN (SELECT id FROM programmes WHERE funder_code = ?))))
     ORDER BY e.id`,
    f, f, f, f,
  );
  const enrolmentIds = scope.map((r) => r.id);
  const enrolmentRows = await rawAll<{ id: string; session_id: string; trainee_id: string; last_name: string; first_name: string; last_status: string | null; last_date: string | null }>(
    ctx.db,
    `SELECT e.id, e.session_id, e.trainee_id, t.last_name, t.first_name,
       (SELECT es.status FROM enrolment_statuses es WHERE es.enrolment_id = e.id ORDER BY es.effective_date DESC, es.created_at DESC, es.id DESC LIMIT 1) AS last_status,
       (SELECT es.effective_date FROM enrolment_statuses es WHERE es.enrolment_id = e.id ORDER BY es.effective_date DESC, es.created_at DESC, es.id DESC LIMIT 1) AS last_date
     FROM enrolments e JOIN trainees t ON t.id = e.trainee_id WHERE e.id IN (SELECT value FROM json_each(?)) ORDER BY e.id`,
    json(enrolmentIds),
  );
  const enrolments: ClaimEnrolment[] = enrolmentRows.map((r) => ({
    id: r.id, sessionId: r.session_id, traineeId: r.trainee_id, label: personLabel(r.last_name, r.first_name), exitDate: r.last_status === 'exited' ? r.last_date : null,
  }));
  const sessionIds = [...new Set(enrolments.map((e) => e.sessionId))].sort();

  const fundingRows = await rawAll<{ id: string; enrolment_id: string | null; session_id: string | null; funder_code: string; programme_id: string | null; cost_type: CostType; purchase_order: string | null; share_kind: ClaimFundingLine['shareKind']; share_value: number | null; rate_cents: number | null; position: number }>(
    ctx.db,
    `SELECT id, enrolment_id, session_id, funder_code, programme_id, cost_type, purchase_order, share_kind, share_value, rate_cents, position FROM fundings
     WHERE deleted_at IS NULL AND (enrolment_id IN (SELECT value FROM json_each(?)) OR session_id IN (SELECT value FROM json_each(?))) ORDER BY id`,
    json(enrolmentIds), json(sessionIds),
  );
  const fundingLines: ClaimFundingLine[] = fundingRows.map((r) => ({
    id: r.id, enrolmentId: r.enrolment_id, sessionId: r.session_id, funderCode: r.funder_code, programmeId: r.programme_id, costType: r.cost_type,
    purchaseOrder: r.purchase_order, shareKind: r.share_kind, shareValue: r.share_value, rateCents: r.rate_cents, position: r.position,
  }));

  const slotRows = await rawAll<{ id: string; session_id: string; date: string; minutes: number; modality: string; cancelled: number; countersigned: number }>(
    ctx.db,
    `SELECT s.id, s.session_id, s.date, s.minutes, s.modality, s.cancelled, EXISTS (SELECT 1 FROM slot_closures c WHERE c.slot_id = s.id) AS countersigned
     FROM slots s WHERE s.deleted_at IS NULL AND s.session_id IN (SELECT value FROM json_each(?)) ORDER BY s.date, s.start_time, s.id`,
    json(sessionIds),
  );
  const slots: ClaimSlot[] = slotRows.map((r) => ({ id: r.id, sessionId: r.session_id, date: r.date, minutes: r.minutes, modality: r.modality, cancelled: r.cancelled === 1, countersigned: r.countersigned === 1 }));

  const { marks, fingerprint } = await loadSignedMarks(ctx, enrolmentIds);

  const programmeRows = await rawAll<{ id: string; code: string; name: string; funder_code: string }>(
    ctx.db, 'SELECT id, code, name, funder_code FROM programmes WHERE deleted_at IS NULL AND funder_code = ? ORDER BY code', f,
  );
  const ruleRows = options.ruleIds
    ? await rawAll<{ id: string; programme_id: string; valid_from: string; valid_to: string | null; rule: string }>(
        ctx.db, 'SELECT id, programme_id, valid_from, valid_to, rule FROM programme_rules WHERE id IN (SELECT value FROM json_each(?)) ORDER BY valid_from, id', json(options.ruleIds),
      )
    : await rawAll<{ id: string; programme_id: string; valid_from: string; valid_to: string | null; rule: string }>(
        ctx.db,
        `SELECT r.id, r.programme_id, r.valid_from, r.valid_to, r.rule FROM programme_rules r JOIN programmes p ON p.id = r.programme_id
         WHERE p.funder_code = ? AND NOT EXISTS (SELECT 1 FROM programme_rules n WHERE n.replaces_id = r.id) ORDER BY r.valid_from, r.id`,
        f,
      );
  const rulesOf = new Map<string, RuleVersion[]>();
  for (const r of ruleRows) {
    let list = rulesOf.get(r.programme_id);
    if (!list) rulesOf.set(r.programme_id, (list = []));
    list.push({ id: r.id, validFrom: r.valid_from, validTo: r.valid_to, rule: fundingRule.parse(JSON.parse(r.rule)) });
  }
  const programmes: ClaimProgramme[] = programmeRows.map((p) => ({ id: p.id, code: p.code, name: p.name, funderCode: p.funder_code, rules: rulesOf.get(p.id) ?? [] }));

  const contractRows = await rawAll<{ id: string; enrolment_id: string; last_name: string; first_name: string; diploma: string; funder_code: string; programme_id: string | null; majoration_programme_id: string | null; npec_cents: number; start_date: string; end_date: string; rupture_date: string | null; rncp_code: string; zrr: number | null; qpv: number | null }>(
    ctx.db,
    `SELECT c.id, c.enrolment_id, t.last_name, t.first_name, c.diploma, c.funder_code, c.programme_id, c.majoration_programme_id,
       c.npec_cents, c.start_date, c.end_date, c.rupture_date, c.rncp_code, p.zrr, p.qpv
     FROM apprenticeship_contracts c JOIN enrolments e ON e.id = c.enrolment_id JOIN trainees t ON t.id = e.trainee_id LEFT JOIN places p ON p.id = c.place_id
     WHERE c.deleted_at IS NULL AND (c.funder_code = ? OR c.majoration_programme_id IN (SELECT id FROM programmes WHERE funder_code = ?)) ORDER BY c.id`,
    f, f,
  );
  const contracts: ClaimContract[] = contractRows.map((c) => ({
    id: c.id, enrolmentId: c.enrolment_id, label: `${personLabel(c.last_name, c.first_name)} — ${c.diploma}`, funderCode: c.funder_code, programmeId: c.programme_id, majorationProgrammeId: c.majoration_programme_id,
    npecCents: c.npec_cents, startDate: c.start_date, endDate: c.end_date, ruptureDate: c.rupture_date, rncpCode: c.rncp_code, siteZrr: c.zrr === 1, siteQpv: c.qpv === 1,
  }));

  const billedBefore = await loadBilledBefore(ctx, f, options.asOfClaim);
  const sessionRows = await rawAll<{ id: string; label: string }>(ctx.db, 'SELECT id, label FROM sessions WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id', json(sessionIds));
  const sessionLabels = Object.fromEntries(sessionRows.map((r) => [r.id, r.label]));
  const input: ClaimInput = { request, programmes, fundingLines, enrolments, slots, marks, contracts, billedBefore, sessionLabels };
  return { input, marks, inputsSha256: sha256(`${canonicalJson({ ...input, marks: null })}\n${fingerprint}`) };
}

/** What the funder's claims out of draft already billed (before `asOf`, when given). */
async function loadBilledBefore(ctx: Ctx, funderCode: string, asOf: LoadOptions['asOfClaim']): Promise<BilledBefore> {
  const rows = await rawAll<{ unit: string; enrolment_id: string | null; session_id: string | null; contract_id: string | null; programme_id: string | null; minutes: number | null; amount_cents: number; majoration: string | null }>(
    ctx.db,
    `SELECT l.unit, l.enrolment_id, l.session_id, l.contract_id, l.programme_id, l.minutes, l.amount_cents, json_extract(l.detail, '$.majorationCode') AS majoration
     FROM claim_lines l JOIN claims c ON c.id = l.claim_id
     WHERE c.funder_code = ? AND c.status <> 'draft' AND c.status <> 'rejected' AND c.id <> ? AND (? IS NULL OR c.validated_at < ?)
     ORDER BY c.validated_at, c.id, l.position`,
    funderCode, asOf?.id ?? '', asOf?.validatedAt ?? null, asOf?.validatedAt ?? null,
  );
  const billed: BilledBefore = { minutesByEnrolmentProgramme: {}, amountByProgramme: {}, onceKeys: [] };
  const once = new Set<string>();
  for (const r of rows) {
    if (r.programme_id) billed.amountByProgramme[r.programme_id] = (billed.amountByProgramme[r.programme_id] ?? 0) + r.amount_cents;
    if (r.minutes !== null && r.enrolment_id && r.programme_id) {
      const key = `${r.enrolment_id}|${r.programme_id}`;
      billed.minutesByEnrolmentProgramme[key] = (billed.minutesByEnrolmentProgramme[key] ?? 0) + r.minutes;
    }
    if (['learner-lump-sum', 'session-lump-sum', 'pathway-lump-sum', 'contract-majoration'].includes(r.unit) && r.amount_cents > 0) {
      once.add(`${r.unit}|${r.enrolment_id ?? r.session_id ?? r.contract_id}|${r.programme_id}|${r.majoration ?? ''}`);
    }
  }
  billed.onceKeys = [...once].sort();
  return billed;
}
