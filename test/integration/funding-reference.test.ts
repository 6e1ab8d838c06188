/**
 * Funders, programmes and their dated rule versions (issue #10): every refusal, the append-only history, and
 * the receiver's programmes catalogue turned into programmes and versions (idempotent).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiError } from '../../shared/errors';
import type { FundingRuleInput } from '../../shared/schemas/funding';
import { testBackend, type TestBackend } from '../helpers/backend';
import { syncBench, type SyncBench } from '../helpers/sync';

let tb: TestBackend | undefined;
let bench: SyncBench | undefined;
afterEach(async () => {
  await tb?.cleanup();
  await bench?.close();
  tb = undefined;
  bench = undefined;
});

const HOURLY: FundingRuleInput = { unit: 'trainee-hour', rateCents: 1250, payerCategory: 'C-6' };

async function refusal(p: Promise<unknown>): Promise<ApiError> {
  const e = await p.then(
    () => null,
    (err: { api?: ApiError }) => err.api ?? null,
  );
  expect(e, 'the call should have been refused').not.toBeNull();
  return e!;
}

async function programme(b: TestBackend, code = 'AVENIR-NOR', funderCode = 'REGION') {
  return b.api['programmes.save']({ code, name: '#Avenir Normandie', region: 'Normandie', funderCode });
}

describe('funders', () => {
  it('lists the generic funders with their BPF category, creates and updates one, refuses a taken code', async () => {
    tb = await testBackend();
    const before = await tb.api['funders.list']();
    expect(before.find((f) => f.code === 'AGEFIPH')).toMatchObject({ name: 'Agefiph', kind: 'agefiph', payerCategory: 'C-8', active: true, programmeCount: 0 });
    expect(before.find((f) => f.code === 'REGION')?.payerCategory).toBe('C-6');

    const created = await tb.api['funders.save']({ code: 'opco_atlas', create: true, name: 'OPCO Atlas', kind: 'opco', payerCategory: 'C-2h', city: 'Paris' });
    expect(created).toMatchObject({ code: 'OPCO_ATLAS', name: 'OPCO Atlas', payerCategory: 'C-2h', active: true, city: 'Paris' });

    const updated = await tb.api['funders.save']({ code: 'OPCO_ATLAS', name: 'Atlas', kind: 'opco', payerCategory: 'C-2h', active: false });
    expect(updated).toMatchObject({ name: 'Atlas', active: false, city: null });

    const taken = await refusal(tb.api['funders.save']({ code: 'REGION', create: true, name: 'Autre région', kind: 'region', payerCategory: 'C-6' }));
    expect(taken).toMatchObject({ code: 'conflict', message: "Le code REGION est déjà celui d'un financeur.", issues: [{ path: 'code', message: 'Code déjà pris.' }] });

    const unknown = await refusal(tb.api['funders.save']({ code: 'NOPE', name: 'X', kind: 'autre', payerCategory: 'C-11' }));
    expect(unknown.issues).toEqual([{ path: 'code', message: 'Financeur inconnu.' }]);

    const badCategory = await refusal(tb.api['funders.save']({ code: 'X', create: true, name: 'X', kind: 'autre', payerCategory: 'C-99' as 'C-1' }));
    expect(badCategory.issues).toEqual([{ path: 'payerCategory', message: 'Catégorie BPF inconnue (C-1 à C-11).' }]);
  });
});

describe('programmes', () => {
  it('refuses an unknown funder and a duplicate code, naming the field', async () => {
    tb = await testBackend();
    const unknown = await refusal(programme(tb, 'P1', 'NOBODY'));
    expect(unknown).toMatchObject({ message: 'Financeur inconnu : NOBODY.', issues: [{ path: 'funderCode', message: 'Financeur inconnu.' }] });

    const p = await programme(tb, 'P1');
    expect(p).toMatchObject({ code: 'P1', funderCode: 'REGION', source: 'local', versions: [], inForceId: null });
    const twice = await refusal(programme(tb, 'P1', 'OPCO'));
    expect(twice).toMatchObject({ code: 'conflict', message: "Le code P1 est déjà celui d'un autre dispositif.", issues: [{ path: 'code', message: 'Code déjà pris.' }] });
    // Saving itself under its own code is no duplicate.
    const renamed = await tb.api['programmes.save']({ id: p.id, code: 'P1', name: 'Renommé', funderCode: 'REGION' });
    expect([renamed.name, renamed.version]).toEqual(['Renommé', 2]);
    expect((await tb.api['funders.list']()).find((f) => f.code === 'REGION')?.programmeCount).toBe(1);
    expect((await tb.api['programmes.list']({ funderCode: 'REGION' })).map((x) => x.code)).toEqual(['P1']);
    expect(await tb.api['programmes.list']({ funderCode: 'OPCO' })).toEqual([]);
  });
});

describe('rule versions', () => {
  it('adds dated versions; today (23/11/2026) one is in force, the others ended or future', async () => {
    tb = await testBackend('2026-11-23T09:00:00Z');
    const p = await programme(tb);
    await tb.api['programmeRules.add']({ programmeId: p.id, validFrom: '2025-01-01', validTo: '2025-12-31', rule: HOURLY });
    await tb.api['programmeRules.add']({ programmeId: p.id, validFrom: '2027-01-01', validTo: null, rule: { ...HOURLY, rateCents: 1400 } });
    const after = await tb.api['programmeRules.add']({ programmeId: p.id, validFrom: '2026-01-01', validTo: '2026-12-31', rule: { ...HOURLY, rateCents: 1300 } });
    expect(after.versions.map((v) => [v.validFrom, v.validTo, v.rule.rateCents, v.state])).toEqual([
      ['2025-01-01', '2025-12-31', 1250, 'ended'],
      ['2026-01-01', '2026-12-31', 1300, 'in-force'],
      ['2027-01-01', null, 1400, 'future'],
    ]);
    expect(after.inForceId).toBe(after.versions[1]!.id);
    // The stored rule is the whole pack, defaults filled.
    expect(after.versions[1]!.rule).toMatchObject({ unit: 'trainee-hour', rounding: 'half-up-per-line', billable: { present: true, excused: false }, evidence: ['certificat', 'invoice', 'statement'] });
  });

  it('refuses an overlapping window with the French dates of both', async () => {
    tb = await testBackend();
    const p = await programme(tb);
    await tb.api['programmeRules.add']({ programmeId: p.id, validFrom: '2026-07-01', validTo: null, rule: HOURLY });
    const e = await refusal(tb.api['programmeRules.add']({ programmeId: p.id, validFrom: '2026-01-01', validTo: '2026-12-31', rule: HOURLY }));
    expect(e).toMatchObject({
      code: 'validation',
      message: 'La version du 01/01/2026 au 31/12/2026 chevauche celle du 01/07/2026 sans date de fin.',
      issues: [{ path: 'validFrom', message: 'La version du 01/01/2026 au 31/12/2026 chevauche celle du 01/07/2026 sans date de fin.' }],
    });
    const english = await tb.dispatch('programmeRules.add', { programmeId: p.id, validFrom: '2026-01-01', validTo: '2026-12-31', rule: HOURLY }, { locale: 'en' });
    expect(english).toMatchObject({ ok: false, error: { message: 'The version from 01/01/2026 to 31/12/2026 overlaps the one from 01/07/2026 with no end date.' } });
    // Touching windows do not overlap: up to the eve is fine.
    const ok = await tb.api['programmeRules.add']({ programmeId: p.id, validFrom: '2026-01-01', validTo: '2026-06-30', rule: HOURLY });
    expect(ok.versions).toHaveLength(2);
    // Another programme's windows are no concern.
    const other = await programme(tb, 'OTHER');
    expect((await tb.api['programmeRules.add']({ programmeId: other.id, validFrom: '2026-01-01', validTo: null, rule: HOURLY })).versions).toHaveLength(1);
  });

  it('refuses a rule that does not parse, in French naming the field, and in English on demand', async () => {
    tb = await testBackend();
    const p = await programme(tb);
    const grant = await refusal(tb.api['programmeRules.add']({ programmeId: p.id, validFrom: '2026-01-01', rule: { unit: 'grant-percent', rateCents: 1000, payerCategory: 'C-8' } }));
    expect(grant.code).toBe('validation');
    expect(grant.issues).toEqual([{ path: 'rule.grantBasisPoints', message: 'Indiquez la part de la subvention (en %).' }]);
    const unit = await refusal(tb.api['programmeRules.add']({ programmeId: p.id, validFrom: '2026-01-01', rule: { unit: 'hour' as 'day', payerCategory: 'C-6' } }));
    expect(unit.issues).toEqual([{ path: 'rule.unit', message: 'Unité de facturation inconnue.' }]);
    const negative = await refusal(tb.api['programmeRules.add']({ programmeId: p.id, validFrom: '2026-01-01', rule: { ...HOURLY, rateCents: -5 } }));
    expect(negative.issues).toEqual([{ path: 'rule.rateCents', message: 'Le montant ne peut pas être négatif.' }]);
    const backwards = await refusal(tb.api['programmeRules.add']({ programmeId: p.id, validFrom: '2026-12-31', validTo: '2026-01-01', rule: HOURLY }));
    expect(backwards.issues).toEqual([{ path: 'validTo', message: 'La fin de validité précède son début.' }]);
    const english = await tb.dispatch('programmeRules.add', { programmeId: p.id, validFrom: '2026-01-01', rule: { unit: 'grant-percent', payerCategory: 'C-8' } }, { locale: 'en' });
    expect(english.ok).toBe(false);
    expect(english).toMatchObject({ ok: false, error: { message: 'Invalid input — share of the grant: Enter the share of the grant (in %).' } });
    expect((await tb.api['programmes.list']({ id: p.id }))[0]!.versions).toEqual([]);
  });

  it('a correction is a new version replacing the old one: history kept, rows never changed, replaced once only', async () => {
    tb = await testBackend('2026-11-23T09:00:00Z');
    const p = await programme(tb);
    const v1 = (await tb.api['programmeRules.add']({ programmeId: p.id, validFrom: '2026-01-01', validTo: '2026-12-31', rule: HOURLY })).versions[0]!;
    const after = await tb.api['programmeRules.add']({ programmeId: p.id, validFrom: '2026-01-01', validTo: '2026-12-31', rule: { ...HOURLY, rateCents: 1275 }, note: 'Avenant n° 1', replacesId: v1.id });
    expect(after.versions.map((v) => [v.rule.rateCents, v.state, v.replacesId, v.replacedById, v.note])).toEqual([
      [1250, 'replaced', null, after.versions[1]!.id, null],
      [1275, 'in-force', v1.id, null, 'Avenant n° 1'],
    ]);
    expect(after.inForceId).toBe(after.versions[1]!.id);
    // The table itself refuses a change or a removal.
    expect(() => tb!.raw.prepare('UPDATE programme_rules SET rule = ? WHERE id = ?').run('{}', v1.id)).toThrow(/never changed/);
    expect(() => tb!.raw.prepare('DELETE FROM programme_rules WHERE id = ?').run(v1.id)).toThrow(/never changed/);
    const again = await refusal(tb.api['programmeRules.add']({ programmeId: p.id, validFrom: '2026-01-01', validTo: '2026-12-31', rule: HOURLY, replacesId: v1.id }));
    expect(again).toMatchObject({ code: 'conflict', message: 'La version du 01/01/2026 au 31/12/2026 a déjà été remplacée : corrigez la version qui la remplace.' });
    const other = await programme(tb, 'OTHER');
    const foreign = await refusal(tb.api['programmeRules.add']({ programmeId: other.id, validFrom: '2026-01-01', rule: HOURLY, replacesId: after.versions[1]!.id }));
    expect(foreign.issues).toEqual([{ path: 'replacesId', message: 'Version inconnue.' }]);
  });

  it('refuses to correct a version a claim past draft used; a draft claim does not freeze it', async () => {
    tb = await testBackend('2026-11-23T09:00:00Z');
    const p = await programme(tb);
    const v1 = (await tb.api['programmeRules.add']({ programmeId: p.id, validFrom: '2026-01-01', validTo: '2026-12-31', rule: HOURLY })).versions[0]!;
    const at = '2026-11-23T09:00:00.000Z';
    tb.raw
      .prepare(
        `INSERT INTO claims (id, funder_code, programme_id, period_from, period_to, total_cents, inputs_sha256, built_at, created_at, created_by, updated_at, updated_by)
         VALUES ('c1', 'REGION', ?, '2026-10-01', '2026-10-31', 1250, ?, ?, ?, 'local', ?, 'local')`,
      )
      .run(p.id, 'a'.repeat(64), at, at, at);
    tb.raw
      .prepare(
        `INSERT INTO claim_lines (id, claim_id, position, programme_id, rule_id, unit, cost_type, label, quantity_e4, unit_price_cents, amount_cents)
         VALUES ('l1', 'c1', 1, ?, ?, 'trainee-hour', 'pedagogique', 'x', 10000, 1250, 1250)`,
      )
      .run(p.id, v1.id);
    expect((await tb.api['programmes.list']({ id: p.id }))[0]!.versions[0]!.frozen).toBe(false);
    tb.raw.prepare("UPDATE claims SET status = 'validated', validated_at = ?, validated_by = 'local', frozen_sha256 = ? WHERE id = 'c1'").run(at, 'b'.repeat(64));
    expect((await tb.api['programmes.list']({ id: p.id }))[0]!.versions[0]!.frozen).toBe(true);
    const e = await refusal(tb.api['programmeRules.add']({ programmeId: p.id, validFrom: '2026-01-01', validTo: '2026-12-31', rule: { ...HOURLY, rateCents: 1300 }, replacesId: v1.id }));
    expect(e).toMatchObject({
      code: 'business',
      message: 'La version du 01/01/2026 au 31/12/2026 a servi à une demande de paiement validée : elle ne peut plus être modifiée. Ajoutez une nouvelle version pour la suite.',
      issues: [{ path: 'replacesId', message: 'Version utilisée par une demande validée.' }],
    });
    // A new version after it is still possible.
    expect((await tb.api['programmeRules.add']({ programmeId: p.id, validFrom: '2027-01-01', rule: { ...HOURLY, rateCents: 1300 } })).versions).toHaveLength(2);
  });
});

describe("the receiver's programmes catalogue", () => {
  it('imports programmes and versions, creates a funder only from the funders catalogue, and is idempotent', async () => {
    bench = await syncBench();
    const { tb: b, receiver, receiverId } = bench;
    receiver.publish('programmes', { code: 'AGE-TOPUP', name: 'Agefiph : abondement 25 %', funderCode: 'AGEFIPH_IDF', unit: 'day', rateCents: 9000, validFrom: '2026-01-01' });
    receiver.publish('programmes', { code: 'GHOST', name: 'Sans financeur connu', funderCode: 'NOWHERE', unit: 'hour', rateCents: 1000, validFrom: '2026-01-01' });
    receiver.publish('programmes', { code: 'ODD', name: 'Unité inconnue', funderCode: 'REGION', unit: 'per-moon', validFrom: '2026-01-01' });
    receiver.publish('funders', { code: 'AGEFIPH_IDF', name: 'Agefiph Île-de-France', kind: 'agefiph' });

    // Pulling the programmes imports what it can at once: AGEFIPH_IDF is not known yet.
    expect((await b.sync.pullReference(receiverId, 'programmes')).status).toBe('updated');
    let list = await b.api['programmes.list']();
    expect(list.map((p) => p.code)).toEqual(['PIC-PACTE-2026', 'PRF-GE-2026']);
    // The funders catalogue brings it: the next import takes the programme.
    expect((await b.sync.pullReference(receiverId, 'funders')).status).toBe('updated');
    list = await b.api['programmes.list']();
    expect(list.map((p) => [p.code, p.funderCode, p.source, p.versions.length])).toEqual([
      ['AGE-TOPUP', 'AGEFIPH_IDF', 'reference', 1],
      ['PIC-PACTE-2026', 'ETAT', 'reference', 1],
      ['PRF-GE-2026', 'REGION', 'reference', 1],
    ]);
    const funder = (await b.api['funders.list']()).find((f) => f.code === 'AGEFIPH_IDF');
    expect(funder).toMatchObject({ name: 'Agefiph Île-de-France', kind: 'agefiph', payerCategory: 'C-8' });

    const prf = list.find((p) => p.code === 'PRF-GE-2026')!;
    expect(prf.versions[0]).toMatchObject({ validFrom: '2026-01-01', validTo: '2026-12-31', state: 'in-force', note: "Non repris du référentiel (Sillon ne sait pas encore l'appliquer) : rules.minAttendanceRate = 0.7." });
    expect(prf.versions[0]!.rule).toMatchObject({ unit: 'trainee-hour', rateCents: 1250, payerCategory: 'C-6', caps: { minutesPerEnrolment: 60_000, hourlyPriceCents: null } });
    expect(list.find((p) => p.code === 'AGE-TOPUP')!.versions[0]!.rule).toMatchObject({ unit: 'day', rateCents: 9000, payerCategory: 'C-8' });

    // On demand, again: nothing added, what was skipped is said.
    const again = await b.api['programmes.importReference']({ receiverId });
    expect(again).toEqual({
      programmesCreated: 0,
      programmesUpdated: 0,
      versionsAdded: 0,
      unchanged: 3,
      fundersCreated: [],
      skipped: [
        { code: 'GHOST', reason: 'financeur NOWHERE inconnu (absent du référentiel des financeurs)' },
        { code: 'ODD', reason: 'unité « per-moon » inconnue de Sillon' },
      ],
    });
    const versions = () => b.raw.prepare('SELECT count(*) AS n FROM programme_rules').get() as { n: number };
    expect(versions().n).toBe(3);

    // A changed item: a new version replacing the previous one, history kept.
    receiver.publish('programmes', { code: 'PRF-GE-2026', name: 'PRF Grand Est 2026', funderCode: 'REGION', unit: 'hour', rateCents: 1300, capMinutes: 60_000, validFrom: '2026-01-01', validTo: '2026-12-31' });
    expect((await b.sync.pullReference(receiverId, 'programmes')).status).toBe('updated');
    const changed = (await b.api['programmes.list']()).find((p) => p.code === 'PRF-GE-2026')!;
    expect(changed.name).toBe('PRF Grand Est 2026');
    expect(changed.versions.map((v) => [v.rule.rateCents, v.state, v.note])).toEqual([
      [1250, 'replaced', expect.stringContaining('minAttendanceRate')],
      [1300, 'in-force', null],
    ]);
    expect(changed.versions[1]!.replacesId).toBe(changed.versions[0]!.id);
    expect(versions().n).toBe(4);
    expect((await b.api['programmes.importReference']({})).versionsAdded).toBe(0);
    expect(versions().n).toBe(4);
  });

  it('never takes over a programme a manager keyed in under the same code', async () => {
    bench = await syncBench();
    await bench.tb.api['programmes.save']({ code: 'PRF-GE-2026', name: 'Saisi à la main', funderCode: 'REGION' });
    await bench.tb.sync.pullReference(bench.receiverId, 'programmes');
    const out = await bench.tb.api['programmes.importReference']({});
    expect(out.skipped).toEqual([{ code: 'PRF-GE-2026', reason: 'un dispositif saisi localement porte déjà ce code' }]);
    const mine = (await bench.tb.api['programmes.list']()).find((p) => p.code === 'PRF-GE-2026')!;
    expect([mine.source, mine.name, mine.versions]).toEqual(['local', 'Saisi à la main', []]);
  });
});
