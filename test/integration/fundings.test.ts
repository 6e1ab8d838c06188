/**
 * Issue #10: the funding lines of an enrolment or a session (fundings.list / fundings.save) and the
 * apprenticeship contracts (contracts.*). Every refusal names its field in French.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testBackend, type TestBackend } from '../helpers/backend';

let b: TestBackend;
beforeEach(async () => {
  b = await testBackend('2026-11-20T09:00:00Z');
});
afterEach(async () => b.cleanup());

const AVENIR = '01900000-0000-7000-8000-0000000000a1';
const TPME = '01900000-0000-7000-8000-0000000000a2';

async function world() {
  const at = '2026-11-01T00:00:00.000Z';
  const add = b.raw.prepare(`INSERT INTO programmes (id, code, funder_code, name, created_at, created_by, updated_at, updated_by) VALUES (?, ?, ?, ?, '${at}', 'local', '${at}', 'local')`);
  add.run(AVENIR, 'AVENIR', 'REGION', '#Avenir');
  add.run(TPME, 'TPME', 'OPCO', 'Parcours TPME');
  const action = await b.api['actions.save']({ title: 'Bureautique', plannedMinutes: 6000, modality: 'presentiel' });
  const session = await b.api['sessions.save']({ actionId: action.id, label: 'Groupe 1', mode: 'cohort', capacity: 5, startDate: '2026-11-09', endDate: '2027-06-30' });
  const trainee = await b.api['trainees.save']({ lastName: 'Martin', firstName: 'Sophie', birthDate: '1990-01-01' });
  const enrolment = await b.api['enrolments.create']({ sessionId: session.id, traineeId: trainee.id, funderCode: 'REGION', fileNumber: 'R-1' });
  return { session, enrolment };
}

/** The API error of a call that must fail. */
async function refusal(call: Promise<unknown>) {
  try {
    await call;
  } catch (e) {
    return (e as { api: { code: string; message: string; issues?: { path: string; message: string }[] } }).api;
  }
  throw new Error('the call was accepted');
}

const rows = (owner: string) =>
  b.raw.prepare('SELECT id, funder_code, share_kind, share_value, position, version, deleted_at IS NOT NULL AS deleted FROM fundings WHERE enrolment_id = ? OR session_id = ? ORDER BY created_at, id').all(owner, owner) as {
    id: string; funder_code: string; share_kind: string; share_value: number | null; position: number; version: number; deleted: number;
  }[];

