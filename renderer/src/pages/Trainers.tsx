import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { TRAINER_KINDS, trainerInput, type Trainer } from '../../../shared/schemas/people';
import { api } from '../api';
import { EditorPanel } from '../components/EditorPanel';
import { Field } from '../components/Field';
import { ErrorBanner, SubmitButton } from '../components/Feedback';
import { RecordListPage } from '../components/RecordListPage';
import { PinSection } from '../components/PinSection';
import { ArchiveButton } from '../components/Archive';
import { formResolver, orNull, useSubmitState } from '../lib/forms';
import { fullName, initials } from '../lib/format';

interface TrainerForm {
  lastName: string;
  firstName: string;
  kind: (typeof TRAINER_KINDS)[number];
  email: string;
  phone: string;
  siret: string;
}

const toForm = (tr: Trainer | null): TrainerForm => ({
  lastName: tr?.lastName ?? '',
  firstName: tr?.firstName ?? '',
  kind: tr?.kind ?? 'internal',
  email: tr?.email ?? '',
  phone: tr?.phone ?? '',
  siret: tr?.siret ?? '',
});

const toInput = (v: TrainerForm, id?: string) => ({
  ...(id ? { id } : {}),
  lastName: v.lastName,
  firstName: v.firstName,
  kind: v.kind,
  email: orNull(v.email),
  phone: orNull(v.phone),
  siret: orNull(v.siret),
});

export function TrainersPage() {
  const { t } = useTranslation();
  return (
    <RecordListPage<Trainer>
      ns="trainers"
      load={(search) => api['trainers.list']({ search })}
      titleHeader={t('trainers.columns.name')}
      columns={[
        { header: t('trainers.fields.kind'), value: (tr) => t(`trainerKinds.${tr.kind}`) },
        { header: t('trainers.fields.email'), value: (tr) => tr.email },
        { header: t('trainers.fields.phone'), value: (tr) => tr.phone },
      ]}
      rowName={fullName}
      rowTitle={(tr) => (
        <>
          <span className="initials" aria-hidden="true">{initials(tr)}</span> {fullName(tr)}
        </>
      )}
      savedNotice={(tr) => t('trainers.saved', { name: `${tr.firstName} ${tr.lastName}` })}
      archiveKind="trainer"
      editor={(p) => <TrainerEditor trainer={p.record} onClose={p.onClose} onSaved={p.onSaved} onArchived={p.onArchived} />}
    />
  );
}

function TrainerEditor({ trainer, onClose, onSaved, onArchived }: { trainer: Trainer | null; onClose: () => void; onSaved: (t: Trainer) => Promise<void>; onArchived: () => Promise<void> }) {
  const { t } = useTranslation();
  const form = useForm<TrainerForm>({ defaultValues: toForm(trainer), resolver: formResolver<TrainerForm>(trainerInput, (v) => toInput(v, trainer?.id)) });
  const submit = useSubmitState(form);
  const { register, watch, formState: { errors, isSubmitting } } = form;
  const kind = watch('kind');
  const save = form.handleSubmit((v) => submit.run(async () => onSaved(await api['trainers.save'](toInput(v, trainer?.id)))), submit.invalid);
  return (
    <EditorPanel title={trainer ? t('trainers.editTitle', { name: fullName(trainer) }) : t('trainers.newTitle')} onClose={onClose}>
      <form className="form" onSubmit={(e) => void save(e)} noValidate>
        <p className="form-note">{t('common.requiredNote')}</p>
        <ErrorBanner error={submit.error} />
        <div className="grid grid-3">
          <Field label={t('trainers.fields.lastName')} error={errors.lastName} required>
            {(p) => <input {...p} type="text" {...register('lastName')} />}
          </Field>
          <Field label={t('trainers.fields.firstName')} error={errors.firstName} required>
            {(p) => <input {...p} type="text" {...register('firstName')} />}
          </Field>
          <Field label={t('trainers.fields.kind')} error={errors.kind} required>
            {(p) => (
              <select {...p} {...register('kind')}>
                {TRAINER_KINDS.map((k) => (
                  <option key={k} value={k}>{t(`trainerKinds.${k}`)}</option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('trainers.fields.email')} error={errors.email}>
            {(p) => <input {...p} type="email" {...register('email')} />}
          </Field>
          <Field label={t('trainers.fields.phone')} error={errors.phone}>
            {(p) => <input {...p} type="tel" {...register('phone')} />}
          </Field>
          <Field label={t('trainers.fields.siret')} error={errors.siret} hint={kind === 'external' ? t('trainers.hints.siret') : undefined}>
            {(p) => <input {...p} type="text" inputMode="numeric" {...register('siret')} />}
          </Field>
        </div>
        <div className="form-footer">
          <button type="button" className="btn btn-ghost" onClick={onClose}>{t('common.cancel')}</button>
          {trainer ? <ArchiveButton kind="trainer" id={trainer.id} name={`${trainer.lastName} ${trainer.firstName}`} onArchived={onArchived} /> : null}
          <SubmitButton busy={isSubmitting}>{trainer ? t('common.saveChanges') : t('trainers.create')}</SubmitButton>
        </div>
      </form>
      {trainer ? <PinSection personKind="trainer" personId={trainer.id} name={`${trainer.lastName} ${trainer.firstName}`} /> : null}
    </EditorPanel>
  );
}
