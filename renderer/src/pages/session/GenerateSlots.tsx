import { useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import type { SessionPage } from '../../../../shared/contract';
import { generateSlotsInput, type TimetableEntryInput } from '../../../../shared/schemas/training';
import { api } from '../../api';
import { CheckboxList } from '../../components/CheckboxList';
import { Field } from '../../components/Field';
import { ErrorBanner, SubmitButton } from '../../components/Feedback';
import { formResolver, useSubmitState } from '../../lib/forms';
import { formatLongDate, formatMinutes, fullName } from '../../lib/format';
import { DateInput } from '../../components/DateInput';
import { TimeInput } from '../../components/TimeInput';

/** Monday … Saturday: the weekly timetable editor's rows. */
const WEEKDAYS = [1, 2, 3, 4, 5, 6] as const;

interface DayRow {
  am: boolean;
  amStart: string;
  amEnd: string;
  pm: boolean;
  pmStart: string;
  pmEnd: string;
}

interface GenerateForm {
  from: string;
  to: string;
  days: DayRow[];
  trainerIds: string[];
  placeId: string;
  /** Not an input: carries the "empty timetable" message of the schema. */
  planning: string;
}

const defaultDay = (): DayRow => ({ am: false, amStart: '09:00', amEnd: '12:30', pm: false, pmStart: '13:30', pmEnd: '17:00' });

/** The API's timetable, and for each of its entries the form row it came from. */
function timetableOf(days: readonly DayRow[]) {
  const timetable: TimetableEntryInput[] = [];
  const origin: { day: number; halfDay: 'am' | 'pm' }[] = [];
  days.forEach((d, i) => {
    if (d.am) {
      timetable.push({ weekday: i + 1, halfDay: 'am', start: d.amStart, end: d.amEnd });
      origin.push({ day: i, halfDay: 'am' });
    }
    if (d.pm) {
      timetable.push({ weekday: i + 1, halfDay: 'pm', start: d.pmStart, end: d.pmEnd });
      origin.push({ day: i, halfDay: 'pm' });
    }
  });
  return { timetable, origin };
}

function toInput(sessionId: string, v: GenerateForm) {
  return {
    sessionId,
    from: v.from,
    to: v.to,
    timetable: timetableOf(v.days).timetable,
    trainerIds: v.trainerIds,
    placeId: v.placeId || null,
  };
}

/** `timetable.2.end` → `days.1.pmEnd`: the API's error lands on the time box that caused it. */
function fieldOf(path: string, v: GenerateForm): string {
  const m = /^timetable\.(\d+)(?:\.(\w+))?$/.exec(path);
  if (m) {
    const origin = timetableOf(v.days).origin[Number(m[1])];
    if (!origin) return 'planning';
    const key = m[2] === 'end' ? 'End' : 'Start';
    return `days.${origin.day}.${origin.halfDay}${key}`;
  }
  if (path === 'timetable') return 'planning';
  return path;
}

type Result = {
  created: number;
  skippedExisting: number;
  skippedHolidays: { date: string; name: string }[];
  overPlanned: { generated: number; planned: number; over: number } | null;
};

/** « Générer les créneaux »: a weekly timetable laid over a date range, public holidays skipped. */
export function GenerateSlotsForm({ page, onGenerated }: { page: SessionPage; onGenerated: () => Promise<void> }) {
  const { t } = useTranslation();
  const { session, trainers, places } = page;
  const [result, setResult] = useState<Result | null>(null);
  const form = useForm<GenerateForm>({
    defaultValues: {
      from: session.startDate,
      to: session.endDate,
      days: WEEKDAYS.map(defaultDay),
      trainerIds: [],
      placeId: session.placeId ?? '',
      planning: '',
    },
    resolver: formResolver<GenerateForm>(generateSlotsInput, (v) => toInput(session.id, v), { fieldOf }),
  });
  const submit = useSubmitState(form, (p) => fieldOf(p, form.getValues()));
  const { register, control, watch, formState: { errors, isSubmitting } } = form;
  const days = watch('days');
  /** « Appliquer à tous les jours »: one day's half-days and times copied to every day of the week. */
  const applyToAll = (from: number) => {
    const source = form.getValues(`days.${from}`);
    WEEKDAYS.forEach((_, i) => {
      if (i !== from) form.setValue(`days.${i}`, { ...source }, { shouldDirty: true });
    });
  };

  const save = form.handleSubmit(
    (v) =>
      submit.run(async () => {
        setResult(null);
        const r = await api['slots.generate'](toInput(session.id, v));
        setResult(r);
        await onGenerated();
      }),
    (e) => {
      setResult(null);
      submit.invalid(e);
    },
  );

  const weekdayName = (wd: number) =>
    new Intl.DateTimeFormat(t('common.locale'), { weekday: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, wd)));

  return (
    <section className="panel" aria-labelledby="generate-title">
      <h2 id="generate-title">{t('generate.title')}</h2>
      <p className="muted">{t('generate.help')}</p>
      <ErrorBanner error={submit.error} />
      <form className="form generate-form" onSubmit={(e) => void save(e)} noValidate>
        <fieldset className="timetable-fieldset" aria-describedby={errors.planning?.message ? 'planning-error' : undefined}>
          <legend>{t('generate.timetable')}</legend>
          <div className="table-wrap">
            <table className="timetable">
              <thead>
                <tr>
                  <th scope="col">{t('generate.day')}</th>
                  <th scope="col" colSpan={3}>{t('halfDays.am')}</th>
                  <th scope="col" colSpan={3}>{t('halfDays.pm')}</th>
                </tr>
              </thead>
              <tbody>
                {WEEKDAYS.map((wd, i) => {
                  const name = weekdayName(wd);
                  const row = days[i] ?? defaultDay();
                  const rowErrors = errors.days?.[i];
                  return (
                    <tr key={wd}>
                      <th scope="row" className="capitalize">
                        {name}
                        <button
                          type="button"
                          className="btn btn-small btn-ghost tt-apply"
                          aria-label={t('generate.applyToAllLabel', { day: name })}
                          onClick={() => applyToAll(i)}
                        >
                          {t('generate.applyToAll')}
                        </button>
                      </th>
                      {(['am', 'pm'] as const).map((half) => {
                        const on = half === 'am' ? row.am : row.pm;
                        const startErr = rowErrors?.[`${half}Start`]?.message;
                        const endErr = rowErrors?.[`${half}End`]?.message;
                        const errId = `tt-${wd}-${half}-error`;
                        return [
                          <td key={`${half}-check`} className="tt-check">
                            <label className="check-inline">
                              <input type="checkbox" {...register(`days.${i}.${half}`)} />
                              <span className="visually-hidden">{t('generate.halfDayOf', { day: name, half: t(`halfDays.${half}`) })}</span>
                            </label>
                          </td>,
                          <td key={`${half}-start`} className="tt-time">
                            <label className="visually-hidden" htmlFor={`tt-${wd}-${half}-start`}>{t('generate.startOf', { day: name, half: t(`halfDays.${half}`) })}</label>
                            <Controller
                              control={control}
                              name={`days.${i}.${half}Start`}
                              render={({ field }) => (
                                <TimeInput
                                  {...field}
                                  id={`tt-${wd}-${half}-start`}
                                  disabled={!on}
                                  aria-invalid={startErr ? true : undefined}
                                  aria-describedby={startErr || endErr ? errId : undefined}
                                />
                              )}
                            />
                          </td>,
                          <td key={`${half}-end`} className="tt-time">
                            <label className="visually-hidden" htmlFor={`tt-${wd}-${half}-end`}>{t('generate.endOf', { day: name, half: t(`halfDays.${half}`) })}</label>
                            <Controller
                              control={control}
                              name={`days.${i}.${half}End`}
                              render={({ field }) => (
                                <TimeInput
                                  {...field}
                                  id={`tt-${wd}-${half}-end`}
                                  disabled={!on}
                                  aria-invalid={endErr ? true : undefined}
                                  aria-describedby={startErr || endErr ? errId : undefined}
                                />
                              )}
                            />
                            {startErr || endErr ? <p className="field-error" id={errId}>{startErr ?? endErr}</p> : null}
                          </td>,
                        ];
                      })}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {errors.planning?.message ? <p className="field-error" id="planning-error">{errors.planning.message}</p> : null}
        </fieldset>
        <div className="generate-side">
        <div className="grid grid-2">
          <Field id="generate-from" label={t('generate.from')} error={errors.from} required>
            {(p) => <Controller control={form.control} name="from" render={({ field }) => <DateInput {...p} {...field} min={session.startDate} max={session.endDate} />} />}
          </Field>
          <Field label={t('generate.to')} error={errors.to} required>
            {(p) => <Controller control={form.control} name="to" render={({ field }) => <DateInput {...p} {...field} min={session.startDate} max={session.endDate} />} />}
          </Field>
        </div>
        <Controller
          control={control}
          name="trainerIds"
          render={({ field, fieldState }) => (
            <CheckboxList
              legend={t('generate.trainers')}
              options={trainers.map((tr) => ({ value: tr.id, label: fullName(tr), hint: t(`trainerKinds.${tr.kind}`) }))}
              value={field.value}
              onChange={field.onChange}
              error={fieldState.error?.message}
              empty={t('generate.noTrainers')}
            />
          )}
        />
        <Field label={t('generate.place')} error={errors.placeId}>
          {(p) => (
            <select {...p} {...register('placeId')}>
              <option value="">{t('generate.noPlace')}</option>
              {places.map((pl) => (
                <option key={pl.id} value={pl.id}>{`${pl.name} — ${pl.city}`}</option>
              ))}
            </select>
          )}
        </Field>
        <div className="form-footer">
          <span />
          <SubmitButton busy={isSubmitting}>{t('generate.submit')}</SubmitButton>
        </div>
        </div>
      </form>
      {result?.overPlanned ? (
        <div className="banner notice" role="alert" data-testid="over-planned">
          {t('generate.overPlanned', {
            generated: formatMinutes(result.overPlanned.generated),
            planned: formatMinutes(result.overPlanned.planned),
            over: formatMinutes(result.overPlanned.over),
          })}
        </div>
      ) : null}
      {result ? (
        <div className="banner banner-success result" role="status" aria-live="polite">
          <p className="result-title">{t('generate.created', { count: result.created })}</p>
          {result.skippedExisting > 0 ? <p>{t('generate.skippedExisting', { count: result.skippedExisting })}</p> : null}
          {result.skippedHolidays.length > 0 ? (
            <>
              <p>{t('generate.skippedHolidays', { count: result.skippedHolidays.length })}</p>
              <ul className="holiday-list">
                {result.skippedHolidays.map((h) => (
                  <li key={h.date}>
                    <time dateTime={h.date}>{formatLongDate(h.date)}</time> — {h.name}
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p>{t('generate.noHoliday')}</p>
          )}
        </div>
      ) : null}
    </section>
  );
}