describe('funding lines', () => {
  it('an enrolment starts with its one remainder line, listed with names', async () => {
    const { enrolment } = await world();
    const list = await b.api['fundings.list']({ enrolmentId: enrolment.id });
    expect(list.lines).toMatchObject([{ funderCode: 'REGION', funderName: 'Conseil régional', shareKind: 'remainder', fileNumber: 'R-1', position: 1, version: 1, costType: 'pedagogique' }]);
    expect(list.programmes.map((p) => p.code).sort()).toEqual(['AVENIR', 'TPME']);
  });

  it('replaces the set: kept lines change version only when changed, removed ones are tombstoned', async () => {
    const { enrolment } = await world();
    const first = (await b.api['fundings.list']({ enrolmentId: enrolment.id })).lines[0]!;
    // Two funders: the Region 70 % on #Avenir, the OPCO the remainder.
    const two = await b.api['fundings.save']({
      enrolmentId: enrolment.id,
      lines: [
        { id: first.id, funderCode: 'REGION', programmeId: AVENIR, shareKind: 'percent', shareValue: 7000, fileNumber: 'R-1' },
        { funderCode: 'OPCO', programmeId: TPME, shareKind: 'remainder', purchaseOrder: 'BC-42', rateCents: 1800 },
      ],
    });
    expect(two.lines).toMatchObject([
      { id: first.id, funderCode: 'REGION', programmeName: '#Avenir', shareKind: 'percent', shareValue: 7000, position: 1, version: 2 },
      { funderCode: 'OPCO', programmeName: 'Parcours TPME', shareKind: 'remainder', shareValue: null, purchaseOrder: 'BC-42', rateCents: 1800, position: 2, version: 1 },
    ]);
    const opcoId = two.lines[1]!.id;
    // Saved again unchanged: no version moves.
    const same = await b.api['fundings.save']({ enrolmentId: enrolment.id, lines: two.lines.map((l) => ({ ...l })) });
    expect(same.lines.map((l) => l.version)).toEqual([2, 1]);
    // The OPCO first, the Region line removed: the OPCO line moves (version 2), the Region line is tombstoned (version 3).
    const swapped = await b.api['fundings.save']({ enrolmentId: enrolment.id, lines: [{ id: opcoId, funderCode: 'OPCO', programmeId: TPME, shareKind: 'remainder', purchaseOrder: 'BC-42', rateCents: 1800 }] });
    expect(swapped.lines).toMatchObject([{ id: opcoId, position: 1, version: 2 }]);
    expect(rows(enrolment.id)).toEqual([
      expect.objectContaining({ id: first.id, funder_code: 'REGION', version: 3, deleted: 1 }),
      expect.objectContaining({ id: opcoId, funder_code: 'OPCO', position: 1, version: 2, deleted: 0 }),
    ]);
    // The enrolment's funder is now the first line's.
    const page = await b.api['sessions.get']({ id: enrolment.sessionId });
    expect(page.enrolments[0]).toMatchObject({ funderCode: 'OPCO', fileNumber: null });
  });

  it('the enrolment record sent to the funders follows its primary funder once it was queued', async () => {
    const { enrolment } = await world();
    await b.api['enrolments.setStatus']({ enrolmentId: enrolment.id, status: 'entered', effectiveDate: '2026-11-09' });
    const queued = () => (b.raw.prepare("SELECT payload FROM outbox WHERE record_id = ? ORDER BY version").all(enrolment.id) as { payload: string }[]).map((r) => JSON.parse(r.payload).funder);
    expect(queued()).toEqual([{ code: 'REGION', fileNumber: 'R-1' }]);
    const first = (await b.api['fundings.list']({ enrolmentId: enrolment.id })).lines[0]!;
    // A second funder after the first: the primary is unchanged, nothing queued.
    await b.api['fundings.save']({ enrolmentId: enrolment.id, lines: [{ ...first, shareKind: 'percent', shareValue: 7000 }, { funderCode: 'AGEFIPH', shareKind: 'remainder' }] });
    expect(queued()).toHaveLength(1);
    // The Agefiph line first: the record is queued again with it.
    const now = (await b.api['fundings.list']({ enrolmentId: enrolment.id })).lines;
    await b.api['fundings.save']({ enrolmentId: enrolment.id, lines: [{ ...now[1]!, fileNumber: 'AG-7' }, now[0]!] });
    expect(queued()).toEqual([{ code: 'REGION', fileNumber: 'R-1' }, { code: 'AGEFIPH', fileNumber: 'AG-7' }]);
  });

  it('a planned enrolment the funders never received is not queued by a change of lines', async () => {
    const { enrolment } = await world();
    await b.api['fundings.save']({ enrolmentId: enrolment.id, lines: [{ funderCode: 'OPCO', shareKind: 'remainder' }] });
    expect(b.raw.prepare('SELECT count(*) AS n FROM outbox WHERE record_id = ?').get(enrolment.id)).toEqual({ n: 0 });
  });

  it('a whole session has its own lines', async () => {
    const { session } = await world();
    expect((await b.api['fundings.list']({ sessionId: session.id })).lines).toEqual([]);
    const saved = await b.api['fundings.save']({ sessionId: session.id, lines: [{ funderCode: 'REGION', shareKind: 'minutes', shareValue: 7200 }, { funderCode: 'ETAT', shareKind: 'remainder', costType: 'remuneration' }] });
    expect(saved.lines).toMatchObject([{ sessionId: session.id, enrolmentId: null, shareKind: 'minutes', shareValue: 7200, position: 1 }, { funderCode: 'ETAT', costType: 'remuneration', position: 2 }]);
    // Emptied: both tombstoned, allowed for a session.
    expect((await b.api['fundings.save']({ sessionId: session.id, lines: [] })).lines).toEqual([]);
    expect(rows(session.id).map((r) => [r.deleted, r.version])).toEqual([[1, 2], [1, 2]]);
  });

  describe('refusals name the line and the field', () => {
    const cases: { name: string; lines: Record<string, unknown>[]; path: string; message: string }[] = [
      {
        name: 'percents over 100 %',
        lines: [{ funderCode: 'REGION', shareKind: 'percent', shareValue: 7000 }, { funderCode: 'OPCO', shareKind: 'percent', shareValue: 4000 }],
        path: 'lines.1.shareValue',
        message: 'Financements — ligne 2 : Les pourcentages du coût pédagogique dépassent 100 % (110 %).',
      },
      {
        name: 'two remainders in one cost type',
        lines: [{ funderCode: 'REGION', shareKind: 'remainder' }, { funderCode: 'OPCO', shareKind: 'remainder' }],
        path: 'lines.1.shareKind',
        message: 'Financements — ligne 2 : Un seul « reste » par type de coût : la ligne 1 prend déjà le reste du coût pédagogique.',
      },
      {
        name: 'a programme of another funder',
        lines: [{ funderCode: 'REGION', programmeId: TPME, shareKind: 'remainder' }],
        path: 'lines.0.programmeId',
        message: 'Financements — ligne 1 : Le dispositif « Parcours TPME » appartient à un autre financeur (OPCO (opérateur de compétences)).',
      },
      { name: 'an unknown funder', lines: [{ funderCode: 'NOPE', shareKind: 'remainder' }], path: 'lines.0.funderCode', message: 'Financements — ligne 1 : Financeur inconnu : NOPE.' },
      { name: 'no line left', lines: [], path: 'lines', message: 'Financements — Une inscription garde au moins une ligne de financement.' },
    ];
    it.each(cases)('$name', async ({ lines, path, message }) => {
      const { enrolment } = await world();
      const before = rows(enrolment.id);
      const err = await refusal(b.api['fundings.save']({ enrolmentId: enrolment.id, lines: lines as never }));
      expect(err.code).toBe('validation');
      expect(err.message).toBe(message);
      expect(err.issues?.[0]?.path).toBe(path);
      // Nothing written.
      expect(rows(enrolment.id)).toEqual(before);
    });

    it('an unknown enrolment or session', async () => {
      await world();
      const err = await refusal(b.api['fundings.save']({ enrolmentId: '01900000-0000-7000-8000-00000000ffff', lines: [] }));
      expect(err).toMatchObject({ code: 'not_found', issues: [{ path: 'enrolmentId' }] });
      const other = await refusal(b.api['fundings.list']({ sessionId: '01900000-0000-7000-8000-00000000ffff' }));
      expect(other).toMatchObject({ code: 'not_found', message: 'Session introuvable.' });
    });

    it('neither or both owners', async () => {
      const { enrolment, session } = await world();
      const err = await refusal(b.api['fundings.save']({ enrolmentId: enrolment.id, sessionId: session.id, lines: [] }));
      expect(err).toMatchObject({ code: 'validation', issues: [{ path: 'enrolmentId', message: 'Indiquez une inscription ou une session.' }] });
    });
  });
});

