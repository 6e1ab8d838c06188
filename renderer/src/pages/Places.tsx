import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { HOLIDAY_ZONES, type HolidayZone } from '../../../shared/domain/holiday-zones';
import { placeInput, type Place } from '../../../shared/schemas/organisation';
import { api } from '../api';
import { EditorPanel, useEditor } from '../components/EditorPanel';
import { CheckField, Field } from '../components/Field';
import { EmptyState, ErrorBanner, Loading, SubmitButton, SuccessBanner } from '../components/Feedback';
import { PageHeader } from '../components/Layout';
import { formResolver, orNull, useSubmitState } from '../lib/forms';
import { useQuery } from '../lib/useQuery';

interface PlaceForm {
  name: string;
  address: string;
  postcode: string;
  city: string;
  qpv: boolean;
  zrr: boolean;
  holidayZone: HolidayZone | '';
}

const toForm = (p: Place | null): PlaceForm => ({
  name: p?.name ?? '',
  address: p?.address ?? '',
  postcode: p?.postcode ?? '',
  city: p?.city ?? '',
  qpv: p?.qpv ?? false,
  zrr: p?.zrr ?? false,
  holidayZone: p?.holidayZone ?? '',
});

const toInput = (v: PlaceForm, id?: string) => ({
  ...(id ? { id } : {}),
  name: v.name,
  address: orNull(v.address),
  postcode: v.postcode.trim(),
  city: v.city,
  qpv: v.qpv,
  zrr: v.zrr,
  holidayZone: v.holidayZone || undefined,
});

export function PlacesPage() {
  const { t } = useTranslation();
  const query = useQuery(() => api['places.list'](), []);
  const editor = useEditor<Place>();
  const [notice, setNotice] = useState<string | null>(null);
  const rows = query.data ?? [];
  return (
    <div aria-busy={query.loading}>
      <PageHeader title={t('places.title')} intro={t('places.intro')}>
        <button type="button" className="btn btn-primary" onClick={() => { setNotice(null); editor.openNew(); }}>{t('places.new')}</button>
      </PageHeader>
      <ErrorBanner error={query.error} />
      {editor.open ? (
        <PlaceEditor
          key={editor.record?.id ?? 'new'}
          place={editor.record}
          onClose={editor.close}
          onSaved={async (p) => {
            editor.close();
            setNotice(t('places.saved', { name: p.name }));
            await query.reload();
          }}
        />
      ) : null}
      <SuccessBanner>{notice}</SuccessBanner>
      <section className="panel" aria-labelledby="places-list-title">
        <h2 id="places-list-title">{t('places.listTitle', { count: rows.length })}</h2>
        {query.loading && !query.data ? <Loading /> : null}
        {query.data && rows.length === 0 ? <EmptyState>{t('places.empty')}</EmptyState> : null}
        {rows.length > 0 ? (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('places.fields.name')}</th>
                  <th scope="col">{t('places.columns.location')}</th>
                  <th scope="col">{t('places.fields.holidayZone')}</th>
                  <th scope="col">{t('places.columns.flags')}</th>
                  <th scope="col"><span className="visually-hidden">{t('common.actions')}</span></th>
                </tr>
              </thead>
              <tbody>
                {rows.map((p) => (
                  <tr key={p.id}>
                    <th scope="row" className="cell-title">
                      {p.name}
                      {p.address ? <span className="cell-sub">{p.address}</span> : null}
                    </th>
                    <td>{`${p.postcode} ${p.city}`}</td>
                    <td>{t(`zones.${p.holidayZone}`)}</td>
                    <td className="flags">
                      {p.qpv ? <span className="badge badge-qpv">QPV</span> : null}
                      {p.zrr ? <span className="badge badge-zrr">ZRR</span> : null}
                      {!p.qpv && !p.zrr ? '—' : null}
                    </td>
                    <td className="cell-actions">
                      <button type="button" className="btn btn-small btn-secondary" onClick={() => { setNotice(null); editor.openEdit(p); }}>
                        {t('common.edit')}<span className="visually-hidden"> {p.name}</span>
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

function PlaceEditor({ place, onClose, onSaved }: { place: Place | null; onClose: () => void; onSaved: (p: Place) => Promise<void> }) {
  const { t } = useTranslation();
  const form = useForm<PlaceForm>({ defaultValues: toForm(place), resolver: formResolver<PlaceForm>(placeInput, (v) => toInput(v, place?.id)) });
  const submit = useSubmitState(form);
  const { register, formState: { errors, isSubmitting } } = form;
  const save = form.handleSubmit((v) => submit.run(async () => onSaved(await api['places.save'](toInput(v, place?.id)))), submit.invalid);
  return (
    <EditorPanel title={place ? t('places.editTitle', { name: place.name }) : t('places.newTitle')} onClose={onClose}>
      <form className="form" onSubmit={(e) => void save(e)} noValidate>
        <p className="form-note">{t('common.requiredNote')}</p>
        <ErrorBanner error={submit.error} />
        <div className="grid grid-3">
          <Field label={t('places.fields.name')} error={errors.name} required className="span-3">
            {(p) => <input {...p} type="text" {...register('name')} />}
          </Field>
          <Field label={t('places.fields.address')} error={errors.address} className="span-3">
            {(p) => <input {...p} type="text" {...register('address')} />}
          </Field>
          <Field label={t('places.fields.postcode')} error={errors.postcode} required>
            {(p) => <input {...p} type="text" inputMode="numeric" {...register('postcode')} />}
          </Field>
          <Field label={t('places.fields.city')} error={errors.city} required>
            {(p) => <input {...p} type="text" {...register('city')} />}
          </Field>
          <Field label={t('places.fields.holidayZone')} error={errors.holidayZone} hint={t('places.hints.holidayZone')}>
            {(p) => (
              <select {...p} {...register('holidayZone')}>
                <option value="">{t('places.zoneAuto')}</option>
                {HOLIDAY_ZONES.map((z) => (
                  <option key={z} value={z}>{t(`zones.${z}`)}</option>
                ))}
              </select>
            )}
          </Field>
          <CheckField label={t('places.fields.qpv')} hint={t('places.hints.qpv')}>
            {(p) => <input {...p} type="checkbox" {...register('qpv')} />}
          </CheckField>
          <CheckField label={t('places.fields.zrr')} hint={t('places.hints.zrr')}>
            {(p) => <input {...p} type="checkbox" {...register('zrr')} />}
          </CheckField>
        </div>
        <div className="form-footer">
          <button type="button" className="btn btn-ghost" onClick={onClose}>{t('common.cancel')}</button>
          <SubmitButton busy={isSubmitting}>{place ? t('common.saveChanges') : t('places.create')}</SubmitButton>
        </div>
      </form>
    </EditorPanel>
  );
}
