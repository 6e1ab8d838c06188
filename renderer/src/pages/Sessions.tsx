import { useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { SESSION_MODES, sessionInput } from '../../../shared/schemas/training';
import { api } from '../api';
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
  const rows = query.data ?? [];
  return (
    <div aria-busy={query.loading}>
      <PageHeader title={t('sessions.title')} intro={t('sessions.intro')}>
        <button type="button" className="btn btn-primary" onClick={editor.openNew}>{t('sessions.new')}</button>
      </PageHeader>
      <ErrorBanner error={query.error} />
      {editor.open ? <SessionEditor onClose={editor.close} /> : null}
      <section className="panel" aria-labelledby="sessions-list-title">
        <div className="panel-header">
          <h2 id="sessions-list-title">{t('sessions.listTitle', { count: rows.length })}</h2>
          <div className="search">
            <label htmlFor="session-search">{t('sessions.search')}</label>
            <input id="session-search" type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
          </div>
        </div>
        {query.loading && !query.data ? <Loading /> : null}
        {query.data && rows.length === 0 ? <EmptyState>{debounced ? t('common.noMatch') : t('sessions.empty')}</EmptyState> : null}
        {rows.length > 0 ? (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('sessions.columns.session')}</th>
                  <th scope="col">{t('sessions.columns.mode')}</th>
                  <th scope="col">{t('sessions.columns.dates')}</th>
                  <th scope="col" className="num">{t('sessions.columns.enrolled')}</th>
                  <th scope="col" className="num">{t('sessions.columns.slots')}</th>
                  <th scope="col" className="num">{t('sessions.columns.hours')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((s) => (
                  <tr key={s.id}>
                    <th scope="row" className="cell-title">
                      <Link to={`/sessions/${s.id}`}>{s.label}</Link>
                      <span className="cell-sub">{s.actionTitle}</span>
                    </th>
                    <td><span className={`badge badge-${s.mode}`}>{t(`modes.${s.mode}`)}</span></td>
                    <td className="nowrap">{t('common.dateRange', { from: formatDate(s.startDate), to: formatDate(s.endDate) })}</td>
                    <td className="num">
                      <Capacity enrolled={s.enrolled} capacity={s.capacity} />
                    </td>
                    <td className="num">{s.slotCount}</td>
                    <td className="num">{formatMinutes(s.plannedMinutes)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
    </div>
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
