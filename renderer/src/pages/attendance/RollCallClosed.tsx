import { Fragment, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../../../shared/errors';
import type { Mark, MarkVersion, RollCall } from '../../../../shared/schemas/attendance';
import { api, asApiError } from '../../api';
import { ErrorBanner, Loading, SuccessBanner } from '../../components/Feedback';
import { SignatureDialog } from '../../components/SignaturePad';
import { deviceClockOffsetMinutes, deviceClockStrays } from '../../../../shared/domain/device-clock';
import { formatLongDate, formatMinutes } from '../../lib/format';
import { useQuery } from '../../lib/useQuery';
import { MarkFields } from './MarkFields';
import {
  authorName,
  isAbsence as isAbsenceCategory,
  checkDraft,
  draftFromMark,
  fieldId,
  firstErrorField,
  formatInstant,
  rowFieldOf,
  shortcutsByKind,
  toMarkFields,
  type Category,
  type Draft,
  type RowErrors,
} from './model';
import { useTimeZone } from '../../lib/timeZone';
import { useUnsavedGuard } from '../../lib/useUnsavedGuard';
import { correctionProof, correctionSignature } from '../../../../shared/domain/marks';

type Row = RollCall['rows'][number];

/**
 * A closed slot, read-only: each mark with its minutes and capture method, a « Corriger » per row (new
 * status and a mandatory reason, `attendance.correct`: a new mark supersedes, the old one stays) and
 * the visible history of each trainee's marks (`attendance.history`).
 */
export function ClosedRollCall({ data, reload }: { data: RollCall; reload: () => Promise<void> }) {
  const { t, i18n } = useTranslation();
  const timeZone = useTimeZone();
  const { slot, closure, rows } = data;
  const labelOf = useMemo(() => new Map(data.kinds.map((k) => [k.code, k.label])), [data.kinds]);
  const categoryOf = useMemo(() => new Map(data.kinds.map((k) => [k.code, k.category as Category])), [data.kinds]);
  const [correcting, setCorrecting] = useState<string | null>(null);
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const [done, setDone] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const toggle = (id: string) => setOpen((prev) => {
    const next = new Set(prev);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    return next;
  });
  const totals = useMemo(() => rows.reduce((sum, r) => sum + (r.mark?.minutes ?? 0), 0), [rows]);
  // The drawn signatures, shown as thumbnails: what the trainees and the trainer signed.
  const images = useQuery(() => api['attendance.signatures']({ slotId: slot.id }), [slot.id, version]);
  const imageOf = useMemo(() => new Map((images.data ?? []).map((i) => [i.id, i.pngBase64])), [images.data]);
  const countersignature = images.data?.find((i) => i.closure);

  return (
    <section className="panel" aria-labelledby="closed-title">
      <div className="panel-header">
        <div>
          <h2 id="closed-title">{t('attendance.closed.title', { count: rows.length })}</h2>
          <p className="muted">{t('attendance.closed.help')}</p>
        </div>
      </div>
      {closure ? (
        <p className="banner banner-closed" role="status">
          <strong>{t('attendance.closed.banner', { date: formatInstant(closure.closedAt, i18n.language, timeZone), name: closure.trainerName })}</strong>
          <span>{t('attendance.closed.method', { method: t(`attendance.methods.${closure.method}` as 'attendance.methods.signature', { defaultValue: closure.method }) })}</span>
          {countersignature ? (
            <img className="signature-thumb-closed" src={`data:image/png;base64,${countersignature.pngBase64}`} alt={t('rollcall.countersignThumb', { name: closure.trainerName })} />
          ) : null}
        </p>
      ) : null}
      <SuccessBanner>{done}</SuccessBanner>
      <div className="table-wrap">
        <table className="table rc-table">
          <caption className="visually-hidden">{t('attendance.closed.caption', { date: formatLongDate(slot.date), start: slot.start, end: slot.end })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('attendance.closed.columns.trainee')}</th>
              <th scope="col">{t('attendance.closed.columns.status')}</th>
              <th scope="col" className="num">{t('attendance.closed.columns.hours')}</th>
              <th scope="col">{t('attendance.closed.columns.method')}</th>
              <th scope="col">{t('attendance.closed.columns.signedAt')}</th>
              <th scope="col"><span className="visually-hidden">{t('common.actions')}</span></th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const m = r.mark;
              const cat = m ? categoryOf.get(m.kind) : undefined;
              const historyId = `history-${r.enrolmentId}`;
              return (
                <Fragment key={r.enrolmentId}>
                  <tr className={correcting === r.enrolmentId ? 'is-current' : undefined}>
                    <th scope="row" className="cell-title">{r.traineeName}</th>
                    <td>
                      {m ? <span className={`badge status-badge tone-${cat ?? 'present'}`}>{labelOf.get(m.kind) ?? m.kind}</span> : <span className="muted">{t('attendance.closed.noMark')}</span>}
                      {m && (m.lateMinutes || m.earlyMinutes) ? (
                        <span className="cell-sub">
                          {m.lateMinutes ? t('attendance.closed.late', { minutes: m.lateMinutes }) : ''}
                          {m.lateMinutes && m.earlyMinutes ? ' · ' : ''}
                          {m.earlyMinutes ? t('attendance.closed.early', { minutes: m.earlyMinutes }) : ''}
                        </span>
                      ) : null}
                      {m?.reason ? <span className="cell-sub">{t('attendance.closed.reason', { reason: m.reason })}</span> : null}
                      {r.corrections > 0 ? <span className="cell-sub">{t('attendance.closed.corrections', { count: r.corrections })}</span> : null}
                    </td>
                    <td className="num">{m ? formatMinutes(m.minutes) : '—'}</td>
                    <td>
                      {m ? t(`attendance.methods.${m.method}`) : '—'}
                      {m?.proxyName ? <span className="cell-sub">{t('attendance.closed.proxy', { name: m.proxyName })}</span> : null}
                      {m?.checkedBy ? <span className="cell-sub">{t('attendance.closed.checkedBy', { name: m.checkedBy })}</span> : null}
                      {m?.signatureId && imageOf.get(m.signatureId) ? (
                        <img className="signature-thumb-closed" src={`data:image/png;base64,${imageOf.get(m.signatureId)}`} alt={t('rollcall.signatureThumb', { name: r.traineeName })} />
                      ) : m?.signatureId ? (
                        <span className="cell-sub">{t('attendance.closed.signatureKept')}</span>
                      ) : null}
                    </td>
                    <td className="nowrap">{m?.signedAt ? formatInstant(m.signedAt, i18n.language, timeZone) : '—'}</td>
                    <td className="cell-actions">
                      <div className="cell-buttons">
                      <button type="button" className="btn btn-small btn-ghost" aria-expanded={open.has(r.enrolmentId)} aria-controls={historyId} onClick={() => toggle(r.enrolmentId)}>
                        {t('attendance.history.toggle')}
                        <span className="visually-hidden"> — {r.traineeName}</span>
                      </button>
                      {m ? (
                        <button type="button" className="btn btn-small btn-secondary" onClick={() => { setDone(null); setCorrecting(r.enrolmentId); }} disabled={correcting === r.enrolmentId}>
                          {t('attendance.correct.open')}
                          <span className="visually-hidden"> — {r.traineeName}</span>
                        </button>
                      ) : null}
                      </div>
                    </td>
                  </tr>
                  {correcting === r.enrolmentId && m ? (
                    <tr className="rc-subrow">
                      <td colSpan={6}>
                        <CorrectionForm
                          data={data}
                          row={r}
                          mark={m}
                          onCancel={() => setCorrecting(null)}
                          onSaved={async (message) => {
                            setCorrecting(null);
                            setDone(message);
                            setOpen((prev) => new Set(prev).add(r.enrolmentId));
                            setVersion((v) => v + 1);
                            await reload();
                          }}
                        />
                      </td>
                    </tr>
                  ) : null}
                  {open.has(r.enrolmentId) ? (
                    <tr className="rc-subrow" id={historyId}>
                      <td colSpan={6}>
                        <History slotId={slot.id} row={r} labels={labelOf} version={version} />
                      </td>
                    </tr>
                  ) : null}
                </Fragment>
              );
            })}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">{t('attendance.closed.total')}</th>
              <td />
              <td className="num">{formatMinutes(totals)}</td>
              <td colSpan={3} />
            </tr>
          </tfoot>
        </table>
      </div>
    </section>
  );
}

