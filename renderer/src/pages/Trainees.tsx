import { useEffect, useMemo, useRef, useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { todayIn } from '../../../shared/domain/dates';
import { birthDateProblem, duplicateWarning } from '../../../shared/domain/trainee';
import { BENEFITS, JUSTICE_SERVICES, type Benefit, type JusticeService } from '../../../shared/domain/sensitive';
import { traineeInput, type Trainee, type TraineeRow } from '../../../shared/schemas/people';
import { api } from '../api';
import { EditorPanel, useEditor } from '../components/EditorPanel';
import { DataTable, type DataColumn } from '../components/DataTable';
import { CheckField, Field } from '../components/Field';
import { EmptyState, ErrorBanner, Loading, SubmitButton, SuccessBanner } from '../components/Feedback';
import { PageHeader } from '../components/Layout';
import { formResolver, orNull, useSubmitState } from '../lib/forms';
import { formatDate, formatNumber } from '../lib/format';
import { useDebounced, useQuery } from '../lib/useQuery';
import { useTimeZone } from '../lib/timeZone';
import { PinSection } from '../components/PinSection';
import { RgpdSection } from '../components/RgpdSection';
import { ArchiveButton, ArchivedRecords } from '../components/Archive';
import { DateInput } from '../components/DateInput';
import { CheckboxList } from '../components/CheckboxList';
import { usePermissions } from '../lib/permissions';

const ROW_HEIGHT = 57;

export function TraineesPage() {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const debounced = useDebounced(search.trim(), 200);
  const query = useQuery(() => api['trainees.list']({ ...(debounced ? { search: debounced } : {}), limit: 50_000, offset: 0 }), [debounced]);
  const editor = useEditor<TraineeRow>();
  const [notice, setNotice] = useState<string | null>(null);
  const rows = useMemo(() => query.data?.rows ?? [], [query.data]);
  useOpenFromLink(editor.openEdit);
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
          onArchived={async () => {
            editor.close();
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
          <DataTable<TraineeRow>
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
      <ArchivedRecords kind="trainee" onRestored={query.reload} />
    </div>
  );
}

/**
 * The trainees' columns. Thousands of trainees stay smooth: DataTable virtualises long lists against the
 * page scroll (only the rows in view are in the DOM); sorting and exports cover every loaded row.
 */
function useTraineeColumns(onEdit: (tr: TraineeRow) => void): DataColumn<TraineeRow>[] {
  const { t } = useTranslation();
  const onEditRef = useRef(onEdit);
  onEditRef.current = onEdit;
  // The NIR column, masked, for those who may see it; the backend sends the mask to them only.
  const seesNir = usePermissions().has('people.sensitive.read');
  return useMemo<DataColumn<TraineeRow>[]>(
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
      ...(seesNir ? [{ id: 'nir', header: t('trainees.columns.nir'), value: (tr: TraineeRow) => tr.nirMasked, className: 'mono nowrap' }] : []),
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
    [t, seesNir],
  );
}

interface SensitiveForm {
  rqth: boolean;
  rqthUntil: string;
  accommodations: string;
  benefits: Benefit[];
  benefitsOther: string;
  justiceFollowUp: JusticeService | '';
  justiceNote: string;
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
  sensitive: SensitiveForm;
}

function toForm(tr: Trainee | null): TraineeForm {
  const s = tr?.sensitive;
  return {
    lastName: tr?.lastName ?? '',
    firstName: tr?.firstName ?? '',
    birthDate: tr?.birthDate ?? '',
    // Never filled from a read: the NIR comes whole only from « Afficher » (trainees.revealNir, audited).
    nir: '',
    franceTravailId: tr?.franceTravailId ?? '',
    email: tr?.email ?? '',
    phone: tr?.phone ?? '',
    postcode: tr?.postcode ?? '',
    city: tr?.city ?? '',
    qpvResident: tr?.qpvResident ?? false,
    sensitive: {
      rqth: s?.rqth ?? false,
      rqthUntil: s?.rqthUntil ?? '',
      accommodations: s?.accommodations ?? '',
      benefits: s?.benefits ?? [],
      benefitsOther: s?.benefitsOther ?? '',
      justiceFollowUp: s?.justiceFollowUp ?? '',
      justiceNote: s?.justiceNote ?? '',
    },
  };
}

/**
 * What the form may change: the NIR only once it is typed anew or shown whole (left out, the backend keeps the
 * one recorded), the sensitive fields only for a user who may see them.
 */
interface Editable {
  nir: boolean;
  sensitive: boolean;
}

function toInput(v: TraineeForm, existing: Trainee | null, editable: Editable) {
  return {
    ...(existing ? { id: existing.id, fictitious: existing.fictitious } : {}),
    lastName: v.lastName,
    firstName: v.firstName,
    birthDate: v.birthDate,
    ...(editable.nir ? { nir: orNull(v.nir) } : {}),
    franceTravailId: orNull(v.franceTravailId),
    email: orNull(v.email),
    phone: orNull(v.phone),
    postcode: orNull(v.postcode),
    city: orNull(v.city),
    qpvResident: v.qpvResident,
    ...(editable.sensitive
      ? {
          sensitive: {
            rqth: v.sensitive.rqth,
            rqthUntil: orNull(v.sensitive.rqthUntil),
            accommodations: orNull(v.sensitive.accommodations),
            benefits: v.sensitive.benefits,
            benefitsOther: orNull(v.sensitive.benefitsOther),
            justiceFollowUp: v.sensitive.justiceFollowUp || null,
            justiceNote: orNull(v.sensitive.justiceNote),
          },
        }
      : {}),
  };
}

/** `#/stagiaires?fiche=<id>` opens that trainee's form: the link of the namesake warning. */
function useOpenFromLink(open: (t: TraineeRow) => void) {
  const [params, setParams] = useSearchParams();
  const id = params.get('fiche');
  useEffect(() => {
    if (!id) return;
    let live = true;
    void api['trainees.get']({ id }).then(
      (tr) => {
        if (!live) return;
        open(tr);
        setParams({}, { replace: true });
      },
      () => setParams({}, { replace: true }),
    );
    return () => {
      live = false;
    };
  }, [id]);
}

type Namesake = { id: string; lastName: string; firstName: string; birthDate: string };

interface EditorProps {
  onClose: () => void;
  onSaved: (t: Trainee) => Promise<void>;
  onArchived: () => Promise<void>;
}

/** A list row lacks the sensitive fields: the record is read whole (`trainees.get`) before its form opens. */
function TraineeEditor({ trainee, ...props }: EditorProps & { trainee: TraineeRow | null }) {
  const { t } = useTranslation();
  const record = useQuery(() => (trainee ? api['trainees.get']({ id: trainee.id }) : Promise.resolve(null)), [trainee?.id]);
  if (!trainee) return <TraineeFormPanel trainee={null} {...props} />;
  if (!record.data) {
    return (
      <EditorPanel title={t('trainees.editTitle', { name: `${trainee.lastName} ${trainee.firstName}` })} onClose={props.onClose}>
        {record.error ? <ErrorBanner error={record.error} /> : <Loading />}
      </EditorPanel>
    );
  }
  return <TraineeFormPanel trainee={record.data} {...props} />;
}

function TraineeFormPanel({ trainee, onClose, onSaved, onArchived }: EditorProps & { trainee: Trainee | null }) {
  const { t } = useTranslation();
  const timeZone = useTimeZone();
  const maySeeSensitive = usePermissions().has('people.sensitive.read');
  // The NIR field is editable for a new trainee, one without a NIR, or once « Afficher » has shown it whole.
  const [revealed, setRevealed] = useState(false);
  const editable: Editable = { nir: maySeeSensitive && (!trainee?.nirOnFile || revealed), sensitive: maySeeSensitive };
  const editableRef = useRef(editable);
  editableRef.current = editable;
  const form = useForm<TraineeForm>({
    defaultValues: toForm(trainee),
    resolver: formResolver<TraineeForm>(traineeInput, (v) => toInput(v, trainee, editableRef.current), {
      // The backend checks it again against the earliest enrolment start; today is the entry of a new trainee.
      check: (v) => {
        const problem = /^\d{4}-\d{2}-\d{2}$/.test(v.birthDate) ? birthDateProblem(v.birthDate, todayIn(new Date(), timeZone)) : null;
        return problem && !trainee ? { birthDate: problem } : {};
      },
    }),
  });
  const submit = useSubmitState(form);
  const { register, formState: { errors, isSubmitting } } = form;
  // A namesake born the same day: a warning with links; saving again confirms it is another person.
  const [namesakes, setNamesakes] = useState<Namesake[]>([]);
  const save = form.handleSubmit(
    (v) =>
      submit.run(async () => {
        const input = toInput(v, trainee, editableRef.current);
        const confirmed = namesakes.length > 0;
        if (!confirmed) {
          const found = await api['trainees.namesakes']({ ...(trainee ? { id: trainee.id } : {}), lastName: input.lastName, firstName: input.firstName, birthDate: input.birthDate });
          if (found.length > 0) {
            setNamesakes(found);
            return;
          }
        }
        await onSaved(await api['trainees.save']({ ...input, confirmDuplicate: confirmed }));
      }),
    submit.invalid,
  );
  const identity = form.watch(['lastName', 'firstName', 'birthDate']).join('|');
  useEffect(() => setNamesakes([]), [identity]);
  const title = trainee ? t('trainees.editTitle', { name: `${trainee.lastName} ${trainee.firstName}` }) : t('trainees.newTitle');
  const reveal = () =>
    submit.run(async () => {
      if (!trainee) return;
      const { nir } = await api['trainees.revealNir']({ id: trainee.id });
      form.setValue('nir', nir);
      setRevealed(true);
    });
  return (
    <EditorPanel title={title} onClose={onClose}>
      <form className="form" onSubmit={(e) => void save(e)} noValidate>
        <p className="form-note">{t('common.requiredNote')}</p>
        <ErrorBanner error={submit.error} />
        <SuccessBanner>{submit.done}</SuccessBanner>
        {namesakes.length > 0 ? (
          <div className="banner notice" role="alert" data-testid="namesake-warning">
            <strong className="banner-title">{t('trainees.namesake.title')}</strong>
            <ul className="banner-text">
              {namesakes.map((n) => (
                <li key={n.id}>
                  {duplicateWarning(n)}{' '}
                  <Link to={`/stagiaires?fiche=${n.id}`} onClick={onClose}>{t('trainees.namesake.open', { name: `${n.lastName.toUpperCase()} ${n.firstName}` })}</Link>
                </li>
              ))}
            </ul>
            <p>{t('trainees.namesake.confirm')}</p>
          </div>
        ) : null}
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
          {editable.nir ? (
            <Field label={t('trainees.fields.nir')} error={errors.nir} hint={revealed ? t('trainees.nir.revealedHint') : t('trainees.hints.nir')}>
              {(p) => <input {...p} type="text" inputMode="numeric" autoComplete="off" {...register('nir')} />}
            </Field>
          ) : trainee?.nirOnFile ? (
            // Masked (« 2 85 •• •• ••• ••• 42 »); « Afficher » shows it whole and the backend logs that display.
            <Field label={t('trainees.fields.nir')} hint={maySeeSensitive ? t('trainees.nir.maskedHint') : t('trainees.nir.hiddenHint')}>
              {(p) => (
                <div className="button-row">
                  <input {...p} type="text" className="mono" readOnly value={trainee.nirMasked ?? t('trainees.nir.onFile')} />
                  {maySeeSensitive ? (
                    <button type="button" className="btn btn-secondary btn-small" onClick={() => void reveal()} aria-label={t('trainees.nir.showLabel', { name: `${trainee.lastName} ${trainee.firstName}` })}>
                      {t('trainees.nir.show')}
                    </button>
                  ) : null}
                </div>
              )}
            </Field>
          ) : null}
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
        {maySeeSensitive ? (
          <fieldset>
            <legend>{t('trainees.sensitive.legend')}</legend>
            <p className="form-note">{t('trainees.sensitive.intro')}</p>
            <div className="grid grid-3">
              <CheckField label={t('trainees.sensitive.rqth')} error={errors.sensitive?.rqth}>
                {(p) => <input {...p} type="checkbox" {...register('sensitive.rqth')} />}
              </CheckField>
              <Field label={t('trainees.sensitive.rqthUntil')} error={errors.sensitive?.rqthUntil}>
                {(p) => <Controller control={form.control} name="sensitive.rqthUntil" render={({ field }) => <DateInput {...p} {...field} />} />}
              </Field>
              <Field label={t('trainees.sensitive.accommodations')} hint={t('trainees.sensitive.accommodationsHint')} error={errors.sensitive?.accommodations} className="span-3">
                {(p) => <textarea {...p} rows={2} maxLength={1000} {...register('sensitive.accommodations')} />}
              </Field>
              <div className="span-2">
                <Controller
                  control={form.control}
                  name="sensitive.benefits"
                  render={({ field }) => (
                    <CheckboxList
                      legend={t('trainees.sensitive.benefitsLegend')}
                      options={BENEFITS.map((b) => ({ value: b, label: t(`trainees.sensitive.benefits.${b}`) }))}
                      value={field.value}
                      onChange={(next) => field.onChange(next as Benefit[])}
                      error={errors.sensitive?.benefits?.message}
                    />
                  )}
                />
              </div>
              <Field label={t('trainees.sensitive.benefitsOther')} error={errors.sensitive?.benefitsOther}>
                {(p) => <input {...p} type="text" autoComplete="off" {...register('sensitive.benefitsOther')} />}
              </Field>
              <Field label={t('trainees.sensitive.justiceFollowUp')} error={errors.sensitive?.justiceFollowUp}>
                {(p) => (
                  <select {...p} {...register('sensitive.justiceFollowUp')}>
                    <option value="">{t('trainees.sensitive.justice.none')}</option>
                    {JUSTICE_SERVICES.map((j) => <option key={j} value={j}>{t(`trainees.sensitive.justice.${j}`)}</option>)}
                  </select>
                )}
              </Field>
              <Field label={t('trainees.sensitive.justiceNote')} error={errors.sensitive?.justiceNote} className="span-2">
                {(p) => <textarea {...p} rows={2} maxLength={1000} {...register('sensitive.justiceNote')} />}
              </Field>
            </div>
          </fieldset>
        ) : null}
        <div className="form-footer">
          <button type="button" className="btn btn-ghost" onClick={onClose}>{t('common.cancel')}</button>
          {trainee ? <ArchiveButton kind="trainee" id={trainee.id} name={`${trainee.lastName} ${trainee.firstName}`} onArchived={onArchived} /> : null}
          <SubmitButton busy={isSubmitting}>
            {namesakes.length > 0 ? t('trainees.namesake.saveAnyway') : trainee ? t('common.saveChanges') : t('trainees.create')}
          </SubmitButton>
        </div>
      </form>
      {trainee ? <PinSection personKind="trainee" personId={trainee.id} name={`${trainee.lastName} ${trainee.firstName}`} /> : null}
      {trainee ? <RgpdSection traineeId={trainee.id} name={`${trainee.lastName} ${trainee.firstName}`} onErased={onArchived} /> : null}
    </EditorPanel>
  );
}
