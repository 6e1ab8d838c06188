import type { ClaimComputation, ClaimInput, ClaimIssue } from '../../../shared/domain/claims/model';
import { runChecks } from '../attendance/checks';
import type { SignedMark } from '../attendance/hours';
import type { Ctx } from '../context';
import { rawAll, rawGet } from '../db/raw';

/**
 * The pre-flight: the engine's issues plus what only the backend sees — coherence-check errors of the period
 * (blockers; its warnings stay warnings; slots not countersigned come from the engine, by rule), enrolments
 * with evidence on a funded session but no funding line at all, and the identity fields a certificat needs. Each issue links to the record to fix; duplicates (same code, same record) are dropped.
 */
export async function preflight(ctx: Ctx, input: ClaimInput, marks: readonly SignedMark[], computed: ClaimComputation): Promise<{ blockers: ClaimIssue[]; warnings: ClaimIssue[] }> {
  const { from, to } = input.request;
  const blockers: ClaimIssue[] = [...computed.blockers];
  const warnings: ClaimIssue[] = [...computed.warnings];
  const enrolments = new Map(input.enrolments.map((e) => [e.id, e]));
  const billedEnrolments = new Set(computed.lines.flatMap((l) => (l.enrolmentId ? [l.enrolmentId] : [])));
  const sessions = new Set<string>();
  for (const l of computed.lines) {
    if (l.sessionId) sessions.add(l.sessionId);
    if (l.enrolmentId) sessions.add(enrolments.get(l.enrolmentId)?.sessionId ?? '');
  }
  sessions.delete('');

  // 1. Coherence checks over the sessions billed (countersignature: the engine's, by rule), on the marks just loaded.
  const known = { enrolmentIds: input.enrolments.map((e) => e.id), marks };
  const findings = await runChecks(ctx, { from, to }, { sessionIds: [...sessions].sort(), known });
  findings.sort((a, b) => cmp(a.link.sessionId, b.link.sessionId)); // session by session, as the list reads
  for (const f of findings) {
    if (f.code === 'slot-not-countersigned') continue;
    const link: ClaimIssue['link'] = f.link.kind === 'enrolment' ? { kind: 'enrolment', id: f.link.id } : { kind: 'slot', id: f.link.slotId ?? f.link.id };
    (f.severity === 'error' ? blockers : warnings).push({ code: `check:${f.code}`, message: f.message, link });
  }

  // 2. Slots not countersigned under a rule that requires it: the engine reports them (shared/domain/claims/compute.ts).

  // 3. Evidence in the period on a session this funder funds, without any funding line.
  const unfunded = await rawAll<{ id: string; label: string }>(
    ctx.db,
    `SELECT e.id, upper(t.last_name) || ' ' || t.first_name AS label FROM enrolments e JOIN trainees t ON t.id = e.trainee_id
     WHERE e.session_id IN (SELECT value FROM json_each(?)) AND e.deleted_at IS NULL
       AND NOT EXISTS (SELECT 1 FROM fundings f WHERE f.enrolment_id = e.id AND f.deleted_at IS NULL)
       AND NOT EXISTS (SELECT 1 FROM fundings f WHERE f.session_id = e.session_id AND f.deleted_at IS NULL)
       AND EXISTS (SELECT 1 FROM attendance_marks m JOIN slots s ON s.id = m.slot_id WHERE m.enrolment_id = e.id AND s.date BETWEEN ? AND ?)
     ORDER BY label`,
    JSON.stringify([...sessions]), from, to,
  );
  for (const e of unfunded) blockers.push({ code: 'no-funding-line', message: `${e.label} : présences sur la période mais aucune ligne de financement.`, link: { kind: 'enrolment', id: e.id } });

  // 4. What a certificat names: the trainee, the organisation, the action, the employer of an apprentice.
  if (computed.lines.length > 0) {
    const org = await rawGet<{ id: string; legal_representative: string | null; siret: string | null; nda: string | null; city: string | null }>(ctx.db, 'SELECT id, legal_representative, siret, nda, city FROM organisation LIMIT 1');
    const orgMissing = !org ? ['organisme'] : [
      !org.legal_representative?.trim() && 'représentant légal', !org.siret?.trim() && 'SIRET', !org.nda?.trim() && 'numéro de déclaration d’activité (NDA)', !org.city?.trim() && 'ville',
    ].filter((x): x is string => Boolean(x));
    if (orgMissing.length) blockers.push({ code: 'identity-organisation', message: `Organisme de formation : ${orgMissing.join(', ')} manquant(s) pour le certificat de réalisation.`, link: { kind: 'organisation', id: org?.id ?? 'organisation' } });
    const people = await rawAll<{ enrolment_id: string; trainee_id: string; last_name: string; first_name: string; birth_date: string | null; title: string | null; nature: string | null; session_id: string }>(
      ctx.db,
      `SELECT e.id AS enrolment_id, t.id AS trainee_id, t.last_name, t.first_name, t.birth_date, a.title, a.nature, e.session_id
       FROM enrolments e JOIN trainees t ON t.id = e.trainee_id JOIN sessions x ON x.id = e.session_id JOIN actions a ON a.id = x.action_id
       WHERE e.id IN (SELECT value FROM json_each(?)) ORDER BY t.last_name, t.first_name`,
      JSON.stringify([...billedEnrolments]),
    );
    const actionsSeen = new Set<string>();
    for (const p of people) {
      const missing = [!p.last_name?.trim() && 'nom', !p.first_name?.trim() && 'prénom', !p.birth_date?.trim() && 'date de naissance'].filter((x): x is string => Boolean(x));
      if (missing.length) blockers.push({ code: 'identity-trainee', message: `Stagiaire ${p.last_name} ${p.first_name} : ${missing.join(', ')} manquant(s) pour le certificat de réalisation.`, link: { kind: 'trainee', id: p.trainee_id } });
      if ((!p.title?.trim() || !p.nature?.trim()) && !actionsSeen.has(p.session_id)) {
        actionsSeen.add(p.session_id);
        blockers.push({ code: 'identity-action', message: 'Action de formation : intitulé ou nature manquant pour le certificat de réalisation.', link: { kind: 'session', id: p.session_id } });
      }
    }
    const contractIds = [...new Set(computed.lines.flatMap((l) => (l.contractId ? [l.contractId] : [])))];
    if (contractIds.length) {
      const employers = await rawAll<{ id: string; siret: string | null; name: string }>(
        ctx.db, 'SELECT c.id, co.siret, co.name FROM apprenticeship_contracts c JOIN companies co ON co.id = c.employer_id WHERE c.id IN (SELECT value FROM json_each(?))', JSON.stringify(contractIds),
      );
      for (const e of employers) if (!e.siret?.trim()) blockers.push({ code: 'identity-employer', message: `Employeur ${e.name} : SIRET manquant pour le contrat d’apprentissage.`, link: { kind: 'contract', id: e.id } });
    }
  }
  return { blockers: dedupe(blockers), warnings: dedupe(warnings) };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function dedupe(issues: ClaimIssue[]): ClaimIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.code.replace(/^check:/, '')}|${i.link?.kind ?? ''}|${i.link?.id ?? i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