/** Every version of one trainee's mark on this slot, oldest first, with who, when and why. */
function History({ slotId, row, labels, version }: { slotId: string; row: Row; labels: ReadonlyMap<string, string>; version: number }) {
  const { t, i18n } = useTranslation();
  const timeZone = useTimeZone();
  const query = useQuery(() => api['attendance.history']({ slotId, enrolmentId: row.enrolmentId }), [slotId, row.enrolmentId, version]);
  const marks = query.data ?? [];
  return (
    <section className="history" aria-busy={query.loading} aria-labelledby={`history-title-${row.enrolmentId}`}>
      <h3 id={`history-title-${row.enrolmentId}`}>{t('attendance.history.title', { name: row.traineeName })}</h3>
      <ErrorBanner error={query.error} title={t('attendance.loadError')} />
      {query.loading && !query.data ? <Loading /> : null}
      {query.data && marks.length === 0 ? <p className="muted">{t('attendance.history.empty')}</p> : null}
      <ol className="history-list">
        {marks.map((m: MarkVersion, i) => (
          <li key={m.id} className={i === marks.length - 1 ? 'is-current' : undefined}>
            <div className="history-line">
              <span className="history-when">{formatInstant(m.createdAt, i18n.language, timeZone)}</span>
              <strong>{labels.get(m.kind) ?? m.kind}</strong>
              <span>· {formatMinutes(m.minutes)}</span>
              <span>· {t(`attendance.methods.${m.method}`)}</span>
              {i === marks.length - 1 ? <span className="badge badge-open">{t('attendance.history.current')}</span> : <span className="badge">{t('attendance.history.superseded')}</span>}
            </div>
            <p className="history-meta">
              {t(m.supersedesId ? 'attendance.history.correctedBy' : 'attendance.history.recordedBy', { author: authorName(m, t), device: m.deviceLabel ?? m.deviceId })}
              {m.correctionReason ? <> — <span className="history-reason">{t('attendance.history.reason', { reason: m.correctionReason })}</span></> : null}
            </p>
            {m.signedAt ? <CaptureTimes mark={m} /> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}

/**
 * When the capture was taken: the backend's time (the evidence), the screen's own reading beside it, and a
 * warning when the two are more than 5 minutes apart (shared/domain/device-clock.ts).
 */
function CaptureTimes({ mark }: { mark: Mark }) {
  const { t, i18n } = useTranslation();
  const timeZone = useTimeZone();
  const at = formatInstant(mark.signedAt, i18n.language, timeZone);
  if (!mark.deviceSignedAt) return <p className="history-times">{t('attendance.history.capturedAt', { at })}</p>;
  const device = formatInstant(mark.deviceSignedAt, i18n.language, timeZone);
  const offset = deviceClockOffsetMinutes(mark.signedAt, mark.deviceSignedAt) ?? 0;
  return (
    <p className="history-times">
      {t('attendance.history.capturedAtDevice', { at, device })}
      {deviceClockStrays(mark.signedAt, mark.deviceSignedAt) ? (
        <> <span className="badge badge-warning">{t(offset > 0 ? 'attendance.history.deviceAhead' : 'attendance.history.deviceBehind', { count: Math.abs(offset) })}</span></>
      ) : null}
    </p>
  );
}

/** New status (and what it needs) plus the reason of the correction, mandatory. */
function CorrectionForm({ data, row, mark, onCancel, onSaved }: { data: RollCall; row: Row; mark: Mark; onCancel: () => void; onSaved: (message: string) => Promise<void> }) {
  const { t } = useTranslation();
  const kinds = useMemo(() => data.kinds.filter((k) => k.active).sort((a, b) => a.sort - b.sort || a.code.localeCompare(b.code)), [data.kinds]);
  const categoryOf = useMemo(() => new Map(data.kinds.map((k) => [k.code, k.category as Category])), [data.kinds]);
  const shortcuts = useMemo(() => shortcutsByKind(kinds, t), [kinds, t]);
  const [draft, setDraft] = useState<Draft>(() => draftFromMark(mark));
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<RowErrors>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [signing, setSigning] = useState(false);
  const prefix = `fix-${row.enrolmentId}`;
  const focusNext = useRef<string | null>(fieldId(prefix, 'kind'));
  const [initial] = useState(draft);
  // Which signature this correction needs (shared/domain/marks.ts, applied again by the backend): the original
  // one stands (a typo in the minutes, a justification received later); a new one only when the trainee never
  // signed this slot by hand (absent → present).
  const newCategory = categoryOf.get(draft.kind);
  const needs = newCategory && mark.category
    ? correctionSignature({ category: mark.category, method: mark.method, hasSignature: Boolean(mark.signatureId) }, { category: newCategory, method: isAbsenceCategory(newCategory) ? 'none' : draft.method })
    : 'none';
  const keepsSignature = needs === 'kept';
  // PIN or QR code: the recorded proof stands when the method stays (the backend applies the same rule).
  const keepsProof = newCategory && mark.category
    ? correctionProof({ category: mark.category, method: mark.method }, { category: newCategory, method: isAbsenceCategory(newCategory) ? 'none' : draft.method }) === 'kept'
    : false;
  useUnsavedGuard(!busy && (reason.trim() !== '' || draft !== initial));

  useEffect(() => {
    if (!focusNext.current) return;
    const el = document.getElementById(focusNext.current);
    focusNext.current = null;
    el?.focus();
  });

  async function save() {
    setError(null);
    const found = checkDraft(draft, categoryOf.get(draft.kind), data.slot.minutes, t, { keepsSignature, keepsProof });
    if (!reason.trim()) found.correctionReason = t('attendance.errors.correctionReason');
    setErrors(found);
    if (Object.keys(found).length) {
      setError({ code: 'validation', message: t('common.formInvalid', { count: Object.keys(found).length }) });
      focusNext.current = fieldId(prefix, firstErrorField(found) ?? 'kind');
      return;
    }
    setBusy(true);
    try {
      const fields = toMarkFields(draft, categoryOf.get(draft.kind));
      await api['attendance.correct']({ ...fields, markId: mark.id, correctionReason: reason.trim() });
      await onSaved(t('attendance.correct.done', { name: row.traineeName }));
    } catch (e) {
      const apiError = asApiError(e);
      setError(apiError);
      const next: RowErrors = {};
      for (const issue of apiError.issues ?? []) {
        // The mark rules name their field as in a roll call (`marks.0.lateMinutes`): the field is the last part.
        const field = rowFieldOf(issue.path.replace(/^marks\.\d+\./, '').split('.')[0] ?? '', draft);
        next[field] ??= issue.message;
      }
      setErrors(next);
      const first = firstErrorField(next);
      if (first) focusNext.current = fieldId(prefix, first);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="correction" aria-labelledby={`${prefix}-title`} aria-busy={busy || undefined}>
      <h3 id={`${prefix}-title`}>{t('attendance.correct.title', { name: row.traineeName })}</h3>
      <p className="muted">{t('attendance.correct.help', { status: data.kinds.find((k) => k.code === mark.kind)?.label ?? mark.kind })}</p>
      {needs === 'new' && !draft.signature ? <p className="notice">{t('rollcall.needsNewSignature')}</p> : null}
      <ErrorBanner error={error} title={t('attendance.correct.refused')} />
      <MarkFields
        prefix={prefix}
        traineeName={row.traineeName}
        kinds={kinds}
        shortcuts={shortcuts}
        kind={draft.kind}
        draft={draft}
        onKind={(kind) => setDraft({ ...draft, kind })}
        onChange={setDraft}
        errors={errors}
        slotMinutes={data.slot.minutes}
        onSign={() => setSigning(true)}
        keepsSignature={keepsSignature}
        hasPin={row.hasPin}
        keepsProof={keepsProof}
      />
      <div className={`field row-field field-correction${errors.correctionReason ? ' has-error' : ''}`}>
        <label htmlFor={fieldId(prefix, 'correctionReason')}>
          {t('attendance.correct.reason')}<span className="required" aria-hidden="true"> *</span>
        </label>
        <textarea
          id={fieldId(prefix, 'correctionReason')}
          rows={2}
          maxLength={300}
          value={reason}
          aria-required
          aria-invalid={errors.correctionReason ? true : undefined}
          aria-describedby={[`${prefix}-reason-hint`, errors.correctionReason ? `${prefix}-reason-error` : ''].filter(Boolean).join(' ')}
          onChange={(e) => setReason(e.target.value)}
        />
        <p className="hint" id={`${prefix}-reason-hint`}>{t('attendance.correct.reasonHint')}</p>
        {errors.correctionReason ? <p className="field-error" id={`${prefix}-reason-error`}>{errors.correctionReason}</p> : null}
      </div>
      <div className="form-footer">
        <button type="button" className="btn btn-ghost" onClick={onCancel}>{t('common.cancel')}</button>
        <button type="button" className="btn btn-primary" onClick={() => void save()} disabled={busy} aria-busy={busy || undefined}>
          {busy ? <span className="spinner spinner-small" aria-hidden="true" /> : null}
          {busy ? t('common.saving') : t('attendance.correct.submit')}
        </button>
      </div>
      {signing ? (
        <SignatureDialog
          title={t('attendance.signature.titleFor', { name: row.traineeName })}
          onCancel={() => setSigning(false)}
          onDone={(value) => {
            setDraft({ ...draft, method: 'signature', signature: value, signedAt: new Date().toISOString() });
            setSigning(false);
            focusNext.current = fieldId(prefix, 'signature');
          }}
        />
      ) : null}
    </section>
  );
}
