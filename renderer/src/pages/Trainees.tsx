import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef, useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { traineeInput, type Trainee } from '../../../shared/schemas/people';
import { api } from '../api';
import { EditorPanel, useEditor } from '../components/EditorPanel';
import { CheckField, Field } from '../components/Field';
import { EmptyState, ErrorBanner, Loading, SubmitButton, SuccessBanner } from '../components/Feedback';
import { PageHeader } from '../components/Layout';
import { formResolver, orNull, useSubmitState } from '../lib/forms';
import { formatDate, formatNumber } from '../lib/format';
import { useDebounced, useQuery } from '../lib/useQuery';
import { DateInput } from '../components/DateInput';

const ROW_HEIGHT = 60;

export function TraineesPage() {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const debounced = useDebounced(search.trim(), 200);
  const query = useQuery(() => api['trainees.list']({ ...(debounced ? { search: debounced } : {}), limit: 50_000, offset: 0 }), [debounced]);
  const editor = useEditor<Trainee>();
  const [notice, setNotice] = useState<string | null>(null);
  const rows = query.data?.rows ?? [];

  return (
    <div aria-busy={query.loading}>
      <PageHeader title={t('trainees.title')} intro={t('trainees.intro')}>
        <button type="button" className="btn btn-primary" onClick={() => { setNotice(null); editor.openNew(); }}>{t('trainees.new')}</button>
      </PageHeader>
      <ErrorBanner error={query.error} />
      {editor.open ? (
        <TraineeEditor
          key={editor.record?.id ?? 'new'}
          trainee={editor.record}
          onClose={editor.close}
          onSaved={async (saved) => {
            editor.close();
            setNotice(t('trainees.saved', { name: `${saved.lastName} ${saved.firstName}` }));
            await query.reload();
          }}
        />
      ) : null}
      <SuccessBanner>{notice}</SuccessBanner>
      <section className="panel" aria-labelledby="trainees-list-title">
        <div className="panel-header">
          <h2 id="trainees-list-title">
            {t('trainees.listTitle')}{' '}
            <span className="count" aria-live="polite">
              {query.data ? t('trainees.count', { count: query.data.total, formatted: formatNumber(query.data.total) }) : ''}
            </span>
          </h2>
          <div className="search">
            <label htmlFor="trainee-search">{t('trainees.search')}</label>
            <input id="trainee-search" type="search" value={search} onChange={(e) => setSearch(e.target.value)} autoComplete="off" />
          </div>
        </div>
        {query.loading && !query.data ? <Loading /> : null}
        {query.data && rows.length === 0 ? <EmptyState>{debounced ? t('common.noMatch') : t('trainees.empty')}</EmptyState> : null}
        {rows.length > 0 ? <TraineeList rows={rows} onEdit={(tr) => { setNotice(null); editor.openEdit(tr); }} /> : null}
      </section>
    </div>
  );
}

/** Thousands of trainees stay smooth: only the rows in view are in the DOM (TanStack Virtual). */
function TraineeList({ rows, onEdit }: { rows: Trainee[]; onEdit: (t: Trainee) => void }) {
  const { t } = useTranslation();
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
  });
  return (
    <div className="vlist">
      <div className="vlist-head" aria-hidden="true">
        <span>{t('trainees.columns.name')}</span>
        <span>{t('trainees.columns.birthDate')}</span>
        <span>{t('trainees.columns.city')}</span>
        <span>{t('trainees.columns.franceTravailId')}</span>
        <span>{t('trainees.columns.flags')}</span>
      </div>
      <div className="vlist-scroll" ref={scrollRef} tabIndex={0} role="region" aria-label={t('trainees.listLabel')}>
        <ul className="vlist-inner" style={{ height: `${virtualizer.getTotalSize()}px` }}>
          {virtualizer.getVirtualItems().map((item) => {
            const tr = rows[item.index]!;
            return (
              <li
                key={tr.id}
                className="vlist-row"
                aria-setsize={rows.length}
                aria-posinset={item.index + 1}
                style={{ transform: `translateY(${item.start}px)`, height: `${ROW_HEIGHT}px` }}
              >
                <button type="button" className="link-button vlist-name" onClick={() => onEdit(tr)}>
                  <span className="visually-hidden">{t('common.edit')} </span>
                  {tr.lastName.toUpperCase()} {tr.firstName}
                </button>
                <span><span className="visually-hidden">{t('trainees.columns.birthDate')} : </span>{formatDate(tr.birthDate)}</span>
                <span>{[tr.postcode, tr.city].filter(Boolean).join(' ') || '—'}</span>
                <span>{tr.franceTravailId ? <><span className="visually-hidden">{t('trainees.columns.franceTravailId')} : </span>{tr.franceTravailId}</> : '—'}</span>
                <span className="flags">
                  {tr.qpvResident ? <span className="badge badge-qpv">{t('trainees.qpv')}</span> : null}
                  {tr.fictitious ? <span className="badge badge-fictitious">{t('trainees.fictitious')}</span> : null}
                </span>
              </li>
            );
          })}
        </ul>
      </div>
    </div>
  );
}

