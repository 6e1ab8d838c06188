import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { asLocale, localise } from '../../../shared/messages';
import type { ApiError } from '../../../shared/errors';
import type { ErasedNowKey, KeptKey } from '../../../shared/domain/retention';
import type { ErasurePreview } from '../../../shared/schemas/rgpd';
import { api, asApiError } from '../api';
import { downloadBase64 } from '../lib/files';
import { formatDate, formatDateTime } from '../lib/format';
import { usePermissions } from '../lib/permissions';
import { useTimeZone } from '../lib/timeZone';
import { useQuery } from '../lib/useQuery';
import { Dialog, DialogActions } from './Dialog';
import { ErrorBanner, Loading, SuccessBanner } from './Feedback';

/**
 * « RGPD » on a trainee's page: the right of access (`rgpd.export`: the JSON and the signed PDF, offered as two
 * downloads) for whoever may read sensitive data, and the right to erasure (`rgpd.erase`) for an administrator,
 * behind a confirmation that shows what goes now, what is kept for the funders until which date and why, and when
 * the rest is anonymised (`rgpd.erasePreview`, computed by the backend from shared/domain/retention.ts). Once erased,
 * the section says so and when the rest goes.
 */
export function RgpdSection({ traineeId, name, onErased }: { traineeId: string; name: string; onErased: () => void | Promise<void> }) {
  const { t, i18n } = useTranslation();
  const timeZone = useTimeZone();
  const permissions = usePermissions();
  const mayExport = permissions.has('people.sensitive.read');
  const mayErase = permissions.has('system.admin');
  const status = useQuery(() => api['rgpd.erasePreview']({ traineeId }), [traineeId]);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const titleId = useId();

  async function exportData() {
    setError(null);
    setDone(null);
    setExporting(true);
    try {
      const out = await api['rgpd.export']({ traineeId });
      downloadBase64(out.json.fileName, out.json.base64, out.json.mime);
      downloadBase64(out.pdf.fileName, out.pdf.base64, out.pdf.mime);
      setDone(t('rgpd.exported', { json: out.json.fileName, pdf: out.pdf.fileName }));
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setExporting(false);
    }
  }

  const erasure = status.data?.erasure ?? null;
  return (
    <section className="panel-section rgpd-section" aria-labelledby={titleId} aria-busy={exporting || status.loading || undefined}>
      <h3 id={titleId}>{t('rgpd.title')}</h3>
      <p className="muted">{t('rgpd.help')}</p>
      <ErrorBanner error={error ?? status.error} />
      <SuccessBanner>{done}</SuccessBanner>
      {erasure ? (
        <p data-testid="rgpd-status">
          {erasure.purgedAt
            ? t('rgpd.purged', { number: erasure.number, date: formatDateTime(erasure.purgedAt, timeZone) })
            : t('rgpd.erased', { number: erasure.number, date: formatDateTime(erasure.requestedAt, timeZone), reason: erasure.reason, purgeFrom: formatDate(status.data?.purgeFrom) })}
        </p>
      ) : null}
      <div className="button-row">
        {mayExport ? (
          <button type="button" className="btn btn-secondary" onClick={() => void exportData()} disabled={exporting} aria-busy={exporting || undefined}>
            {exporting ? t('rgpd.exporting') : t('rgpd.export')}
          </button>
        ) : null}
        {mayErase && status.data && !erasure ? (
          <button type="button" className="btn btn-danger" onClick={() => setConfirming(true)}>
            {t('rgpd.erase')}
          </button>
        ) : null}
      </div>
      {confirming ? (
        <EraseDialog
          traineeId={traineeId}
          name={name}
          language={i18n.language}
          onClose={() => setConfirming(false)}
          onErased={async () => {
            setConfirming(false);
            await onErased();
          }}
        />
      ) : null}
    </section>
  );
}

