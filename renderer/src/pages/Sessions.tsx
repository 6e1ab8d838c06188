import { useMemo, useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import type { MethodOutput } from '../../../shared/contract';
import { SESSION_MODES, sessionInput } from '../../../shared/schemas/training';
import { api } from '../api';
import { ArchivedRecords } from '../components/Archive';
import { DataTable, type DataColumn } from '../components/DataTable';
import { EditorPanel, useEditor } from '../components/EditorPanel';
import { Field } from '../components/Field';
import { EmptyState, ErrorBanner, Loading, SubmitButton } from '../components/Feedback';
import { PageHeader } from '../components/Layout';
import { formResolver, orUndefined, useSubmitState } from '../lib/forms';
import { formatDate, formatMinutes } from '../lib/format';
import { useDebounced, useQuery } from '../lib/useQuery';
import { DateInput } from '../components/DateInput';

interface SessionForm {
  actionId: string;
  label: string;
  mode: (typeof SESSION_MODES)[number];
  capacity: string;
  startDate: string;
  endDate: string;
  placeId: string;
}

function toInput(v: SessionForm) {
  return {
    actionId: v.actionId,
    label: v.label,
    mode: v.mode,
    capacity: v.capacity.trim() === '' ? Number.NaN : Number(v.capacity),
    startDate: v.startDate,
    endDate: v.endDate,
    placeId: orUndefined(v.placeId) ?? null,
  };
}

export function SessionsPage() {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const debounced = useDebounced(search.trim());
  const query = useQuery(() => api['sessions.list'](debounced ? { search: debounced } : {}), [debounced]);
  const editor = useEditor<null>();
  const rows = useMemo(() => query.data ?? [], [query.data]);
  const columns = useSessionColumns();
  return (
    <div aria-busy={query.loading}>
      <PageHeader title={t('sessions.title')} intro={t('sessions.intro')}>
        <button type="button" className="btn btn-primary" onClick={editor.openNew}>{t('sessions.new')}</button>
      </PageHeader>
      <ErrorBanner error={query.error} />
      {editor.open ? <SessionEditor onClose={editor.close} /> : null}
      <section className="panel" aria-labelledby="sessions-list-title">
        <h2 id="sessions-list-title">{t('sessions.listTitle', { count: rows.length })}</h2>
        {query.loading && !query.data ? <Loading /> : null}
        {query.data ? (
          <DataTable<SessionSummary>
            rows={rows}
            columns={columns}
            rowKey={(s) => s.id}
            labelledBy="sessions-list-title"
            search={{ id: 'session-search', label: t('sessions.search'), value: search, onChange: setSearch }}
            exportName="sillon-sessions"
            empty={<EmptyState>{debounced ? t('common.noMatch') : t('sessions.empty')}</EmptyState>}
          />
        ) : null}
      </section>
      <ArchivedRecords kind="session" label={t('archive.showSessions')} onRestored={query.reload} />
    </div>
  );
}

type SessionSummary = MethodOutput<'sessions.list'>[number];

function useSessionColumns(): DataColumn<SessionSummary>[] {
  const { t } = useTranslation();
  return useMemo<DataColumn<SessionSummary>[]>(
    () => [
      {
        id: 'session',
        header: t('sessions.columns.session'),
        rowHeader: true,
        value: (s) => s.label,
        cell: (s) => <Link to={`/sessions/${s.id}`}>{s.label}</Link>,
      },
      { id: 'action', header: t('sessions.columns.action'), value: (s) => s.actionTitle, cell: (s) => s.actionTitle },
      { id: 'mode', header: t('sessions.columns.mode'), value: (s) => t(`modes.${s.mode}`), cell: (s) => <span className={`badge badge-${s.mode}`}>{t(`modes.${s.mode}`)}</span> },
      {
        id: 'dates',
        header: t('sessions.columns.dates'),
        className: 'nowrap',
        value: (s) => s.startDate,
        cell: (s) => t('common.dateRange', { from: formatDate(s.startDate), to: formatDate(s.endDate) }),
        exportValue: (s) => t('common.dateRange', { from: formatDate(s.startDate), to: formatDate(s.endDate) }),
      },
      { id: 'enrolled', header: t('sessions.columns.enrolled'), num: true, value: (s) => s.enrolled, cell: (s) => <Capacity enrolled={s.enrolled} capacity={s.capacity} /> },
      { id: 'slots', header: t('sessions.columns.slots'), num: true, value: (s) => s.slotCount },
      { id: 'hours', header: t('sessions.columns.hours'), num: true, value: (s) => s.plannedMinutes, cell: (s) => formatMinutes(s.plannedMinutes), exportValue: (s) => s.plannedMinutes / 60 },
    ],
    [t],
  );
}

export function Capacity({ enrolled, capacity }: { enrolled: number; capacity: number }) {
  const { t } = useTranslation();
  const ratio = capacity > 0 ? Math.min(1, enrolled / capacity) : 0;
  return (
    <span className="capacity">
      <span>{t('sessions.enrolledOf', { enrolled, capacity })}</span>
      <span className="meter" aria-hidden="true">
        <span className="meter-fill" style={{ width: `${Math.round(ratio * 100)}%` }} />
      </span>
    </span>
  );
}

function SessionEditor({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const options = useQuery(async () => {
    const [actions, places] = await Promise.all([api['actions.list'](), api['places.list']()]);
    return { actions, places };
  }, []);
  const form = useForm<SessionForm>({
    defaultValues: { actionId: '', label: '', mode: 'cohort', capacity: '12', startDate: '', endDate: '', placeId: '' },
    resolver: formResolver<SessionForm>(sessionInput, toInput, {
      check: (v) => (v.actionId ? {} : { actionId: t('sessions.chooseAction') }),
    }),
  });
  const submit = useSubmitState(form);
  const { register, formState: { errors, isSubmitting } } = form;
  const save = form.handleSubmit(
    (v) =>
      submit.run(async () => {
        const created = await api['sessions.save'](toInput(v));
        void navigate(`/sessions/${created.id}`);
      }),
    submit.invalid,
  );
  const actions = options.data?.actions ?? [];
  return (
    <EditorPanel title={t('sessions.newTitle')} onClose={onClose}>
      {options.loading && !options.data ? <Loading /> : null}
      {options.data && actions.length === 0 ? (
        <p className="notice">
          {t('sessions.needAction')} <Link to="/actions">{t('sessions.goActions')}</Link>
        </p>
      ) : null}
      <form className="form" onSubmit={(e) => void save(e)} noValidate aria-busy={options.loading}>
        <p className="form-note">{t('common.requiredNote')}</p>
        <ErrorBanner error={submit.error} />
        <div className="grid grid-3">
          <Field label={t('sessions.fields.actionId')} error={errors.actionId} required className="span-3">
            {(p) => (
              <select {...p} {...register('actionId')}>
                <option value="">{t('common.choose')}</option>
                {actions.map((a) => (
                  <option key={a.id} value={a.id}>{a.code ? `${a.title} (${a.code})` : a.title}</option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('sessions.fields.label')} error={errors.label} required className="span-2" hint={t('sessions.hints.label')}>
            {(p) => <input {...p} type="text" {...register('label')} />}
          </Field>
          <Field label={t('sessions.fields.capacity')} error={errors.capacity} required>
            {(p) => <input {...p} type="number" min={1} step={1} inputMode="numeric" {...register('capacity')} />}
          </Field>
          <fieldset className="span-3 radio-group">
            <legend>{t('sessions.fields.mode')}</legend>
            {SESSION_MODES.map((m) => (
              <label key={m} className="radio-card">
                <input type="radio" value={m} {...register('mode')} />
                <span>
                  <strong>{t(`modes.${m}`)}</strong>
                  <span className="muted">{t(`modesHelp.${m}`)}</span>
                </span>
              </label>
            ))}
            {errors.mode?.message ? <p className="field-error">{errors.mode.message}</p> : null}
          </fieldset>
          <Field label={t('sessions.fields.startDate')} error={errors.startDate} required>
            {(p) => <Controller control={form.control} name="startDate" render={({ field }) => <DateInput {...p} {...field} />} />}
          </Field>
          <Field label={t('sessions.fields.endDate')} error={errors.endDate} required>
            {(p) => <Controller control={form.control} name="endDate" render={({ field }) => <DateInput {...p} {...field} />} />}
          </Field>
          <Field label={t('sessions.fields.placeId')} error={errors.placeId}>
            {(p) => (
              <select {...p} {...register('placeId')}>
                <option value="">{t('sessions.noPlace')}</option>
                {(options.data?.places ?? []).map((pl) => (
                  <option key={pl.id} value={pl.id}>{`${pl.name} — ${pl.city}`}</option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <div className="form-footer">
          <button type="button" className="btn btn-ghost" onClick={onClose}>{t('common.cancel')}</button>
          <SubmitButton busy={isSubmitting}>{t('sessions.create')}</SubmitButton>
        </div>
      </form>
    </EditorPanel>
  );
}
