import { useEffect } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { organisationInput, type Organisation } from '../../../shared/schemas/organisation';
import { api } from '../api';
import { Field } from '../components/Field';
import { ErrorBanner, Loading, SubmitButton, SuccessBanner } from '../components/Feedback';
import { PageHeader } from '../components/Layout';
import { formResolver, orNull, useSubmitState } from '../lib/forms';
import { formatDate } from '../lib/format';
import { useQuery } from '../lib/useQuery';
import { forgetTimeZone } from '../lib/timeZone';
import { FunderDocumentsPanel } from './FunderDocuments';
import { SigningCertificatePanel } from './SigningCertificate';
import { DateInput } from '../components/DateInput';

interface OrganisationForm {
  name: string;
  siret: string;
  nda: string;
  qualiopiValidUntil: string;
  legalRepresentative: string;
  address: string;
  postcode: string;
  city: string;
  email: string;
  phone: string;
  timeZone: string;
}

function toForm(o: Organisation | null | undefined): OrganisationForm {
  return {
    name: o?.name ?? '',
    siret: o?.siret ?? '',
    nda: o?.nda ?? '',
    qualiopiValidUntil: o?.qualiopiValidUntil ?? '',
    legalRepresentative: o?.legalRepresentative ?? '',
    address: o?.address ?? '',
    postcode: o?.postcode ?? '',
    city: o?.city ?? '',
    email: o?.email ?? '',
    phone: o?.phone ?? '',
    timeZone: o?.timeZone ?? 'Europe/Paris',
  };
}

function toInput(v: OrganisationForm) {
  return {
    name: v.name,
    siret: v.siret,
    nda: orNull(v.nda),
    qualiopiValidUntil: orNull(v.qualiopiValidUntil),
    legalRepresentative: orNull(v.legalRepresentative),
    address: orNull(v.address),
    postcode: orNull(v.postcode),
    city: orNull(v.city),
    email: orNull(v.email),
    phone: orNull(v.phone),
    timeZone: v.timeZone || 'Europe/Paris',
  };
}

const resolver = formResolver<OrganisationForm>(organisationInput, toInput);

export function OrganisationPage() {
  const { t } = useTranslation();
  const query = useQuery(() => api['organisation.get'](), []);
  const form = useForm<OrganisationForm>({ resolver, defaultValues: toForm(null), mode: 'onSubmit', reValidateMode: 'onBlur' });
  const submit = useSubmitState(form);
  const { register, formState: { errors, isSubmitting } } = form;

  useEffect(() => {
    if (query.data !== undefined) form.reset(toForm(query.data));
  }, [query.data, form]);

  const save = form.handleSubmit(
    (values) =>
      submit.run(async () => {
        const saved = await api['organisation.save'](toInput(values));
        forgetTimeZone();
        form.reset(toForm(saved));
        return t('organisation.saved');
      }),
    submit.invalid,
  );

  const saved = query.data;
  return (
    <div aria-busy={query.loading}>
      <PageHeader title={t('organisation.title')} intro={t('organisation.intro')} />
      <ErrorBanner error={query.error} />
      {query.loading && query.data === undefined ? (
        <Loading />
      ) : (
        <form className="panel form" onSubmit={(e) => void save(e)} noValidate aria-labelledby="org-form-title">
          <h2 id="org-form-title">{t('organisation.formTitle')}</h2>
          <p className="form-note">{t('common.requiredNote')}</p>
          <ErrorBanner error={submit.error} />
          <SuccessBanner>{submit.done}</SuccessBanner>
          <fieldset>
            <legend>{t('organisation.identity')}</legend>
            <div className="grid grid-2">
              <Field label={t('organisation.fields.name')} error={errors.name} required className="span-2">
                {(p) => <input {...p} type="text" autoComplete="organization" {...register('name')} />}
              </Field>
              <Field label={t('organisation.fields.siret')} error={errors.siret} hint={t('organisation.hints.siret')} required>
                {(p) => <input {...p} type="text" inputMode="numeric" {...register('siret')} />}
              </Field>
              <Field label={t('organisation.fields.nda')} error={errors.nda} hint={t('organisation.hints.nda')}>
                {(p) => <input {...p} type="text" inputMode="numeric" {...register('nda')} />}
              </Field>
              <Field label={t('organisation.fields.qualiopiValidUntil')} error={errors.qualiopiValidUntil}>
                {(p) => <Controller control={form.control} name="qualiopiValidUntil" render={({ field }) => <DateInput {...p} {...field} />} />}
              </Field>
              <Field label={t('organisation.fields.legalRepresentative')} error={errors.legalRepresentative}>
                {(p) => <input {...p} type="text" autoComplete="name" {...register('legalRepresentative')} />}
              </Field>
            </div>
          </fieldset>
          <fieldset>
            <legend>{t('organisation.contact')}</legend>
            <div className="grid grid-3">
              <Field label={t('organisation.fields.address')} error={errors.address} className="span-3">
                {(p) => <input {...p} type="text" autoComplete="street-address" {...register('address')} />}
              </Field>
              <Field label={t('organisation.fields.postcode')} error={errors.postcode}>
                {(p) => <input {...p} type="text" inputMode="numeric" autoComplete="postal-code" {...register('postcode')} />}
              </Field>
              <Field label={t('organisation.fields.city')} error={errors.city} className="span-2">
                {(p) => <input {...p} type="text" autoComplete="address-level2" {...register('city')} />}
              </Field>
              <Field label={t('organisation.fields.email')} error={errors.email}>
                {(p) => <input {...p} type="email" autoComplete="email" {...register('email')} />}
              </Field>
              <Field label={t('organisation.fields.phone')} error={errors.phone}>
                {(p) => <input {...p} type="tel" autoComplete="tel" {...register('phone')} />}
              </Field>
            </div>
          </fieldset>
          <div className="form-footer">
            {saved ? <p className="muted">{t('common.lastSaved', { date: formatDate(saved.updatedAt.slice(0, 10)) })}</p> : <span />}
            <SubmitButton busy={isSubmitting}>{t('organisation.save')}</SubmitButton>
          </div>
        </form>
      )}
      {query.data ? <FunderDocumentsPanel /> : null}
      {query.data ? <SigningCertificatePanel /> : null}
    </div>
  );
}