/** The confirmation: the preview read afresh, the reason asked, then the erasure and its outcome. */
function EraseDialog({ traineeId, name, language, onClose, onErased }: { traineeId: string; name: string; language: string; onClose: () => void; onErased: () => Promise<void> }) {
  const { t } = useTranslation();
  const preview = useQuery(() => api['rgpd.erasePreview']({ traineeId }), [traineeId]);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<ErasurePreview | null>(null);
  const explainId = useId();
  const reasonId = useId();
  const inLanguage = (message: string) => localise(message, asLocale(language));

  async function erase() {
    setError(null);
    if (reason.trim() === '') {
      setReasonError(t('rgpd.dialog.reasonRequired'));
      document.getElementById(reasonId)?.focus();
      return;
    }
    setBusy(true);
    try {
      setOutcome(await api['rgpd.erase']({ traineeId, reason: reason.trim() }));
    } catch (e) {
      const apiError = asApiError(e);
      setError(apiError);
      const issue = apiError.issues?.find((i) => i.path === 'reason');
      if (issue) setReasonError(issue.message);
    } finally {
      setBusy(false);
    }
  }

  const p = preview.data;
  const present = p ? p.now.filter((n) => n.present) : [];
  return (
    <Dialog title={t('rgpd.dialog.title', { name })} onClose={outcome ? () => void onErased() : onClose} busy={busy} describedBy={explainId}>
      <p id={explainId} className="muted">{t('rgpd.dialog.intro')}</p>
      {outcome ? (
        <>
          <div className="banner banner-success" role="status">
            <strong className="banner-title">{t('rgpd.dialog.done')}</strong>
            <span>
              {outcome.erasure?.purgedAt
                ? t('rgpd.dialog.doneAnonymised')
                : t('rgpd.dialog.doneKept', { date: formatDate(outcome.keepUntil), purgeFrom: formatDate(outcome.purgeFrom) })}
            </span>
          </div>
          <DialogActions>
            <button type="button" className="btn btn-primary" onClick={() => void onErased()} data-autofocus>{t('rgpd.dialog.close')}</button>
          </DialogActions>
        </>
      ) : (
        <>
          {preview.loading && !p ? <Loading label={t('rgpd.dialog.loading')} /> : null}
          <ErrorBanner error={preview.error} />
          {p && p.blockers.length > 0 ? (
            <div className="banner banner-error" role="alert" data-testid="rgpd-blockers">
              <strong className="banner-title">{t('rgpd.dialog.blocked')}</strong>
              <ul className="banner-text">{p.blockers.map((b) => <li key={b.enrolmentId}>{inLanguage(b.message)}</li>)}</ul>
            </div>
          ) : null}
          {p ? (
            <div data-testid="rgpd-preview">
              <h3>{t('rgpd.dialog.nowTitle')}</h3>
              {present.length > 0 ? <ul>{present.map((n) => <li key={n.key}>{t(`rgpd.now.${n.key as ErasedNowKey}`)}</li>)}</ul> : <p>{t('rgpd.dialog.nothingNow')}</p>}
              {p.keepUntil ? (
                <>
                  <h3>{t('rgpd.dialog.keptTitle', { date: formatDate(p.keepUntil) })}</h3>
                  <ul>{p.kept.map((k) => <li key={k.key}>{t(`rgpd.kept.${k.key as KeptKey}`)}</li>)}</ul>
                  <p><strong>{t('rgpd.dialog.why')}</strong></p>
                  <ul data-testid="rgpd-reasons">
                    {p.items.map((i) => (
                      <li key={`${i.kind}:${i.enrolmentId}`}>
                        {inLanguage(i.reason)} <strong>{t('rgpd.dialog.until', { date: formatDate(i.until) })}</strong>
                        {i.provisional ? <> ({t('rgpd.dialog.provisional')})</> : null}
                      </li>
                    ))}
                  </ul>
                  <p>{t('rgpd.dialog.anonymised', { date: formatDate(p.purgeFrom) })}</p>
                </>
              ) : (
                <p>{t('rgpd.dialog.keptNothing')}</p>
              )}
              <h3>{t('rgpd.dialog.notesTitle')}</h3>
              <ul>{p.notes.map((n) => <li key={n}>{inLanguage(n)}</li>)}</ul>
              <div className={`field${reasonError ? ' has-error' : ''}`}>
                <label htmlFor={reasonId}>{t('rgpd.dialog.reason')} <span className="required" aria-hidden="true">*</span></label>
                <textarea
                  id={reasonId}
                  rows={2}
                  maxLength={500}
                  required
                  value={reason}
                  aria-invalid={reasonError ? true : undefined}
                  aria-describedby={`${reasonId}-hint${reasonError ? ` ${reasonId}-error` : ''}`}
                  onChange={(e) => {
                    setReason(e.target.value);
                    setReasonError(null);
                  }}
                />
                <p className="hint" id={`${reasonId}-hint`}>{t('rgpd.dialog.reasonHint')}</p>
                {reasonError ? <p className="field-error" id={`${reasonId}-error`}>{reasonError}</p> : null}
              </div>
            </div>
          ) : null}
          <ErrorBanner error={error} />
          <DialogActions>
            <button type="button" className="btn btn-ghost" onClick={onClose} disabled={busy} data-autofocus>{t('common.cancel')}</button>
            <button type="button" className="btn btn-danger" onClick={() => void erase()} disabled={busy || !p || p.blockers.length > 0} aria-busy={busy || undefined}>
              {busy ? t('rgpd.dialog.erasing') : t('rgpd.dialog.confirm')}
            </button>
          </DialogActions>
        </>
      )}
    </Dialog>
  );
}
