import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionPage } from '../../../../shared/contract';
import type { ApiError } from '../../../../shared/errors';
import type { Slot } from '../../../../shared/schemas/training';
import { api, asApiError } from '../../api';
import { CheckboxList } from '../../components/CheckboxList';
import { DateInput } from '../../components/DateInput';
import { ErrorBanner, SubmitButton, SuccessBanner } from '../../components/Feedback';
import { Field } from '../../components/Field';
import { TimeInput } from '../../components/TimeInput';
import { formatLongDate, fullName } from '../../lib/format';

type Mode = 'edit' | 'correct' | 'cancel';

interface Draft {
  date: string;
  halfDay: 'am' | 'pm';
  start: string;
  end: string;
  placeId: string;
  trainerIds: string[];
  reason: string;
}

const NONE = '';

function draftOf(slot: Slot): Draft {
  return { date: slot.date, halfDay: slot.halfDay, start: slot.start, end: slot.end, placeId: slot.placeId ?? NONE, trainerIds: [...slot.trainerIds], reason: '' };
}

/**
 * The actions of one slot (the calendar's single selection): « Modifier » while nobody countersigned it,
 * « Corriger » once countersigned (a recorded correction, reason asked), « Annuler le créneau » (reason
 * asked). Each opens its form in place, under the buttons; Échap or « Fermer » closes it.
 */
export function SlotActions({ page, selected, onChanged }: { page: SessionPage; selected: ReadonlySet<string>; onChanged: () => Promise<void> }) {
  const { t } = useTranslation();
  const slot = selected.size === 1 ? page.slots.find((s) => selected.has(s.id)) : undefined;
  const [mode, setMode] = useState<Mode | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const firstField = useRef<HTMLElement | null>(null);
  const slotId = slot?.id;

  useEffect(() => {
    setMode(null);
    setError(null);
  }, [slotId]);
  useEffect(() => {
    if (mode) firstField.current?.focus();
  }, [mode]);

  if (!slot) return null;
  const title = `${formatLongDate(slot.date)}, ${t(`halfDays.${slot.halfDay}`)} ${slot.start}–${slot.end}`;

  function open(next: Mode) {
    setDraft(draftOf(slot!));
    setError(null);
    setDone(null);
    setMode(next);
  }
  const close = () => {
    setMode(null);
    setError(null);
  };
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => (d ? { ...d, [key]: value } : d));
  const fieldError = (name: string) => {
    const issue = error?.issues?.find((i) => i.path === name || i.path.endsWith(`.${name}`));
    return issue ? { message: issue.message } : undefined;
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!draft || !mode) return;
    setBusy(true);
    setError(null);
    try {
      const placeId = draft.placeId === NONE ? null : draft.placeId;
      if (mode === 'edit') {
        await api['slots.update']({ slotId: slot!.id, date: draft.date, halfDay: draft.halfDay, start: draft.start, end: draft.end, placeId, trainerIds: draft.trainerIds });
        setDone(t('slotActions.edited'));
      } else if (mode === 'correct') {
        const r = await api['slots.correct']({ slotId: slot!.id, start: draft.start, end: draft.end, placeId, trainerIds: draft.trainerIds, reason: draft.reason });
        setDone(t('slotActions.corrected', { count: r.recounted }));
      } else {
        await api['slots.cancel']({ slotId: slot!.id, reason: draft.reason });
        setDone(t('slotActions.cancelledDone'));
      }
      setMode(null);
      await onChanged();
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  }

  const reasonField = (label: string, hint: string) => (
    <Field label={label} hint={hint} required error={fieldError('reason')}>
      {(p) => (
        <textarea
          {...p}
          ref={(el) => {
            if (mode === 'cancel') firstField.current = el;
          }}
          rows={2}
          maxLength={500}
          value={draft?.reason ?? ''}
          onChange={(e) => set('reason', e.target.value)}
        />
      )}
    </Field>
  );

  return (
    <section className="subpanel slot-actions" aria-labelledby="slot-actions-title" onKeyDown={(e) => e.key === 'Escape' && mode && close()}>
      <div className="assign-head">
        <h3 id="slot-actions-title">{t('slotActions.title', { slot: title })}</h3>
        <p className="muted">
          {slot.countersigned ? <span className="badge">{t('slotActions.countersigned')}</span> : null}{' '}
          {slot.corrections > 0 ? t('slotActions.corrections', { count: slot.corrections }) : null}
        </p>
      </div>
      <SuccessBanner>{done}</SuccessBanner>
      {slot.cancelled ? null : (
      <div className="toolbar" role="group" aria-label={t('slotActions.group')}>
        {slot.countersigned ? (
          <button type="button" className="btn btn-secondary" aria-expanded={mode === 'correct'} onClick={() => open('correct')}>{t('slotActions.correct')}</button>
        ) : (
          <button type="button" className="btn btn-secondary" aria-expanded={mode === 'edit'} onClick={() => open('edit')}>{t('slotActions.edit')}</button>
        )}
        <button type="button" className="btn btn-ghost" aria-expanded={mode === 'cancel'} onClick={() => open('cancel')} disabled={slot.marked} aria-describedby={slot.marked ? 'slot-cancel-why' : undefined}>
          {t('slotActions.cancel')}
        </button>
      </div>
      )}
      {slot.marked && !slot.cancelled ? <p className="hint" id="slot-cancel-why">{t('slotActions.cannotCancel')}</p> : null}
      {mode && draft ? (
        <form className="form slot-form" onSubmit={(e) => void submit(e)} noValidate aria-label={t(`slotActions.form.${mode}`)}>
          <ErrorBanner error={error} />
          {mode === 'correct' ? <p className="hint">{t('slotActions.correctHelp')}</p> : null}
          {mode !== 'cancel' ? (
            <>
              {mode === 'edit' ? (
                <>
                  <Field label={t('slotActions.date')} required error={fieldError('date')}>
                    {(p) => <DateInput {...p} value={draft.date} onChange={(v) => set('date', v)} min={page.session.startDate} max={page.session.endDate} />}
                  </Field>
                  <Field label={t('slotActions.halfDay')} required error={fieldError('halfDay')}>
                    {(p) => (
                      <select {...p} value={draft.halfDay} onChange={(e) => set('halfDay', e.target.value as 'am' | 'pm')}>
                        <option value="am">{t('halfDays.am')}</option>
                        <option value="pm">{t('halfDays.pm')}</option>
                      </select>
                    )}
                  </Field>
                </>
              ) : null}
              <Field label={t('slotActions.start')} required error={fieldError('start')}>
                {(p) => (
                  <TimeInput
                    {...p}
                    ref={(el) => {
                      if (mode === 'correct') firstField.current = el;
                    }}
                    value={draft.start}
                    onChange={(v) => set('start', v)}
                  />
                )}
              </Field>
              <Field label={t('slotActions.end')} required error={fieldError('end')}>
                {(p) => <TimeInput {...p} value={draft.end} onChange={(v) => set('end', v)} />}
              </Field>
              <Field label={t('slotActions.place')} error={fieldError('placeId')}>
                {(p) => (
                  <select {...p} value={draft.placeId} onChange={(e) => set('placeId', e.target.value)}>
                    <option value={NONE}>{t('assign.noPlace')}</option>
                    {page.places.map((pl) => (
                      <option key={pl.id} value={pl.id}>{`${pl.name} — ${pl.city}`}</option>
                    ))}
                  </select>
                )}
              </Field>
              <CheckboxList
                legend={t('slotActions.trainers')}
                options={page.trainers.map((tr) => ({ value: tr.id, label: fullName(tr) }))}
                value={draft.trainerIds}
                onChange={(v) => set('trainerIds', v)}
                error={fieldError('trainerIds')?.message}
                empty={t('generate.noTrainers')}
              />
            </>
          ) : null}
          {mode === 'correct' ? reasonField(t('slotActions.correctReason'), t('slotActions.correctReasonHint')) : null}
          {mode === 'cancel' ? reasonField(t('slotActions.cancelReason'), t('slotActions.cancelReasonHint')) : null}
          <div className="form-actions">
            <SubmitButton busy={busy}>{t(`slotActions.submit.${mode}`)}</SubmitButton>
            <button type="button" className="btn btn-ghost" onClick={close}>{t('slotActions.close')}</button>
          </div>
        </form>
      ) : null}
    </section>
  );
}

