import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { localDateTime } from '../../../../shared/domain/dates';
import type { ComplianceReport } from '../../../../shared/domain/afest';
import type { ApiError } from '../../../../shared/errors';
import type { AfestPage, Sequence } from '../../../../shared/schemas/afest';
import { api, asApiError } from '../../api';
import { EmptyState, ErrorBanner } from '../../components/Feedback';
import { formatDate, formatLongDate, formatMinutes } from '../../lib/format';
import { useTimeZone } from '../../lib/timeZone';
import { groupRecords, type SequenceRecord } from './afestView';
import { SequenceForm } from './SequenceForm';

/**
 * « Journal des séquences »: every sequence with every version — a correction is a new version (the old one
 * struck, kept under « Versions précédentes »), a withdrawal marks the record withdrawn with its reason;
 * nothing is erased. « Nouvelle séquence » logs one, signed; « Corriger » and « Retirer » act on the version
 * in force, with a reason. Sequences the compliance panel names are flagged.
 */
export function SequenceLog({ page, report, onChanged }: { page: AfestPage; report: ComplianceReport; onChanged: (message: string | null) => Promise<void> }) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState<{ correcting: Sequence | null } | null>(null);
  const [withdrawing, setWithdrawing] = useState<Sequence | null>(null);
  const records = groupRecords(page.sequences);
  const atFault = new Set(report.checks.filter((c) => c.status === 'fail').flatMap((c) => c.sequences));
  const a = page.afest;
  const blocked = !a.analysisDate || !a.tutorId || !a.tutorDesignatedOn;
  return (
    <section aria-labelledby="afest-log-title" className="afest-log-section">
      <div className="panel-header">
        <h2 id="afest-log-title">{t('afest.log.title')}</h2>
        <button type="button" className="btn btn-primary" onClick={() => { setWithdrawing(null); setEditing({ correcting: null }); }}>
          <span aria-hidden="true">+</span> {t('afest.log.new')}
        </button>
      </div>
      <p className="muted">{t('afest.log.intro')}</p>
      {blocked ? <p className="notice">{t('afest.log.blocked')}</p> : null}
      {editing ? (
        <SequenceForm
          key={editing.correcting?.id ?? 'new'}
          page={page}
          correcting={editing.correcting}
          onClose={() => setEditing(null)}
          onSaved={async (message) => {
            setEditing(null);
            await onChanged(message);
          }}
        />
      ) : null}
      {records.length === 0 ? (
        <EmptyState>{t('afest.log.empty')}</EmptyState>
      ) : (
        <ol className="afest-log" aria-labelledby="afest-log-title">
          {records.map((r) => (
            <RecordItem
              key={r.recordId}
              record={r}
              page={page}
              atFault={atFault.has(r.recordId)}
              withdrawing={withdrawing?.id === r.latest.id}
              onCorrect={() => { setWithdrawing(null); setEditing({ correcting: r.latest }); }}
              onWithdraw={() => { setEditing(null); setWithdrawing(r.latest); }}
              onCancelWithdraw={() => setWithdrawing(null)}
              onWithdrawn={async (message) => { setWithdrawing(null); await onChanged(message); }}
            />
          ))}
        </ol>
      )}
    </section>
  );
}

