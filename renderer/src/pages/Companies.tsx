import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { companyInput, type Company } from '../../../shared/schemas/people';
import { api } from '../api';
import { EditorPanel } from '../components/EditorPanel';
import { Field } from '../components/Field';
import { ErrorBanner, SubmitButton } from '../components/Feedback';
import { RecordListPage } from '../components/RecordListPage';
import { ArchiveButton } from '../components/Archive';
import { formResolver, numberOrNull, orNull, useSubmitState } from '../lib/forms';
import { formatNumber } from '../lib/format';

interface CompanyForm {
  name: string;
  siret: string;
  address: string;
  postcode: string;
  city: string;
  headcount: string;
}

const toForm = (c: Company | null): CompanyForm => ({
  name: c?.name ?? '',
  siret: c?.siret ?? '',
  address: c?.address ?? '',
  postcode: c?.postcode ?? '',
  city: c?.city ?? '',
  headcount: c?.headcount === null || c?.headcount === undefined ? '' : String(c.headcount),
});

const toInput = (v: CompanyForm, id?: string) => ({
  ...(id ? { id } : {}),
  name: v.name,
  siret: v.siret,
  address: orNull(v.address),
  postcode: orNull(v.postcode),
  city: orNull(v.city),
  headcount: numberOrNull(v.headcount),
});

export function CompaniesPage() {
  const { t } = useTranslation();
  return (
    <RecordListPage<Company>
      ns="companies"
      load={(search) => api['companies.list']({ search })}
      titleHeader={t('companies.fields.name')}
      columns={[
        { header: t('companies.fields.siret'), className: 'mono', value: (c) => c.siret },
        { header: t('companies.columns.location'), value: (c) => [c.postcode, c.city].filter(Boolean).join(' ') || null },
        { header: t('companies.fields.headcount'), num: true, value: (c) => c.headcount, cell: (c) => (c.headcount === null ? '—' : formatNumber(c.headcount)) },
      ]}
      rowName={(c) => c.name}
      savedNotice={(c) => t('companies.saved', { name: c.name })}
      archiveKind="company"
      editor={(p) => <CompanyEditor company={p.record} onClose={p.onClose} onSaved={p.onSaved} onArchived={p.onArchived} />}
    />
  );
}

function CompanyEditor({ company, onClose, onSaved, onArchived }: { company: Company | null; onClose: () => void; onSaved: (c: Company) => Promise<void>; onArchived: () => Promise<void> }) {
  const { t } = useTranslation();
  const form = useForm<CompanyForm>({ defaultValues: toForm(company), resolver: formResolver<CompanyForm>(companyInput, (v) => toInput(v, company?.id)) });
  const submit = useSubmitState(form);
  const { register, formState: { errors, isSubmitting } } = form;
  const save = form.handleSubmit((v) => submit.run(async () => onSaved(await api['companies.save'](toInput(v, company?.id)))), submit.invalid);
  return (
    <EditorPanel title={company ? t('companies.editTitle', { name: company.name }) : t('companies.newTitle')} onClose={onClose}>
      <form className="form" onSubmit={(e) => void save(e)} noValidate>
        <p className="form-note">{t('common.requiredNote')}</p>
        <ErrorBanner error={submit.error} />
        <div className="grid grid-3">
          <Field label={t('companies.fields.name')} error={errors.name} required className="span-2">
            {(p) => <input {...p} type="text" {...register('name')} />}
          </Field>
          <Field label={t('companies.fields.siret')} error={errors.siret} required hint={t('organisation.hints.siret')}>
            {(p) => <input {...p} type="text" inputMode="numeric" {...register('siret')} />}
          </Field>
          <Field label={t('companies.fields.address')} error={errors.address} className="span-3">
            {(p) => <input {...p} type="text" {...register('address')} />}
          </Field>
          <Field label={t('companies.fields.postcode')} error={errors.postcode}>
            {(p) => <input {...p} type="text" inputMode="numeric" {...register('postcode')} />}
          </Field>
          <Field label={t('companies.fields.city')} error={errors.city}>
            {(p) => <input {...p} type="text" {...register('city')} />}
          </Field>
          <Field label={t('companies.fields.headcount')} error={errors.headcount}>
            {(p) => <input {...p} type="number" min={0} step={1} inputMode="numeric" {...register('headcount')} />}
          </Field>
        </div>
        <div className="form-footer">
          <button type="button" className="btn btn-ghost" onClick={onClose}>{t('common.cancel')}</button>
          {company ? <ArchiveButton kind="company" id={company.id} name={company.name} onArchived={onArchived} /> : null}
          <SubmitButton busy={isSubmitting}>{company ? t('common.saveChanges') : t('companies.create')}</SubmitButton>
        </div>
      </form>
    </EditorPanel>
  );
}