/** The cancelled slots of the session, each with its reason and « Rétablir ». */
export function CancelledSlots({ page, onChanged }: { page: SessionPage; onChanged: () => Promise<void> }) {
  const { t } = useTranslation();
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const cancelled = page.slots.filter((s) => s.cancelled);
  if (cancelled.length === 0) return null;
  async function reinstate(slotId: string) {
    setBusy(slotId);
    setError(null);
    try {
      await api['slots.reinstate']({ slotId });
      await onChanged();
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(null);
    }
  }
  return (
    <section className="subpanel cancelled-slots" aria-labelledby="cancelled-slots-title">
      <h3 id="cancelled-slots-title">{t('slotActions.cancelledTitle', { count: cancelled.length })}</h3>
      <ErrorBanner error={error} />
      <ul className="plain-list">
        {cancelled.map((s) => (
          <li key={s.id}>
            <span>{`${formatLongDate(s.date)}, ${t(`halfDays.${s.halfDay}`)} ${s.start}–${s.end}`}</span>
            {' — '}
            <span>{s.cancelReason ? t('slotActions.reason', { reason: s.cancelReason }) : t('slotActions.noReason')}</span>{' '}
            <button type="button" className="btn btn-small btn-ghost" disabled={busy === s.id} onClick={() => void reinstate(s.id)} aria-label={t('slotActions.reinstateLabel', { date: formatLongDate(s.date), halfDay: t(`halfDays.${s.halfDay}`) })}>
              {t('slotActions.reinstate')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