function RecordItem({ record, page, atFault, withdrawing, onCorrect, onWithdraw, onCancelWithdraw, onWithdrawn }: {
  record: SequenceRecord;
  page: AfestPage;
  atFault: boolean;
  withdrawing: boolean;
  onCorrect: () => void;
  onWithdraw: () => void;
  onCancelWithdraw: () => void;
  onWithdrawn: (message: string) => Promise<void>;
}) {
  const { t } = useTranslation();
  const zone = useTimeZone();
  const s = record.content;
  const latest = record.latest;
  const when = (at: string) => {
    const l = localDateTime(at, zone);
    return t('afest.log.at', { date: formatDate(l.date), time: l.time });
  };
  const headingId = `afest-seq-${record.recordId}`;
  return (
    <li
      className={`afest-seq afest-seq-${s.kind}${record.withdrawn ? ' is-withdrawn' : ''}${atFault ? ' is-at-fault' : ''}`}
      data-record-id={record.recordId}
      data-kind={s.kind}
      aria-labelledby={headingId}
    >
      <div className="afest-seq-head">
        <h3 id={headingId}>
          <span className={`badge afest-kind-${s.kind}`}>{t(`afest.kinds.${s.kind}`)}</span>{' '}
          <span className="afest-seq-when">{t('afest.log.when', { date: formatLongDate(s.date), start: s.start, end: s.end })}</span>
        </h3>
        <p className="afest-seq-flags">
          <span className="afest-seq-duration">{formatMinutes(s.minutes)}</span>
          {record.withdrawn ? <span className="badge afest-ko">{t('afest.log.withdrawn')}</span> : null}
          {!record.withdrawn && record.earlier.length > 0 ? <span className="badge">{t('afest.log.corrected', { count: record.earlier.length })}</span> : null}
          {atFault && !record.withdrawn ? <span className="badge afest-ko">{t('afest.log.atFault')}</span> : null}
        </p>
      </div>
      <div className="afest-seq-body">
        <dl className="afest-seq-facts">
          <Item label={t('afest.log.ledBy')}>{t(s.ledBy === 'tutor' ? 'afest.log.tutor' : 'afest.log.facilitator', { name: s.leaderName })}</Item>
          <Item label={s.kind === 'work-situation' ? t('afest.sequence.workstation') : t('afest.log.place')}>{s.workstation}</Item>
          {s.kind === 'work-situation' ? (
            <>
              <Item label={t('afest.sequence.tasks')}>{s.tasks}</Item>
              <Item label={t('afest.sequence.intendedLearning')}>{s.intendedLearning}</Item>
              <Item label={t('afest.sequence.observations')}>{s.observations}</Item>
            </>
          ) : (
            <>
              <Item label={t('afest.log.production')}>{s.outOfProduction ? t('afest.log.outOfProduction') : t('afest.log.inProduction')}</Item>
              <Item label={t('afest.sequence.reviewed')}>{reviewedText(s, page)}</Item>
              <Item label={t('afest.sequence.gapExpected')}>{s.gapExpected}</Item>
              <Item label={t('afest.sequence.gapDone')}>{s.gapDone}</Item>
              <Item label={t('afest.sequence.gapAcquired')}>{s.gapAcquired}</Item>
              <Item label={t('afest.sequence.verbalised')}>{s.verbalised}</Item>
              <Item label={t('afest.sequence.nextSteps')}>{s.nextSteps}</Item>
            </>
          )}
          <Item label={t('afest.log.competences')}>{s.competenceIds.map((id) => page.afest.competences.find((c) => c.id === id)?.label ?? '?').join(' · ')}</Item>
        </dl>
        <Signatures sequence={s} page={page} />
      </div>
      <p className="afest-seq-meta">
        {t('afest.log.loggedBy', { by: latest.createdByName, when: when(latest.createdAt) })}
        {latest.reason ? <span className="cell-sub">{t(latest.withdrawn ? 'afest.log.withdrawReason' : 'afest.log.correctReason', { reason: latest.reason })}</span> : null}
      </p>
      {latest.current ? (
        <div className="button-row afest-seq-actions">
          <button type="button" className="btn btn-small btn-secondary" onClick={onCorrect}>
            {t('afest.log.correct')}<span className="visually-hidden"> — {t(`afest.kinds.${s.kind}`)} {formatDate(s.date)} {s.start}</span>
          </button>
          <button type="button" className="btn btn-small btn-ghost" onClick={onWithdraw} aria-expanded={withdrawing}>
            {t('afest.log.withdraw')}<span className="visually-hidden"> — {t(`afest.kinds.${s.kind}`)} {formatDate(s.date)} {s.start}</span>
          </button>
        </div>
      ) : null}
      {withdrawing ? (
        <ReasonForm
          formId={`afest-withdraw-${latest.id}`}
          title={t('afest.log.withdrawTitle')}
          submitLabel={t('afest.log.confirmWithdraw')}
          onCancel={onCancelWithdraw}
          onSubmit={async (reason) => {
            await api['afest.withdrawSequence']({ id: latest.id, reason });
            await onWithdrawn(t('afest.log.withdrawnDone', { date: formatDate(latest.date), start: latest.start }));
          }}
        />
      ) : null}
      {record.earlier.length > 0 ? (
        <details className="afest-versions">
          <summary>{t('afest.log.earlier', { count: record.earlier.length })}</summary>
          <ol>
            {record.earlier.map((e) => (
              <li key={e.id} className={e.withdrawn ? 'is-withdrawn' : 'is-superseded'}>
                <del>
                  {t('afest.log.versionLine', { date: formatDate(e.date), start: e.start, end: e.end, leader: e.leaderName })}
                  {e.workstation ? ` — ${e.workstation}` : ''}
                </del>
                <span className="cell-sub">
                  {t('afest.log.versionMeta', { by: e.createdByName, when: when(e.createdAt) })}
                  {e.reason ? ` — ${t('afest.log.correctReason', { reason: e.reason })}` : ''}
                </span>
              </li>
            ))}
          </ol>
        </details>
      ) : null}
    </li>
  );
}

