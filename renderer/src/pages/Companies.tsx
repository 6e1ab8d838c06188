import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { companyInput, type Company } from '../../../shared/schemas/people';
import { api } from '../api';
import { EditorPanel, useEditor } from '../components/EditorPanel';
import { Field } from '../components/Field';
import { EmptyState, ErrorBanner, Loading, SubmitButton, SuccessBanner } from '../components/Feedback';
import { PageHeader } from '../components/Layout';
import { formResolver, numberOrNull, orNull, useSubmitState } from '../lib/forms';
import { formatNumber } from '../lib/format';
import { useQuery } from '../lib/useQuery';

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
  const query = useQuery(() => api['companies.list'](), []);
  const editor = useEditor<Company>();
  const [notice, setNotice] = useState<string | null>(null);
  const rows = query.data ?? [];
  return (
    <div aria-busy={query.loading}>
      <PageHeader title={t('companies.title')} intro={t('companies.intro')}>
        <button type="button" className="btn btn-primary" onClick={() => { setNotice(null); editor.openNew(); }}>{t('companies.new')}</button>
      </PageHeader>
      <ErrorBanner error={query.error} />
      {editor.open ? (
        <CompanyEditor
          key={editor.record?.id ?? 'new'}
          company={editor.record}
          onClose={editor.close}
          onSaved={async (c) => {
            editor.close();
            setNotice(t('companies.saved', { name: c.name }));
            await query.reload();
          }}
        />
      ) : null}
      <SuccessBanner>{notice}</SuccessBanner>
      <section className="panel" aria-labelledby="companies-list-title">
        <h2 id="companies-list-title">{t('companies.listTitle', { count: rows.length })}</h2>
        {query.loading && !query.data ? <Loading /> : null}
        {query.data && rows.length === 0 ? <EmptyState>{t('companies.empty')}</EmptyState> : null}
        {rows.length > 0 ? (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('companies.fields.name')}</th>
                  <th scope="col">{t('companies.fields.siret')}</th>
                  <th scope="col">{t('companies.columns.location')}</th>
                  <th scope="col" className="num">{t('companies.fields.headcount')}</th>
                  <th scope="col"><span className="visually-hidden">{t('common.actions')}</span></th>
                </tr>
              </thead>
              <tbody>
                {rows.map((c) => (
                  <tr key={c.id}>
                    <th scope="row" className="cell-title">{c.name}</th>
                    <td className="mono">{c.siret}</td>
                    <td>{[c.postcode, c.city].filter(Boolean).join(' ') || '—'}</td>
                    <td className="num">{c.headcount === null ? '—' : formatNumber(c.headcount)}</td>
                    <td className="cell-actions">
                      <button type="button" className="btn btn-small btn-secondary" onClick={() => { setNotice(null); editor.openEdit(c); }}>
                        {t('common.edit')}<span className="visually-hidden"> {c.name}</span>
                      </button>
                    </td>
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

function CompanyEditor({ company, onClose, onSaved }: { company: Company | null; onClose: () => void; onSaved: (c: Company) => Promise<void> }) {
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
          <SubmitButton busy={isSubmitting}>{company ? t('common.saveChanges') : t('companies.create')}</SubmitButton>
        </div>
      </form>
    </EditorPanel>
  );
}
