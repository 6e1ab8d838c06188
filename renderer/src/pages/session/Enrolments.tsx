import { useEffect, useMemo, useRef, useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { todayIn } from '../../../../shared/domain/dates';
// The moves the backend allows, so the select never proposes a refused one.
import { statusDateProblem, TRANSITIONS } from '../../../../shared/domain/enrolment-status';
import {
  enrolmentInput,
  enrolmentStatusInput,
  EXIT_REASONS,
  OUTCOMES,
  type EnrolmentStatus,
} from '../../../../shared/schemas/training';
import { api } from '../../api';
import { Field } from '../../components/Field';
import { EmptyState, ErrorBanner, SubmitButton, SuccessBanner } from '../../components/Feedback';
import { formResolver, orNull, orUndefined, useSubmitState } from '../../lib/forms';
import { fileSlug } from '../../lib/files';
import { formatDate, formatMinutes } from '../../lib/format';
import { DataTable, type DataColumn } from '../../components/DataTable';
import { matchesSearch } from '../../../../shared/domain/search';
import { useDebounced, useQuery } from '../../lib/useQuery';
import type { SessionPageData } from '../SessionPage';
import { useTimeZone } from '../../lib/timeZone';
import { DateInput } from '../../components/DateInput';
import { FundingLinesEditor } from '../funding/FundingLinesEditor';

type EnrolmentRow = SessionPageData['page']['enrolments'][number];


export function EnrolmentsSection({ data, onChanged }: { data: SessionPageData; onChanged: () => Promise<void> }) {
  const { t } = useTranslation();
  const { page, funders } = data;
  const [changing, setChanging] = useState<EnrolmentRow | null>(null);
  const [funding, setFunding] = useState<EnrolmentRow | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const funderName = useMemo(() => new Map(funders.map((f) => [f.code, f.name])), [funders]);
  const rows = page.enrolments;
  const [search, setSearch] = useState('');
  // The session's enrolments are all loaded with the page (one session holds a few dozen at most), so the
  // page filters them itself, with the same fold as the backend's searches (case and accents ignored).
  const shown = useMemo(
    () => rows.filter((e) => matchesSearch([e.traineeName, e.companyName, funderName.get(e.funderCode) ?? e.funderCode, e.fileNumber, t(`statuses.${e.status}`)], search)),
    [rows, search, funderName, t],
  );
  const columns = useMemo<DataColumn<EnrolmentRow>[]>(
    () => [
      { id: 'trainee', header: t('enrolments.columns.trainee'), value: (e) => e.traineeName, rowHeader: true, className: 'nowrap' },
      { id: 'company', header: t('enrolments.columns.company'), value: (e) => e.companyName },
      { id: 'funder', header: t('enrolments.columns.funder'), value: (e) => funderName.get(e.funderCode) ?? e.funderCode },
      { id: 'fileNumber', header: t('enrolments.columns.fileNumber'), value: (e) => e.fileNumber },
      {
        id: 'status',
        header: t('enrolments.columns.status'),
        value: (e) => t(`statuses.${e.status}`),
        cell: (e) => <span className={`badge status-${e.status}`}>{t(`statuses.${e.status}`)}</span>,
      },
      {
        id: 'dates',
        header: t('enrolments.columns.dates'),
        value: (e) => e.plannedStart,
        exportValue: (e) => t('common.dateRange', { from: formatDate(e.plannedStart), to: formatDate(e.plannedEnd) }),
        cell: (e) => (
          <>
            <span className="nowrap">{formatDate(e.plannedStart)} →</span> <span className="nowrap">{formatDate(e.plannedEnd)}</span>
            {e.entryDate || e.exitDate ? (
              <span className="cell-sub">
                {e.entryDate ? t('enrolments.enteredOn', { date: formatDate(e.entryDate) }) : ''}
                {e.entryDate && e.exitDate ? ' · ' : ''}
                {e.exitDate ? t('enrolments.exitedOn', { date: formatDate(e.exitDate) }) : ''}
              </span>
            ) : null}
          </>
        ),
      },
      { id: 'hours', header: t('enrolments.columns.hours'), num: true, value: (e) => e.plannedMinutes, cell: (e) => formatMinutes(e.plannedMinutes), exportValue: (e) => e.plannedMinutes / 60 },
    ],
    [t, funderName],
  );

  return (
    <section className="panel" aria-labelledby="enrolments-title">
      <div className="panel-header">
        <h2 id="enrolments-title">{t('enrolments.title', { count: rows.length })}</h2>
      </div>
      <SuccessBanner>{notice}</SuccessBanner>
      {rows.length === 0 ? (
        <EmptyState>{t('enrolments.empty')}</EmptyState>
      ) : (
        <DataTable
          id="enrolments-table"
          rows={shown}
          columns={columns}
          rowKey={(e) => e.id}
          labelledBy="enrolments-title"
          rowClassName={(e) => (changing?.id === e.id || funding?.id === e.id ? 'is-current' : undefined)}
          exportName={`sillon-inscriptions-${fileSlug(page.session.label)}`}
          search={{ id: 'enrolments-search', label: t('enrolments.filter'), value: search, onChange: setSearch }}
          empty={<EmptyState>{t('common.noMatch')}</EmptyState>}
          actions={(e) => (
            <>
              {TRANSITIONS[e.status].length > 0 ? (
                <button type="button" className="btn btn-small btn-secondary" onClick={() => { setNotice(null); setFunding(null); setChanging(e); }}>
                  {t('enrolments.changeStatus')}
                  <span className="visually-hidden"> — {e.traineeName}</span>
                </button>
              ) : null}{' '}
              <button type="button" className="btn btn-small btn-secondary" onClick={() => { setNotice(null); setChanging(null); setFunding(e); }}>
                {t('fundings.open')}
                <span className="visually-hidden"> — {e.traineeName}</span>
              </button>
            </>
          )}
        />
      )}
      {changing ? (
        <StatusForm
          key={changing.id}
          enrolment={changing}
          sessionEnd={data.page.session.endDate}
          onClose={() => setChanging(null)}
          onSaved={async (message) => {
            setChanging(null);
            setNotice(message);
            await onChanged();
          }}
        />
      ) : null}
      {funding ? (
        <FundingLinesEditor
          key={funding.id}
          owner={{ enrolmentId: funding.id }}
          title={t('fundings.enrolmentTitle', { name: funding.traineeName })}
          totalMinutes={rows.find((r) => r.id === funding.id)?.plannedMinutes ?? funding.plannedMinutes}
          funders={funders}
          onClose={() => setFunding(null)}
          onSaved={onChanged}
        />
      ) : null}
      <EnrolForm data={data} onEnrolled={async (message) => { setNotice(message); await onChanged(); }} />
    </section>
  );
}

interface StatusFormValues {
  status: EnrolmentStatus;
  effectiveDate: string;
  reason: (typeof EXIT_REASONS)[number] | '';
  outcome: (typeof OUTCOMES)[number] | '';
  note: string;
}

function statusInput(enrolmentId: string, v: StatusFormValues) {
  const exited = v.status === 'exited';
  return {
    enrolmentId,
    status: v.status,
    effectiveDate: v.effectiveDate,
    reason: exited && v.reason ? v.reason : null,
    outcome: exited && v.outcome ? v.outcome : null,
    note: orNull(v.note),
  };
}

function StatusForm({
  enrolment,
  sessionEnd,
  onClose,
  onSaved,
}: {
  enrolment: EnrolmentRow;
  sessionEnd: string;
  onClose: () => void;
  onSaved: (message: string) => Promise<void>;
}) {
  const { t } = useTranslation();
  const options = TRANSITIONS[enrolment.status];
  const timeZone = useTimeZone();
  const ref = useRef<HTMLElement>(null);
  const form = useForm<StatusFormValues>({
    defaultValues: { status: options[0] ?? 'entered', effectiveDate: todayIn(new Date(), timeZone), reason: '', outcome: '', note: '' },
    resolver: formResolver<StatusFormValues>(enrolmentStatusInput, (v) => statusInput(enrolment.id, v), {
      // The same bounds the backend re-checks (shared/domain/enrolment-status.ts).
      check: (v) => {
        if (!v.effectiveDate) return {};
        const problem = statusDateProblem(v.status, v.effectiveDate, {
          plannedStart: enrolment.plannedStart,
          plannedEnd: enrolment.plannedEnd,
          sessionEnd,
          history: enrolment.history,
        });
        return problem ? { effectiveDate: problem } : {};
      },
    }),
  });
  const submit = useSubmitState(form);
  const { register, watch, formState: { errors, isSubmitting } } = form;
  const status = watch('status');
  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('select')?.focus();
  }, []);
  const save = form.handleSubmit(
    (v) =>
      submit.run(async () => {
        const updated = await api['enrolments.setStatus'](statusInput(enrolment.id, v));
        await onSaved(t('enrolments.statusSaved', { name: enrolment.traineeName, status: t(`statuses.${updated.status}`) }));
      }),
    submit.invalid,
  );
  return (
    <section className="subpanel" ref={ref} aria-labelledby="status-form-title">
      <div className="panel-header">
        <h3 id="status-form-title">{t('enrolments.statusTitle', { name: enrolment.traineeName })}</h3>
        <button type="button" className="btn btn-ghost" onClick={onClose}>{t('common.cancel')}</button>
      </div>
      <p className="muted">{t('enrolments.currentStatus', { status: t(`statuses.${enrolment.status}`) })}</p>
      <form className="form" onSubmit={(e) => void save(e)} noValidate>
        <ErrorBanner error={submit.error} />
        <div className="grid grid-4">
          <Field label={t('enrolments.fields.status')} error={errors.status} required>
            {(p) => (
              <select {...p} {...register('status')}>
                {options.map((s) => (
                  <option key={s} value={s}>{t(`statusActions.${s}`)}</option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('enrolments.fields.effectiveDate')} error={errors.effectiveDate} required>
            {(p) => <Controller control={form.control} name="effectiveDate" render={({ field }) => <DateInput {...p} {...field} />} />}
          </Field>
          {status === 'exited' ? (
            <>
              <Field label={t('enrolments.fields.reason')} error={errors.reason} required>
                {(p) => (
                  <select {...p} {...register('reason')}>
                    <option value="">{t('common.choose')}</option>
                    {EXIT_REASONS.map((r) => (
                      <option key={r} value={r}>{t(`exitReasons.${r}`)}</option>
                    ))}
                  </select>
                )}
              </Field>
              <Field label={t('enrolments.fields.outcome')} error={errors.outcome}>
                {(p) => (
                  <select {...p} {...register('outcome')}>
                    <option value="">{t('common.notKnown')}</option>
                    {OUTCOMES.map((o) => (
                      <option key={o} value={o}>{t(`outcomes.${o}`)}</option>
                    ))}
                  </select>
                )}
              </Field>
            </>
          ) : null}
          <Field label={t('enrolments.fields.note')} error={errors.note} className="span-4">
            {(p) => <input {...p} type="text" {...register('note')} />}
          </Field>
        </div>
        <div className="form-footer">
          <span />
          <SubmitButton busy={isSubmitting}>{t('enrolments.saveStatus')}</SubmitButton>
        </div>
      </form>
    </section>
  );
}

interface EnrolFormValues {
  search: string;
  traineeId: string;
  companyId: string;
  funderCode: string;
  fileNumber: string;
  plannedStart: string;
  plannedEnd: string;
}

function enrolInput(sessionId: string, v: EnrolFormValues) {
  return {
    sessionId,
    traineeId: v.traineeId,
    companyId: orUndefined(v.companyId) ?? null,
    funderCode: v.funderCode,
    fileNumber: orNull(v.fileNumber),
    plannedStart: orUndefined(v.plannedStart),
    plannedEnd: orUndefined(v.plannedEnd),
  };
}

const EMPTY_ENROL: EnrolFormValues = { search: '', traineeId: '', companyId: '', funderCode: '', fileNumber: '', plannedStart: '', plannedEnd: '' };

/** « Inscrire »: a trainee (searched by name), an optional company, a funder and its file number. */
function EnrolForm({ data, onEnrolled }: { data: SessionPageData; onEnrolled: (message: string) => Promise<void> }) {
  const { t } = useTranslation();
  const { page, funders, companies } = data;
  const rolling = page.session.mode === 'rolling';
  const form = useForm<EnrolFormValues>({
    defaultValues: EMPTY_ENROL,
    resolver: formResolver<EnrolFormValues>(enrolmentInput, (v) => enrolInput(page.session.id, v), {
      check: (v) => {
        const missing: Record<string, string> = {};
        if (!v.traineeId) missing.traineeId = t('enrolments.chooseTrainee');
        if (!v.funderCode) missing.funderCode = t('enrolments.chooseFunder');
        if (rolling && !v.plannedStart) missing.plannedStart = t('enrolments.rollingDates');
        if (rolling && !v.plannedEnd) missing.plannedEnd = t('enrolments.rollingDates');
        return missing;
      },
    }),
  });
  const submit = useSubmitState(form);
  const { register, watch, formState: { errors, isSubmitting } } = form;
  const search = useDebounced(watch('search').trim(), 250);
  const trainees = useQuery(() => api['trainees.list']({ ...(search ? { search } : {}), limit: 200, offset: 0 }), [search]);
  const enrolled = useMemo(() => new Set(page.enrolments.map((e) => e.traineeId)), [page.enrolments]);
  const choices = (trainees.data?.rows ?? []).filter((tr) => !enrolled.has(tr.id));
  const more = (trainees.data?.total ?? 0) > (trainees.data?.rows.length ?? 0);

  const save = form.handleSubmit(
    (v) =>
      submit.run(async () => {
        await api['enrolments.create'](enrolInput(page.session.id, v));
        const chosen = choices.find((c) => c.id === v.traineeId);
        form.reset(EMPTY_ENROL);
        await onEnrolled(t('enrolments.enrolled', { name: chosen ? `${chosen.lastName} ${chosen.firstName}` : '' }));
      }),
    submit.invalid,
  );

  return (
    <section className="subpanel" aria-labelledby="enrol-title">
      <h3 id="enrol-title">{t('enrolments.enrolTitle')}</h3>
      <form className="form" onSubmit={(e) => void save(e)} noValidate>
        <ErrorBanner error={submit.error} />
        <div className="grid grid-3">
          <div className="span-3 trainee-picker" aria-busy={trainees.loading}>
            <Field label={t('enrolments.fields.search')} hint={t('enrolments.hints.search')}>
              {(p) => <input {...p} type="search" autoComplete="off" {...register('search')} />}
            </Field>
            <Field
              label={t('enrolments.fields.traineeId')}
              error={errors.traineeId}
              required
              hint={more ? t('enrolments.hints.more', { shown: trainees.data?.rows.length ?? 0, total: trainees.data?.total ?? 0 }) : t('enrolments.hints.count', { count: choices.length })}
            >
              {(p) => (
                <select {...p} size={Math.min(6, Math.max(3, choices.length + 1))} {...register('traineeId')}>
                  {choices.length === 0 ? <option value="" disabled>{t('enrolments.noTrainee')}</option> : null}
                  {choices.map((tr) => (
                    <option key={tr.id} value={tr.id}>{`${tr.lastName.toUpperCase()} ${tr.firstName} — ${formatDate(tr.birthDate)}`}</option>
                  ))}
                </select>
              )}
            </Field>
          </div>
          <Field label={t('enrolments.fields.companyId')} error={errors.companyId}>
            {(p) => (
              <select {...p} {...register('companyId')}>
                <option value="">{t('enrolments.noCompany')}</option>
                {companies.map((c) => (
                  <option key={c.id} value={c.id}>{c.name}</option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('enrolments.fields.funderCode')} error={errors.funderCode} required>
            {(p) => (
              <select {...p} {...register('funderCode')}>
                <option value="">{t('common.choose')}</option>
                {funders.map((f) => (
                  <option key={f.code} value={f.code}>{f.name}</option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('enrolments.fields.fileNumber')} error={errors.fileNumber}>
            {(p) => <input {...p} type="text" {...register('fileNumber')} />}
          </Field>
          {rolling ? (
            <>
              <Field label={t('enrolments.fields.plannedStart')} error={errors.plannedStart} required>
                {(p) => <Controller control={form.control} name="plannedStart" render={({ field }) => <DateInput {...p} {...field} min={page.session.startDate} max={page.session.endDate} />} />}
              </Field>
              <Field label={t('enrolments.fields.plannedEnd')} error={errors.plannedEnd} required>
                {(p) => <Controller control={form.control} name="plannedEnd" render={({ field }) => <DateInput {...p} {...field} min={page.session.startDate} max={page.session.endDate} />} />}
              </Field>
            </>
          ) : null}
        </div>
        <div className="form-footer">
          <p className="muted">{rolling ? t('enrolments.rollingHelp') : t('enrolments.cohortHelp')}</p>
          <SubmitButton busy={isSubmitting}>{t('enrolments.submit')}</SubmitButton>
        </div>
      </form>
    </section>
  );
}
