import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { actionInput, MODALITIES, NATURES, type Action, type Modality } from '../../../shared/schemas/training';
import { api } from '../api';
import { EditorPanel } from '../components/EditorPanel';
import { Field } from '../components/Field';
import { ErrorBanner, SubmitButton, SuccessBanner } from '../components/Feedback';
import { RecordListPage } from '../components/RecordListPage';
import { ArchiveButton } from '../components/Archive';
import { formResolver, numberOrNull, orNull, useSubmitState } from '../lib/forms';
import { formatMinutes } from '../lib/format';

interface ActionForm {
  title: string;
  code: string;
  certificationCode: string;
  level: string;
  nsfCode: string;
  plannedHours: string;
  modality: Modality;
  nature: Action['nature'];
}

function toForm(a: Action | null): ActionForm {
  return {
    title: a?.title ?? '',
    code: a?.code ?? '',
    certificationCode: a?.certificationCode ?? '',
    level: a?.level ? String(a.level) : '',
    nsfCode: a?.nsfCode ?? '',
    plannedHours: a ? String(a.plannedMinutes / 60).replace('.', ',') : '',
    modality: a?.modality ?? 'presentiel',
    nature: a?.nature ?? 'action-de-formation',
  };
}

/** The screen takes hours (« 35 », « 7,5 »); the API stores integer minutes. */
export function hoursToMinutes(hours: string): number | undefined {
  const n = numberOrNull(hours);
  return n === null || Number.isNaN(n) ? undefined : Math.round(n * 60);
}

function toInput(v: ActionForm, id?: string) {
  return {
    ...(id ? { id } : {}),
    title: v.title,
    code: orNull(v.code),
    certificationCode: orNull(v.certificationCode?.toUpperCase()),
    level: v.level ? Number(v.level) : null,
    nsfCode: orNull(v.nsfCode),
    // NaN when empty: the schema then refuses it, as it would any other non-number.
    plannedMinutes: hoursToMinutes(v.plannedHours) ?? Number.NaN,
    modality: v.modality,
    nature: v.nature,
  };
}

const fieldOf = (p: string) => (p === 'plannedMinutes' ? 'plannedHours' : p);

export function ActionsPage() {
  const { t } = useTranslation();
  return (
    <RecordListPage<Action>
      ns="actions"
      load={(search) => api['actions.list']({ search })}
      titleHeader={t('actions.fields.title')}
      columns={[
        { header: t('actions.fields.code'), value: (a) => a.code },
        { header: t('actions.fields.certificationCode'), value: (a) => a.certificationCode },
        { header: t('actions.fields.level'), value: (a) => a.level },
        { header: t('actions.fields.nsfCode'), value: (a) => a.nsfCode },
        { header: t('actions.columns.hours'), num: true, value: (a) => a.plannedMinutes, cell: (a) => formatMinutes(a.plannedMinutes), exportValue: (a) => a.plannedMinutes / 60 },
        { header: t('actions.fields.modality'), value: (a) => t(`modalities.${a.modality}`), cell: (a) => <span className={`badge badge-${a.modality}`}>{t(`modalities.${a.modality}`)}</span> },
      ]}
      rowName={(a) => a.title}
      rowTitle={(a) => (
        <>
          {a.title}
          <span className="cell-sub">{t(`natures.${a.nature}`)}</span>
        </>
      )}
      savedNotice={(saved) => t('actions.saved', { title: saved.title })}
      archiveKind="action"
      editor={(p) => <ActionEditor action={p.record} onClose={p.onClose} onSaved={p.onSaved} onArchived={p.onArchived} />}
    />
  );
}

function ActionEditor({ action, onClose, onSaved, onArchived }: { action: Action | null; onClose: () => void; onSaved: (saved: Action) => Promise<void>; onArchived: () => Promise<void> }) {
  const { t } = useTranslation();
  const form = useForm<ActionForm>({
    defaultValues: toForm(action),
    resolver: formResolver<ActionForm>(actionInput, (v) => toInput(v, action?.id), {
      fieldOf,
      check: (v) => {
        const m = hoursToMinutes(v.plannedHours);
        return m === undefined || m <= 0 ? { plannedHours: t('actions.hoursInvalid') } : {};
      },
    }),
  });
  const submit = useSubmitState(form, fieldOf);
  const { register, formState: { errors, isSubmitting } } = form;
  const save = form.handleSubmit(
    (v) =>
      submit.run(async () => {
        await onSaved(await api['actions.save'](toInput(v, action?.id)));
      }),
    submit.invalid,
  );
  return (
    <EditorPanel title={action ? t('actions.editTitle', { title: action.title }) : t('actions.newTitle')} onClose={onClose}>
      <form className="form" onSubmit={(e) => void save(e)} noValidate>
        <p className="form-note">{t('common.requiredNote')}</p>
        <ErrorBanner error={submit.error} />
        <SuccessBanner>{submit.done}</SuccessBanner>
        <div className="grid grid-3">
          <Field label={t('actions.fields.title')} error={errors.title} required className="span-3">
            {(p) => <input {...p} type="text" {...register('title')} />}
          </Field>
          <Field label={t('actions.fields.code')} error={errors.code} hint={t('actions.hints.code')}>
            {(p) => <input {...p} type="text" {...register('code')} />}
          </Field>
          <Field label={t('actions.fields.certificationCode')} error={errors.certificationCode} hint={t('actions.hints.certificationCode')}>
            {(p) => <input {...p} type="text" {...register('certificationCode')} />}
          </Field>
          <Field label={t('actions.fields.level')} error={errors.level}>
            {(p) => (
              <select {...p} {...register('level')}>
                <option value="">{t('actions.noLevel')}</option>
                {[1, 2, 3, 4, 5, 6, 7, 8].map((n) => (
                  <option key={n} value={n}>{t('actions.levelN', { n })}</option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('actions.fields.nsfCode')} error={errors.nsfCode} hint={t('actions.hints.nsfCode')}>
            {(p) => <input {...p} type="text" {...register('nsfCode')} />}
          </Field>
          <Field label={t('actions.fields.plannedHours')} error={errors.plannedHours} hint={t('actions.hints.plannedHours')} required>
            {(p) => <input {...p} type="text" inputMode="decimal" {...register('plannedHours')} />}
          </Field>
          <Field label={t('actions.fields.modality')} error={errors.modality} required>
            {(p) => (
              <select {...p} {...register('modality')}>
                {MODALITIES.map((m) => (
                  <option key={m} value={m}>{t(`modalities.${m}`)}</option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('actions.fields.nature')} error={errors.nature} required className="span-2">
            {(p) => (
              <select {...p} {...register('nature')}>
                {NATURES.map((n) => (
                  <option key={n} value={n}>{t(`natures.${n}`)}</option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <div className="form-footer">
          <button type="button" className="btn btn-ghost" onClick={onClose}>{t('common.cancel')}</button>
          {action ? <ArchiveButton kind="action" id={action.id} name={action.title} onArchived={onArchived} /> : null}
          <SubmitButton busy={isSubmitting}>{action ? t('common.saveChanges') : t('actions.create')}</SubmitButton>
        </div>
      </form>
    </EditorPanel>
  );
}