function reviewedText(s: Sequence, page: AfestPage): string {
  return s.reviewedIds
    .map((rid) => {
      const m = page.sequences.find((x) => x.recordId === rid && x.current) ?? page.sequences.find((x) => x.recordId === rid);
      return m ? `${formatDate(m.date)} ${m.start}–${m.end}` : '?';
    })
    .join(' · ');
}

function Item({ label, children }: { label: string; children: ReactNode }) {
  if (children === null || children === undefined || children === '') return null;
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** Who signed, and the drawings on demand (loaded only when asked: a long log stays light). */
function Signatures({ sequence, page }: { sequence: Sequence; page: AfestPage }) {
  const { t } = useTranslation();
  const [images, setImages] = useState<{ learner: string | null; leader: string | null } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const signed = [sequence.learnerSignatureId, sequence.leaderSignatureId].filter(Boolean).length;
  if (signed === 0) return <p className="muted afest-seq-signed">{t('afest.log.unsigned')}</p>;
  const load = async () => {
    try {
      const get = async (id: string | null) => (id ? (await api['afest.signature']({ id })).pngBase64 : null);
      const [learner, leader] = await Promise.all([get(sequence.learnerSignatureId), get(sequence.leaderSignatureId)]);
      setImages({ learner, leader });
    } catch (e) {
      setError(asApiError(e));
    }
  };
  return (
    <div className="afest-seq-signed">
      <p>
        <span aria-hidden="true">✍ </span>
        {t('afest.log.signedBy', { learner: page.trainee.name, leader: sequence.leaderName })}
      </p>
      {images ? (
        <div className="afest-signature-images">
          {images.learner ? <img src={`data:image/png;base64,${images.learner}`} alt={t('afest.log.signatureOf', { name: page.trainee.name })} className="signature-thumb" /> : null}
          {images.leader ? <img src={`data:image/png;base64,${images.leader}`} alt={t('afest.log.signatureOf', { name: sequence.leaderName })} className="signature-thumb" /> : null}
        </div>
      ) : (
        <button type="button" className="link-button" onClick={() => void load()}>
          {t('afest.log.showSignatures')}<span className="visually-hidden"> — {formatDate(sequence.date)} {sequence.start}</span>
        </button>
      )}
      <ErrorBanner error={error} />
    </div>
  );
}

/**
 * « Retirer » (a sequence, an evaluation): the reason asked for, then the record stays in the log and the
 * ledger, marked withdrawn with it. A refusal shows next to the reason, or above when it names no field.
 */
export function ReasonForm({ formId, title, submitLabel, onCancel, onSubmit }: {
  formId: string;
  title: string;
  submitLabel: string;
  onCancel: () => void;
  onSubmit: (reason: string) => Promise<void>;
}) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const fieldError = error?.issues?.find((i) => i.path === 'reason')?.message;
  const id = `${formId}-reason`;
  const submit = async () => {
    setError(null);
    if (!reason.trim()) {
      setError({ code: 'validation', message: t('afest.log.reasonRequired'), issues: [{ path: 'reason', message: t('afest.log.reasonRequired') }] });
      document.getElementById(id)?.focus();
      return;
    }
    setBusy(true);
    try {
      await onSubmit(reason.trim());
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form id={formId} className="form afest-withdraw" onSubmit={(e) => { e.preventDefault(); void submit(); }} noValidate aria-label={title} aria-busy={busy || undefined}>
      {error && !fieldError ? <ErrorBanner error={error} /> : null}
      <div className={`field${fieldError ? ' has-error' : ''}`}>
        <label htmlFor={id}>{t('afest.log.reasonLabel')}<span className="required" aria-hidden="true"> *</span></label>
        <input id={id} type="text" value={reason} onChange={(e) => setReason(e.target.value)} aria-required="true"
          aria-invalid={fieldError ? true : undefined} aria-describedby={fieldError ? `${id}-error` : undefined} autoFocus />
        {fieldError ? <p className="field-error" id={`${id}-error`}>{fieldError}</p> : null}
      </div>
      <div className="button-row">
        <button type="button" className="btn btn-ghost" onClick={onCancel}>{t('common.cancel')}</button>
        <button type="submit" className="btn btn-primary" disabled={busy}>{submitLabel}</button>
      </div>
    </form>
  );
}
