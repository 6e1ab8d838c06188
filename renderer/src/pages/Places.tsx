import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { HOLIDAY_ZONES, type HolidayZone } from '../../../shared/domain/holiday-zones';
import { placeInput, type Place } from '../../../shared/schemas/organisation';
import { api } from '../api';
import { EditorPanel } from '../components/EditorPanel';
import { CheckField, Field } from '../components/Field';
import { ErrorBanner, SubmitButton } from '../components/Feedback';
import { RecordListPage } from '../components/RecordListPage';
import { ArchiveButton } from '../components/Archive';
import { formResolver, orNull, useSubmitState } from '../lib/forms';

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
  return (
    <RecordListPage<Place>
      ns="places"
      load={(search) => api['places.list']({ search })}
      titleHeader={t('places.fields.name')}
      columns={[
        { header: t('places.columns.location'), value: (p) => `${p.postcode} ${p.city}` },
        { header: t('places.fields.holidayZone'), value: (p) => t(`zones.${p.holidayZone}`) },
        {
          header: t('places.columns.flags'),
          className: 'flags',
          value: (p) => [p.qpv ? 'QPV' : '', p.zrr ? 'ZRR' : ''].filter(Boolean).join(' ') || null,
          cell: (p) => (
            <>
              {p.qpv ? <span className="badge badge-qpv">QPV</span> : null}
              {p.zrr ? <span className="badge badge-zrr">ZRR</span> : null}
              {!p.qpv && !p.zrr ? '—' : null}
            </>
          ),
        },
      ]}
      rowName={(p) => p.name}
      rowTitle={(p) => (
        <>
          {p.name}
          {p.address ? <span className="cell-sub">{p.address}</span> : null}
        </>
      )}
      savedNotice={(p) => t('places.saved', { name: p.name })}
      archiveKind="place"
      editor={(p) => <PlaceEditor place={p.record} onClose={p.onClose} onSaved={p.onSaved} onArchived={p.onArchived} />}
    />
  );
}

function PlaceEditor({ place, onClose, onSaved, onArchived }: { place: Place | null; onClose: () => void; onSaved: (p: Place) => Promise<void>; onArchived: () => Promise<void> }) {
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
          {place ? <ArchiveButton kind="place" id={place.id} name={place.name} onArchived={onArchived} /> : null}
          <SubmitButton busy={isSubmitting}>{place ? t('common.saveChanges') : t('places.create')}</SubmitButton>
        </div>
      </form>
    </EditorPanel>
  );
}
