import { useRef, useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import type { SessionPage } from '../../../../shared/contract';
import { assignSlotsInput } from '../../../../shared/schemas/training';
import { api } from '../../api';
import { CheckboxList } from '../../components/CheckboxList';
import { CheckField, Field } from '../../components/Field';
import { ErrorBanner, SubmitButton, SuccessBanner } from '../../components/Feedback';
import { formResolver, useSubmitState } from '../../lib/forms';
import { fullName } from '../../lib/format';
import { RollCallLinks } from './AttendancePanels';

const KEEP = 'keep';
const NONE = 'none';

interface AssignForm {
  placeId: string;
  changeTrainers: boolean;
  trainerIds: string[];
  /** Not an input: carries "no slot selected". */
  selection: string;
}

function toInput(slotIds: string[], v: AssignForm) {
  return {
    slotIds,
    ...(v.placeId === KEEP ? {} : { placeId: v.placeId === NONE ? null : v.placeId }),
    ...(v.changeTrainers ? { trainerIds: v.trainerIds } : {}),
  };
}

const fieldOf = (p: string) => (p.startsWith('slotIds') ? 'selection' : p);

/** « Affecter »: gives the selected slots a place and/or replaces their trainers. */
export function AssignPanel({ page, selected, onAssigned }: { page: SessionPage; selected: ReadonlySet<string>; onAssigned: () => Promise<void> }) {
  const { t } = useTranslation();
  const selectedRef = useRef<string[]>([]);
  selectedRef.current = [...selected];
  const [done, setDone] = useState<string | null>(null);
  const form = useForm<AssignForm>({
    defaultValues: { placeId: KEEP, changeTrainers: false, trainerIds: [], selection: '' },
    resolver: formResolver<AssignForm>(assignSlotsInput, (v) => toInput(selectedRef.current, v), {
      fieldOf,
      check: (v) => (v.placeId === KEEP && !v.changeTrainers ? { placeId: t('assign.nothingToChange') } : {}),
    }),
  });
  const submit = useSubmitState(form, fieldOf);
  const { register, control, watch, formState: { errors, isSubmitting } } = form;
  const changeTrainers = watch('changeTrainers');

  const save = form.handleSubmit(
    (v) =>
      submit.run(async () => {
        setDone(null);
        const r = await api['slots.assign'](toInput(selectedRef.current, v));
        form.reset({ placeId: KEEP, changeTrainers: false, trainerIds: [], selection: '' });
        setDone(t('assign.done', { count: r.updated }));
        await onAssigned();
      }),
    (e) => {
      setDone(null);
      submit.invalid(e);
    },
  );

  return (
    <section className="subpanel assign" aria-labelledby="assign-title">
      <div className="assign-head">
        <h3 id="assign-title">{t('assign.title')}</h3>
        <p className="muted" aria-live="polite">
          {selected.size === 0 ? t('assign.noneSelected') : t('assign.selected', { count: selected.size })}
        </p>
      </div>
      <RollCallLinks page={page} selected={selected} />
      <ErrorBanner error={submit.error} />
      <SuccessBanner>{done}</SuccessBanner>
      {errors.selection?.message ? <p className="field-error">{errors.selection.message}</p> : null}
      <form className="form assign-form" onSubmit={(e) => void save(e)} noValidate>
        <Field label={t('assign.place')} error={errors.placeId}>
          {(p) => (
            <select {...p} {...register('placeId')}>
              <option value={KEEP}>{t('assign.keepPlace')}</option>
              <option value={NONE}>{t('assign.noPlace')}</option>
              {page.places.map((pl) => (
                <option key={pl.id} value={pl.id}>{`${pl.name} — ${pl.city}`}</option>
              ))}
            </select>
          )}
        </Field>
        <div className="assign-trainers">
        <CheckField label={t('assign.changeTrainers')} hint={t('assign.changeTrainersHint')}>
          {(p) => <input {...p} type="checkbox" {...register('changeTrainers')} />}
        </CheckField>
        <Controller
          control={control}
          name="trainerIds"
          render={({ field, fieldState }) => (
            <CheckboxList
              legend={t('assign.trainers')}
              options={page.trainers.map((tr) => ({ value: tr.id, label: fullName(tr) }))}
              value={field.value}
              onChange={field.onChange}
              disabled={!changeTrainers}
              error={fieldState.error?.message}
              empty={t('generate.noTrainers')}
            />
          )}
        />
        </div>
        <div className="assign-submit">
          <SubmitButton busy={isSubmitting}>{t('assign.submit')}</SubmitButton>
        </div>
      </form>
    </section>
  );
}