describe('apprenticeship contracts', () => {
  async function contractWorld() {
    const w = await world();
    const employer = await b.api['companies.save']({ name: 'Boulangerie Dupain', siret: '73282932000074' });
    const place = await b.api['places.save']({ name: 'Site de Figeac', postcode: '46100', city: 'Figeac', zrr: true });
    const base = {
      enrolmentId: w.enrolment.id,
      employerId: employer.id,
      diploma: 'CAP Boulanger',
      rncpCode: 'rncp37859',
      startDate: '2026-09-01',
      endDate: '2028-08-31',
      funderCode: 'OPCO',
      programmeId: TPME,
      npecCents: 750_000,
      placeId: place.id,
      majorationProgrammeId: AVENIR,
    };
    return { ...w, employer, place, base };
  }

  it('saves, lists with the site flags, filters, changes and records a rupture', async () => {
    const { base, enrolment } = await contractWorld();
    const c = await b.api['contracts.save'](base);
    expect(c).toMatchObject({ rncpCode: 'RNCP37859', apprenticeName: 'Martin Sophie', employerName: 'Boulangerie Dupain', employerSiret: '73282932000074', funderName: 'OPCO (opérateur de compétences)', programmeName: 'Parcours TPME', majorationProgrammeName: '#Avenir', placeName: 'Site de Figeac', siteZrr: true, siteQpv: false, ruptureDate: null, version: 1 });
    expect((await b.api['contracts.list']({ funderCode: 'OPCO' })).map((x) => x.id)).toEqual([c.id]);
    expect(await b.api['contracts.list']({ funderCode: 'REGION' })).toEqual([]);
    expect((await b.api['contracts.list']({ enrolmentId: enrolment.id })).map((x) => x.id)).toEqual([c.id]);
    const changed = await b.api['contracts.save']({ ...base, id: c.id, npecCents: 800_000 });
    expect(changed).toMatchObject({ npecCents: 800_000, version: 2 });
    const broken = await b.api['contracts.rupture']({ id: c.id, date: '2027-03-15', reason: "Rupture d'un commun accord" });
    expect(broken).toMatchObject({ ruptureDate: '2027-03-15', ruptureReason: "Rupture d'un commun accord", version: 3 });
    expect(await b.api['contracts.get']({ id: c.id })).toEqual(broken);
    // A change that would leave the rupture outside the contract is refused.
    const err = await refusal(b.api['contracts.save']({ ...base, id: c.id, endDate: '2027-01-31' }));
    expect(err).toMatchObject({ code: 'business', issues: [{ path: 'endDate' }] });
  });

  it.each([
    ['end before start', { startDate: '2026-09-01', endDate: '2026-08-31' }, 'endDate', 'La fin du contrat ne peut pas précéder son début.'],
    ['an RNCP code of the wrong form', { rncpCode: 'RS1234' }, 'rncpCode', 'Code RNCP invalide (ex. RNCP37859).'],
    ['a negative coût contrat', { npecCents: -1 }, 'npecCents', 'Le coût contrat ne peut pas être négatif.'],
    ['an unknown funder', { funderCode: 'NOPE' }, 'funderCode', 'Financeur inconnu : NOPE.'],
    ['a programme of another funder', { programmeId: AVENIR }, 'programmeId', 'Le dispositif « #Avenir » appartient à un autre financeur que celui du contrat.'],
    ['an unknown enrolment', { enrolmentId: '01900000-0000-7000-8000-00000000ffff' }, 'enrolmentId', 'Inscription inconnue : choisissez l’apprenti parmi les inscriptions.'],
    ['an unknown employer', { employerId: '01900000-0000-7000-8000-00000000ffff' }, 'employerId', 'Employeur inconnu : choisissez une entreprise.'],
    ['an unknown place', { placeId: '01900000-0000-7000-8000-00000000ffff' }, 'placeId', 'Lieu de formation inconnu.'],
  ] as const)('refuses %s', async (_name, change, path, message) => {
    const { base } = await contractWorld();
    const err = await refusal(b.api['contracts.save']({ ...base, ...change }));
    expect(err.issues?.find((i) => i.path === path)?.message).toBe(message);
    expect(b.raw.prepare('SELECT count(*) AS n FROM apprenticeship_contracts').get()).toEqual({ n: 0 });
  });

  it('refuses an employer without a valid SIRET', async () => {
    const { base, employer } = await contractWorld();
    // A record imported before SIRETs were checked.
    b.raw.prepare("UPDATE companies SET siret = '12345678901234' WHERE id = ?").run(employer.id);
    const err = await refusal(b.api['contracts.save'](base));
    expect(err).toMatchObject({ code: 'validation', issues: [{ path: 'employerId', message: "L'employeur Boulangerie Dupain n'a pas de SIRET valide : complétez sa fiche entreprise." }] });
  });

  it.each([
    ['before the start', '2026-08-31'],
    ['after the end', '2028-09-01'],
  ])('refuses a rupture %s', async (_name, date) => {
    const { base } = await contractWorld();
    const c = await b.api['contracts.save'](base);
    const err = await refusal(b.api['contracts.rupture']({ id: c.id, date, reason: 'Démission' }));
    expect(err).toMatchObject({ code: 'business', message: 'La date de rupture doit être comprise entre le début (01/09/2026) et la fin (31/08/2028) du contrat.', issues: [{ path: 'date' }] });
    expect((await b.api['contracts.get']({ id: c.id })).ruptureDate).toBeNull();
  });

  it('refuses a rupture without a reason', async () => {
    const { base } = await contractWorld();
    const c = await b.api['contracts.save'](base);
    const err = await refusal(b.api['contracts.rupture']({ id: c.id, date: '2027-01-10', reason: ' ' }));
    expect(err).toMatchObject({ code: 'validation', issues: [{ path: 'reason', message: 'Ce champ est obligatoire.' }] });
  });
});
