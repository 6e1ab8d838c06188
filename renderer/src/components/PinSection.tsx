import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { pinProblem } from '../../../shared/domain/capture-proof';
import type { ApiError } from '../../../shared/errors';
import { api, asApiError } from '../api';
import { useQuery } from '../lib/useQuery';
import { useTimeZone } from '../lib/timeZone';
import { ErrorBanner, SuccessBanner } from './Feedback';

/** « 23/11/2026 09:04 » in the training body's time zone. */
function formatInstant(iso: string | null, language: string, timeZone: string): string {
  return iso ? new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'fr-FR', { dateStyle: 'short', timeStyle: 'short', timeZone }).format(new Date(iso)) : '—';
}

/**
 * The roll-call PIN of a trainee or a trainer, on their page: whether one is set, when and by whom
 * (`pins.status`, never the PIN), and a field to set or replace it (`pins.set`). Write-only: the field is
 * emptied once saved, and nothing shows the PIN again.
 */
export function PinSection({ personKind, personId, name }: { personKind: 'trainee' | 'trainer'; personId: string; name: string }) {
  const { t, i18n } = useTranslation();
  const timeZone = useTimeZone();
  const status = useQuery(() => api['pins.status']({ personKind, personId }), [personKind, personId]);
  const [pin, setPin] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = `pin-${personKind}-${personId}`;

  async function run(action: () => Promise<unknown>, message: string) {
    setError(null);
    setDone(null);
    setBusy(true);
    try {
      await action();
      setPin('');
      setDone(message);
      await status.reload();
    } catch (e) {
      const apiError = asApiError(e);
      setError(apiError);
      const issue = apiError.issues?.find((i) => i.path === 'pin');
      if (issue) setFieldError(issue.message);
    } finally {
      setBusy(false);
    }
  }

  function save() {
    setFieldError(undefined);
    if (pinProblem(pin) !== 'ok') {
      setFieldError(t('pins.format'));
      document.getElementById(id)?.focus();
      return;
    }
    void run(() => api['pins.set']({ personKind, personId, pin }), t('pins.saved'));
  }

  const s = status.data;
  return (
    <section className="panel-section pin-section" aria-labelledby={`${id}-title`} aria-busy={busy || status.loading || undefined}>
      <h3 id={`${id}-title`}>{t('pins.title')}</h3>
      <p className="muted">{t('pins.help')}</p>
      <ErrorBanner error={error ?? status.error} />
      <SuccessBanner>{done}</SuccessBanner>
      {s ? (
        <p data-testid="pin-status">
          {s.set ? t('pins.setOn', { date: formatInstant(s.setAt, i18n.language, timeZone), by: s.setBy ?? '' }) : t('pins.none')}
          {s.lockedUntil ? <> {t('pins.locked', { time: formatInstant(s.lockedUntil, i18n.language, timeZone) })}</> : null}
        </p>
      ) : null}
      <div className={`field field-pin${fieldError ? ' has-error' : ''}`}>
        <label htmlFor={id}>{t('pins.titleFor', { name })}</label>
        <div className="inline-input">
          <input
            id={id}
            type="password"
            inputMode="numeric"
            autoComplete="new-password"
            maxLength={6}
            pattern="[0-9]*"
            value={pin}
            aria-invalid={fieldError ? true : undefined}
            aria-describedby={[`${id}-hint`, fieldError ? `${id}-error` : ''].filter(Boolean).join(' ')}
            onChange={(e) => {
              setPin(e.target.value.replace(/\D/g, ''));
              setFieldError(undefined);
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                save();
              }
            }}
          />
          <button type="button" className="btn btn-secondary" onClick={save} disabled={busy}>
            {s?.set ? t('pins.reset') : t('pins.set')}
          </button>
          {s?.set ? (
            <button type="button" className="btn btn-ghost" onClick={() => void run(() => api['pins.clear']({ personKind, personId }), t('pins.cleared'))} disabled={busy}>
              {t('pins.clear')}
            </button>
          ) : null}
        </div>
        <p className="hint" id={`${id}-hint`}>{t('pins.format')}</p>
        {fieldError ? <p className="field-error" id={`${id}-error`}>{fieldError}</p> : null}
      </div>
    </section>
  );
}