interface TraineeForm {
  lastName: string;
  firstName: string;
  birthDate: string;
  nir: string;
  franceTravailId: string;
  email: string;
  phone: string;
  postcode: string;
  city: string;
  qpvResident: boolean;
}

function toForm(tr: Trainee | null): TraineeForm {
  return {
    lastName: tr?.lastName ?? '',
    firstName: tr?.firstName ?? '',
    birthDate: tr?.birthDate ?? '',
    nir: tr?.nir ?? '',
    franceTravailId: tr?.franceTravailId ?? '',
    email: tr?.email ?? '',
    phone: tr?.phone ?? '',
    postcode: tr?.postcode ?? '',
    city: tr?.city ?? '',
    qpvResident: tr?.qpvResident ?? false,
  };
}

function toInput(v: TraineeForm, existing: Trainee | null) {
  return {
    ...(existing ? { id: existing.id, fictitious: existing.fictitious } : {}),
    lastName: v.lastName,
    firstName: v.firstName,
    birthDate: v.birthDate,
    nir: orNull(v.nir),
    franceTravailId: orNull(v.franceTravailId),
    email: orNull(v.email),
    phone: orNull(v.phone),
    postcode: orNull(v.postcode),
    city: orNull(v.city),
    qpvResident: v.qpvResident,
  };
}

function TraineeEditor({ trainee, onClose, onSaved }: { trainee: Trainee | null; onClose: () => void; onSaved: (t: Trainee) => Promise<void> }) {
  const { t } = useTranslation();
  const form = useForm<TraineeForm>({
    defaultValues: toForm(trainee),
    resolver: formResolver<TraineeForm>(traineeInput, (v) => toInput(v, trainee)),
  });
  const submit = useSubmitState(form);
  const { register, formState: { errors, isSubmitting } } = form;
  const save = form.handleSubmit(
    (v) =>
      submit.run(async () => {
        await onSaved(await api['trainees.save'](toInput(v, trainee)));
      }),
    submit.invalid,
  );
  const title = trainee ? t('trainees.editTitle', { name: `${trainee.lastName} ${trainee.firstName}` }) : t('trainees.newTitle');
  return (
    <EditorPanel title={title} onClose={onClose}>
      <form className="form" onSubmit={(e) => void save(e)} noValidate>
        <p className="form-note">{t('common.requiredNote')}</p>
        <ErrorBanner error={submit.error} />
        <SuccessBanner>{submit.done}</SuccessBanner>
        <div className="grid grid-3">
          <Field label={t('trainees.fields.lastName')} error={errors.lastName} required>
            {(p) => <input {...p} type="text" autoComplete="off" {...register('lastName')} />}
          </Field>
          <Field label={t('trainees.fields.firstName')} error={errors.firstName} required>
            {(p) => <input {...p} type="text" autoComplete="off" {...register('firstName')} />}
          </Field>
          <Field label={t('trainees.fields.birthDate')} error={errors.birthDate} required>
            {(p) => <Controller control={form.control} name="birthDate" render={({ field }) => <DateInput {...p} {...field} />} />}
          </Field>
          <Field label={t('trainees.fields.nir')} error={errors.nir} hint={t('trainees.hints.nir')}>
            {(p) => <input {...p} type="text" inputMode="numeric" autoComplete="off" {...register('nir')} />}
          </Field>
          <Field label={t('trainees.fields.franceTravailId')} error={errors.franceTravailId} hint={t('trainees.hints.franceTravailId')}>
            {(p) => <input {...p} type="text" autoComplete="off" {...register('franceTravailId')} />}
          </Field>
          <Field label={t('trainees.fields.email')} error={errors.email}>
            {(p) => <input {...p} type="email" autoComplete="off" {...register('email')} />}
          </Field>
          <Field label={t('trainees.fields.phone')} error={errors.phone}>
            {(p) => <input {...p} type="tel" autoComplete="off" {...register('phone')} />}
          </Field>
          <Field label={t('trainees.fields.postcode')} error={errors.postcode}>
            {(p) => <input {...p} type="text" inputMode="numeric" autoComplete="off" {...register('postcode')} />}
          </Field>
          <Field label={t('trainees.fields.city')} error={errors.city}>
            {(p) => <input {...p} type="text" autoComplete="off" {...register('city')} />}
          </Field>
          <div className="span-3">
            <CheckField label={t('trainees.fields.qpvResident')} hint={t('trainees.hints.qpvResident')} error={errors.qpvResident}>
              {(p) => <input {...p} type="checkbox" {...register('qpvResident')} />}
            </CheckField>
          </div>
        </div>
        <div className="form-footer">
          <button type="button" className="btn btn-ghost" onClick={onClose}>{t('common.cancel')}</button>
          <SubmitButton busy={isSubmitting}>{trainee ? t('common.saveChanges') : t('trainees.create')}</SubmitButton>
        </div>
      </form>
    </EditorPanel>
  );
}
