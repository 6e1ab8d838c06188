import { useMemo, useRef, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { traineeInput, type Trainee } from '../../../shared/schemas/people';
import { api } from '../api';
import { EditorPanel, useEditor } from '../components/EditorPanel';
import { DataTable, type DataColumn } from '../components/DataTable';
import { CheckField, Field } from '../components/Field';
import { EmptyState, ErrorBanner, Loading, SubmitButton, SuccessBanner } from '../components/Feedback';
import { PageHeader } from '../components/Layout';
import { formResolver, orNull, useSubmitState } from '../lib/forms';
import { formatDate, formatNumber } from '../lib/format';
import { useDebounced, useQuery } from '../lib/useQuery';

const ROW_HEIGHT = 57;

export function TraineesPage() {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const debounced = useDebounced(search.trim(), 200);
  const query = useQuery(() => api['trainees.list']({ ...(debounced ? { search: debounced } : {}), limit: 50_000, offset: 0 }), [debounced]);
  const editor = useEditor<Trainee>();
  const [notice, setNotice] = useState<string | null>(null);
  const rows = useMemo(() => query.data?.rows ?? [], [query.data]);
  const columns = useTraineeColumns((tr) => { setNotice(null); editor.openEdit(tr); });

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
        <h2 id="trainees-list-title">
          {t('trainees.listTitle')}{' '}
          <span className="count" aria-live="polite">
            {query.data ? t('trainees.count', { count: query.data.total, formatted: formatNumber(query.data.total) }) : ''}
          </span>
        </h2>
        {query.loading && !query.data ? <Loading /> : null}
        {query.data ? (
          <DataTable<Trainee>
            rows={rows}
            columns={columns}
            rowKey={(tr) => tr.id}
            labelledBy="trainees-list-title"
            search={{ id: 'trainee-search', label: t('trainees.search'), value: search, onChange: setSearch }}
            exportName="sillon-stagiaires"
            empty={<EmptyState>{debounced ? t('common.noMatch') : t('trainees.empty')}</EmptyState>}
            rowHeight={ROW_HEIGHT}
          />
        ) : null}
      </section>
    </div>
  );
}

/**
 * The trainees' columns. Thousands of trainees stay smooth: DataTable virtualises long lists against the
 * page scroll (only the rows in view are in the DOM); sorting and exports cover every loaded row.
 */
function useTraineeColumns(onEdit: (tr: Trainee) => void): DataColumn<Trainee>[] {
  const { t } = useTranslation();
  const onEditRef = useRef(onEdit);
  onEditRef.current = onEdit;
  return useMemo<DataColumn<Trainee>[]>(
    () => [
      {
        id: 'name',
        header: t('trainees.columns.name'),
        rowHeader: true,
        value: (tr) => `${tr.lastName.toUpperCase()} ${tr.firstName}`,
        cell: (tr) => (
          <button type="button" className="link-button" onClick={() => onEditRef.current(tr)}>
            <span className="visually-hidden">{t('common.edit')} </span>
            {tr.lastName.toUpperCase()} {tr.firstName}
          </button>
        ),
      },
      { id: 'birthDate', header: t('trainees.columns.birthDate'), value: (tr) => tr.birthDate, cell: (tr) => formatDate(tr.birthDate), exportValue: (tr) => formatDate(tr.birthDate), className: 'nowrap' },
      { id: 'city', header: t('trainees.columns.city'), value: (tr) => [tr.postcode, tr.city].filter(Boolean).join(' ') || null },
      { id: 'franceTravailId', header: t('trainees.columns.franceTravailId'), value: (tr) => tr.franceTravailId, className: 'mono' },
      {
        id: 'flags',
        header: t('trainees.columns.flags'),
        className: 'flags',
        value: (tr) => [tr.qpvResident ? t('trainees.qpv') : '', tr.fictitious ? t('trainees.fictitious') : ''].filter(Boolean).join(' ') || null,
        cell: (tr) => (
          <>
            {tr.qpvResident ? <span className="badge badge-qpv">{t('trainees.qpv')}</span> : null}
            {tr.fictitious ? <span className="badge badge-fictitious">{t('trainees.fictitious')}</span> : null}
            {!tr.qpvResident && !tr.fictitious ? '—' : null}
          </>
        ),
      },
    ],
    [t],
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
            {(p) => <input {...p} type="date" {...register('birthDate')} />}
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
