import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../../../shared/errors';
import type { RollCall } from '../../../../shared/schemas/attendance';
import { api, asApiError } from '../../api';
import { ErrorBanner } from '../../components/Feedback';
import { SegmentedControl } from '../../components/SegmentedControl';
import { SignatureField, type SignatureValue } from '../../components/SignaturePad';
import { formatDate, fullName } from '../../lib/format';
import { useQuery } from '../../lib/useQuery';
import { useTimeZone } from '../../lib/timeZone';
import { useUnsavedGuard } from '../../lib/useUnsavedGuard';
import { SIGNATURE_WINDOW_MINUTES, signedOutsideWindow } from '../../../../shared/domain/signature-window';

const CLOSE_METHODS = ['signature', 'pin', 'paper'] as const;
type CloseMethod = (typeof CLOSE_METHODS)[number];
type FieldName = 'trainerId' | 'method' | 'signature' | 'pin';

/**
 * The trainer of the slot countersigns (*contreseing*) and so closes it (`attendance.close`): possible
 * once every expected trainee has a recorded status. Afterwards marks change only by correction.
 */
export function Countersign({ data, missing, unsaved, onClosed }: { data: RollCall; missing: RollCall['rows']; unsaved: number; onClosed: () => Promise<void> }) {
  const { t } = useTranslation();
  const { slot } = data;
  // A slot without assigned trainer may be closed by any trainer (the backend says so): offer them all.
  const all = useQuery(async () => (slot.trainers.length ? [] : (await api['trainers.list']()).map((tr) => ({ id: tr.id, name: fullName(tr) }))), [slot.id, slot.trainers.length]);
  const trainers: { id: string; name: string; hasPin?: boolean }[] = slot.trainers.length ? slot.trainers : (all.data ?? []);
  // The slot's one trainer is the one who countersigns: preselected. Among several, the trainer chooses.
  const [trainerId, setTrainerId] = useState(slot.trainers.length === 1 ? slot.trainers[0]!.id : '');
  // A slot without assigned trainer, in a body with a single trainer: that one.
  useEffect(() => {
    if (!slot.trainers.length && all.data?.length === 1 && !trainerId) setTrainerId(all.data[0]!.id);
  }, [all.data, slot.trainers.length, trainerId]);
  const timeZone = useTimeZone();
  // Closing far outside the slot's hours is flagged while it happens (the rule Contrôles applies to signatures).
  const late = signedOutsideWindow(new Date(), timeZone, slot);
  const [method, setMethod] = useState<CloseMethod>('signature');
  const [signature, setSignature] = useState<SignatureValue | null>(null);
  // Method pin: the trainer's PIN, typed here, sent once with the closing, never kept.
  const [pin, setPin] = useState('');
  const [errors, setErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const focusNext = useRef<string | null>(null);
  const trainerName = trainers.find((tr) => tr.id === trainerId)?.name;
  // PIN: offered when the chosen trainer has one (a trainer of the full list is not known here: the backend says).
  const noPin = trainers.find((tr) => tr.id === trainerId)?.hasPin === false;
  // A countersignature drawn but not yet sent is unsaved input.
  useUnsavedGuard(signature !== null);

  useEffect(() => {
    if (!focusNext.current) return;
    document.getElementById(focusNext.current)?.focus();
    focusNext.current = null;
  });

  const ready = missing.length === 0 && unsaved === 0;

  async function close() {
    setError(null);
    const found: Partial<Record<FieldName, string>> = {};
    if (!trainerId) found.trainerId = t('attendance.countersign.chooseTrainer');
    if (method === 'signature' && !signature) found.signature = t('attendance.countersign.signatureMissing');
    if (method === 'pin' && !/^\d{4,6}$/.test(pin)) found.pin = pin ? t('pins.format') : t('attendance.countersign.pinMissing');
    setErrors(found);
    if (Object.keys(found).length) {
      setError({ code: 'validation', message: t('common.formInvalid', { count: Object.keys(found).length }) });
      focusNext.current = found.trainerId ? 'cs-trainer' : found.pin ? 'cs-pin' : 'cs-signature';
      return;
    }
    setBusy(true);
    try {
      await api['attendance.close']({ slotId: slot.id, trainerId, method, ...(method === 'signature' && signature ? { signature } : {}), ...(method === 'pin' ? { pin } : {}), closedAt: new Date().toISOString() });
      await onClosed();
    } catch (e) {
      const apiError = asApiError(e);
      setError(apiError);
      const next: Partial<Record<FieldName, string>> = {};
      for (const issue of apiError.issues ?? []) {
        const field = issue.path.split('.')[0];
        if (field === 'trainerId' || field === 'signature' || field === 'method' || field === 'pin') next[field] ??= issue.message;
      }
      setErrors(next);
      if (next.pin) setPin('');
      if (next.trainerId) focusNext.current = 'cs-trainer';
      else if (next.pin) focusNext.current = 'cs-pin';
      else if (next.signature) focusNext.current = 'cs-signature';
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel countersign" aria-labelledby="countersign-title" aria-busy={busy || all.loading || undefined}>
      <div className="panel-header">
        <div>
          <h2 id="countersign-title" tabIndex={-1}>{t('attendance.countersign.title')}</h2>
          <p className="muted">{t('attendance.countersign.help')}</p>
        </div>
      </div>
      {missing.length > 0 ? (
        <p className="notice">{t('attendance.countersign.missing', { count: missing.length, names: missing.slice(0, 6).map((m) => m.traineeName).join(', ') + (missing.length > 6 ? ', …' : '') })}</p>
      ) : unsaved > 0 ? (
        <p className="notice">{t('attendance.countersign.unsaved', { count: unsaved })}</p>
      ) : (
        <p className="banner banner-success banner-inline">{t('attendance.countersign.ready', { count: data.rows.length })}</p>
      )}
      {late ? (
        <p className="notice" role="status">{t('rollcall.closeOutsideWindow', { date: formatDate(late.date), time: late.time, start: slot.start, end: slot.end, window: SIGNATURE_WINDOW_MINUTES })}</p>
      ) : null}
      <ErrorBanner error={error} title={t('attendance.countersign.refused')} />
      <div className="countersign-grid">
        <div className="countersign-side">
          <div className={`field${errors.trainerId ? ' has-error' : ''}`}>
            <label htmlFor="cs-trainer">{t('attendance.countersign.trainer')}<span className="required" aria-hidden="true"> *</span></label>
            <select
              id="cs-trainer"
              value={trainerId}
              onChange={(e) => setTrainerId(e.target.value)}
              aria-required
              aria-invalid={errors.trainerId ? true : undefined}
              aria-describedby={errors.trainerId ? 'cs-trainer-error' : undefined}
            >
              <option value="">{t('common.choose')}</option>
              {trainers.map((tr) => (
                <option key={tr.id} value={tr.id}>{tr.name}</option>
              ))}
            </select>
            {errors.trainerId ? <p className="field-error" id="cs-trainer-error">{errors.trainerId}</p> : null}
          </div>
          <div className="field">
            <span className="field-label" id="cs-method-label">{t('attendance.countersign.method')}</span>
            <SegmentedControl
              labelledBy="cs-method-label"
              options={CLOSE_METHODS.map((m) => ({ value: m, label: t(`attendance.methods.${m}`) }))}
              value={method}
              onChange={(m) => setMethod(m as CloseMethod)}
              size="small"
            />
          </div>
          <button type="button" className="btn btn-primary btn-large" onClick={() => void close()} disabled={busy || !ready} aria-busy={busy || undefined}>
            {busy ? <span className="spinner spinner-small" aria-hidden="true" /> : null}
            {busy ? t('attendance.countersign.closing') : t('attendance.countersign.submit')}
          </button>
        </div>
        {method === 'signature' ? (
          <SignatureField
            id="cs-signature"
            label={trainerName ? t('attendance.countersign.signatureOf', { name: trainerName }) : t('attendance.countersign.signature')}
            onChange={(v) => {
              setSignature(v);
              if (v) setErrors((e) => ({ ...e, signature: undefined }));
            }}
            error={errors.signature}
            height={180}
          />
        ) : method === 'pin' ? (
          <div className="countersign-other">
            {noPin ? <p className="notice">{t('attendance.countersign.noPin')}</p> : null}
            <div className={`field field-pin${errors.pin ? ' has-error' : ''}`}>
              <label htmlFor="cs-pin">{trainerName ? t('attendance.countersign.pin', { name: trainerName }) : t('attendance.countersign.pinGeneric')}</label>
              <input
                id="cs-pin"
                type="password"
                inputMode="numeric"
                autoComplete="off"
                maxLength={6}
                pattern="[0-9]*"
                value={pin}
                onChange={(e) => {
                  setPin(e.target.value.replace(/\D/g, ''));
                  setErrors((x) => ({ ...x, pin: undefined }));
                }}
                aria-invalid={errors.pin ? true : undefined}
                aria-describedby={['cs-pin-hint', errors.pin ? 'cs-pin-error' : ''].filter(Boolean).join(' ')}
              />
              <p className="hint" id="cs-pin-hint">{t('attendance.countersign.methodHints.pin')}</p>
              {errors.pin ? <p className="field-error" id="cs-pin-error">{errors.pin}</p> : null}
            </div>
          </div>
        ) : (
          <p className="muted countersign-other">{t(`attendance.countersign.methodHints.${method}`)}</p>
        )}
      </div>
    </section>
  );
}
