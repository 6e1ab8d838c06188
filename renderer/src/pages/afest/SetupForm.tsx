import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { Controller, useFieldArray, useForm, useWatch } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { parseHours } from '../../../../shared/domain/funding-lines';
import { afestInput, tutorInput, type AfestPage, type Tutor } from '../../../../shared/schemas/afest';
import { api } from '../../api';
import { DateInput } from '../../components/DateInput';
import { Field } from '../../components/Field';
import { ErrorBanner, Loading, SubmitButton } from '../../components/Feedback';
import { formResolver, orNull, useSubmitState } from '../../lib/forms';
import { useUnsavedGuard } from '../../lib/useUnsavedGuard';
import { useQuery } from '../../lib/useQuery';
import type { SetupDraft } from './AfestPage';
import { hoursText, SETUP_FIELD_IDS, setupFacts, type AfestRule } from './afestView';

interface CompetenceRow {
  /** The saved competence's id ('' for a new one): `id` is react-hook-form's own key. */
  cid: string;
  label: string;
  blockCode: string;
}

interface SetupValues {
  title: string;
  programmeId: string;
  companyId: string;
  tutorId: string;
  tutorDesignatedOn: string;
  tutorAcceptedOn: string;
  facilitatorId: string;
  conventionRef: string;
  analysisDate: string;
  workSituations: string;
  tasks: string;
  criticalPoints: string;
  adaptations: string;
  safetyPoints: string;
  assessmentPlan: string;
  plannedHours: string;
  pathwayHours: string;
  startDate: string;
  endDate: string;
  competences: CompetenceRow[];
}

const toValues = (a: AfestPage['afest']): SetupValues => ({
  title: a.title,
  programmeId: a.programmeId ?? '',
  companyId: a.companyId ?? '',
  tutorId: a.tutorId ?? '',
  tutorDesignatedOn: a.tutorDesignatedOn ?? '',
  tutorAcceptedOn: a.tutorAcceptedOn ?? '',
  facilitatorId: a.facilitatorId ?? '',
  conventionRef: a.conventionRef ?? '',
  analysisDate: a.analysisDate ?? '',
  workSituations: a.workSituations ?? '',
  tasks: a.tasks ?? '',
  criticalPoints: a.criticalPoints ?? '',
  adaptations: a.adaptations ?? '',
  safetyPoints: a.safetyPoints ?? '',
  assessmentPlan: a.assessmentPlan ?? '',
  plannedHours: hoursText(a.plannedMinutes),
  pathwayHours: hoursText(a.pathwayMinutes),
  startDate: a.startDate ?? '',
  endDate: a.endDate ?? '',
  competences: a.competences.map((c) => ({ cid: c.id, label: c.label, blockCode: c.blockCode ?? '' })),
});

const isoOrNull = (v: string) => (/^\d{4}-\d{2}-\d{2}$/.test(v) ? v : null);
const hoursOrNull = (v: string) => {
  const m = parseHours(v);
  return m === null || Number.isNaN(m) ? null : m;
};

function toInput(v: SetupValues, a: AfestPage['afest']) {
  return {
    id: a.id,
    version: a.version,
    enrolmentId: a.enrolmentId,
    title: v.title,
    programmeId: v.programmeId || null,
    companyId: v.companyId || null,
    tutorId: v.tutorId || null,
    tutorDesignatedOn: v.tutorDesignatedOn || null,
    tutorAcceptedOn: v.tutorAcceptedOn || null,
    facilitatorId: v.facilitatorId || null,
    conventionRef: orNull(v.conventionRef),
    analysisDate: v.analysisDate || null,
    workSituations: orNull(v.workSituations),
    tasks: orNull(v.tasks),
    criticalPoints: orNull(v.criticalPoints),
    adaptations: orNull(v.adaptations),
    safetyPoints: orNull(v.safetyPoints),
    assessmentPlan: orNull(v.assessmentPlan),
    // NaN when mistyped: the schema then names the field.
    plannedMinutes: parseHours(v.plannedHours),
    pathwayMinutes: parseHours(v.pathwayHours),
    startDate: v.startDate || null,
    endDate: v.endDate || null,
    competences: v.competences.map((c) => ({ ...(c.cid ? { id: c.cid } : {}), label: c.label, blockCode: orNull(c.blockCode) })),
  };
}

/** The input's minutes are typed as hours on the screen. */
const fieldOf = (p: string) => (p === 'plannedMinutes' ? 'plannedHours' : p === 'pathwayMinutes' ? 'pathwayHours' : p);

/** What the live compliance panel reads of the values being typed (a half-typed date counts as none). */
function draftOf(v: SetupValues): SetupDraft {
  return {
    programmeId: v.programmeId || null,
    facts: setupFacts({
      companyId: v.companyId || null,
      tutorId: v.tutorId || null,
      tutorDesignatedOn: isoOrNull(v.tutorDesignatedOn),
      tutorAcceptedOn: isoOrNull(v.tutorAcceptedOn),
      facilitatorId: v.facilitatorId || null,
      conventionRef: orNull(v.conventionRef),
      analysisDate: isoOrNull(v.analysisDate),
      workSituations: orNull(v.workSituations),
      tasks: orNull(v.tasks),
      plannedMinutes: hoursOrNull(v.plannedHours),
      pathwayMinutes: hoursOrNull(v.pathwayHours),
      competences: v.competences.filter((c) => c.label.trim()),
    }),
  };
}

async function loadChoices() {
  const [programmes, companies, trainers] = await Promise.all([api['programmes.list']({}), api['companies.list']({}), api['trainers.list']({})]);
  return { programmes, companies, trainers };
}
type Choices = Awaited<ReturnType<typeof loadChoices>>;

/**
 * « Mise en place »: the programme, the partner company and its designated tutor (chosen, or created here),
 * the dates of designation and acceptance, the facilitator (the « tiers »), the convention, the analysis of
 * the work activity, the target competences, the assessment plan, the planned hours and the dates. Saved
 * with the version read: a change made meanwhile elsewhere is refused, never overwritten. While typed, the
 * compliance panel above follows (`onDraft`).
 */
export function SetupForm(props: SetupFormProps) {
  const choices = useQuery(loadChoices, []);
  // The selects get their options before the form mounts: a select cannot show a value it has no option for.
  const tutors = useQuery(async () => (props.page.afest.companyId ? api['afest.tutors']({ companyId: props.page.afest.companyId }) : []), [props.page.afest.companyId]);
  if (!choices.data || !tutors.data) {
    return (
      <div aria-busy="true">
        <ErrorBanner error={choices.error ?? tutors.error} />
        <Loading />
      </div>
    );
  }
  return <SetupFormLoaded {...props} choices={choices.data} initialTutors={tutors.data} />;
}

interface SetupFormProps {
  page: AfestPage;
  rules: readonly AfestRule[] | undefined;
  onDraft: (draft: SetupDraft | null) => void;
  onSaved: (message: string) => Promise<void>;
  onReload: () => Promise<void>;
}

function SetupFormLoaded({ page, rules, onDraft, onSaved, onReload, choices, initialTutors }: SetupFormProps & { choices: Choices; initialTutors: Tutor[] }) {
  const { t } = useTranslation();
  const a = page.afest;
  const form = useForm<SetupValues>({
    defaultValues: toValues(a),
    resolver: formResolver<SetupValues>(afestInput, (v) => toInput(v, a), { fieldOf }),
  });
  const submit = useSubmitState(form, fieldOf);
  const { register, control, setValue, formState: { errors, isSubmitting, isDirty } } = form;
  const competences = useFieldArray({ control, name: 'competences' });
  const values = useWatch({ control }) as SetupValues;
  const companyId = values.companyId;
  // The first load is the list fetched before mounting; a change of company or a reload asks again.
  const handedOver = useRef(true);
  const tutors = useQuery(async () => {
    if (handedOver.current) {
      handedOver.current = false;
      return initialTutors;
    }
    return companyId ? api['afest.tutors']({ companyId }) : [];
  }, [companyId]);
  const [creatingTutor, setCreatingTutor] = useState(false);
  // A tutor created here is chosen once the list holds it (a select cannot take a value it has no option for).
  const [newTutorId, setNewTutorId] = useState<string | null>(null);
  useEffect(() => {
    if (!newTutorId || !tutors.data?.some((x) => x.id === newTutorId)) return;
    setValue('tutorId', newTutorId, { shouldDirty: true });
    setNewTutorId(null);
    document.getElementById(SETUP_FIELD_IDS.tutorId!)?.focus();
  }, [newTutorId, tutors.data, setValue]);
  useUnsavedGuard(isDirty && !isSubmitting);

  // The compliance panel follows what is typed; back to the saved verdicts when nothing is changed.
  // Keyed by its text: useWatch may hand a new object for the same values, and the panel must not loop.
  const draftKey = isDirty ? JSON.stringify(draftOf(values)) : '';
  useEffect(() => onDraft(draftKey ? (JSON.parse(draftKey) as SetupDraft) : null), [draftKey, onDraft]);
  useEffect(() => () => onDraft(null), [onDraft]);

  const tutor = (tutors.data ?? []).find((x) => x.id === values.tutorId);
  const rule = rules?.find((r) => r.programmeId === values.programmeId);
  const save = form.handleSubmit(
    (v) => submit.run(async () => {
      await api['afest.save'](toInput(v, a) as never);
      await onSaved(t('afest.setup.saved'));
    }),
    submit.invalid,
  );

  return (
    <form className="form afest-setup" onSubmit={(e) => void save(e)} noValidate aria-busy={isSubmitting || undefined} aria-labelledby="afest-setup-title">
      <h2 id="afest-setup-title" className="visually-hidden">{t('afest.tabs.setup')}</h2>
      <p className="form-note">{t('afest.setup.intro')}</p>
      <ErrorBanner error={submit.error} />
      {submit.error?.code === 'conflict' ? (
        <p><button type="button" className="btn btn-secondary" onClick={() => void onReload()}>{t('afest.setup.reload')}</button></p>
      ) : null}

      <fieldset>
        <legend>{t('afest.setup.general')}</legend>
        <div className="grid grid-3">
          <Field label={t('afest.fields.title')} error={errors.title} required className="span-2">
            {(p) => <input {...p} type="text" {...register('title')} />}
          </Field>
          <Field label={t('afest.fields.programmeId')} error={errors.programmeId} hint={!rule ? t('afest.setup.noRuleHint') : rule.minSharePercent !== null ? t('afest.setup.ruleHint', { min: rule.minSharePercent }) : t('afest.setup.ruleNoMinHint')}>
            {(p) => (
              <select {...p} {...register('programmeId')} value={values.programmeId}>
                <option value="">{t('afest.noProgramme')}</option>
                {choices.programmes.map((pr) => <option key={pr.id} value={pr.id}>{`${pr.name} (${pr.code})`}</option>)}
              </select>
            )}
          </Field>
          <Field id={SETUP_FIELD_IDS.companyId} label={t('afest.fields.companyId')} error={errors.companyId} hint={t('afest.setup.companyHint')}>
            {(p) => (
              <select {...p} {...register('companyId', { onChange: () => { setValue('tutorId', ''); setCreatingTutor(false); } })} value={values.companyId}>
                <option value="">{t('common.choose')}</option>
                {choices.companies.map((c) => <option key={c.id} value={c.id}>{`${c.name} — ${c.siret}`}</option>)}
              </select>
            )}
          </Field>
          <Field id={SETUP_FIELD_IDS.conventionRef} label={t('afest.fields.conventionRef')} error={errors.conventionRef} hint={t('afest.setup.conventionHint')}>
            {(p) => <input {...p} type="text" {...register('conventionRef')} />}
          </Field>
          <div className="afest-dates">
            <Field label={t('afest.fields.startDate')} error={errors.startDate}>
              {(p) => <Controller control={control} name="startDate" render={({ field }) => <DateInput {...p} {...field} />} />}
            </Field>
            <Field label={t('afest.fields.endDate')} error={errors.endDate}>
              {(p) => <Controller control={control} name="endDate" render={({ field }) => <DateInput {...p} {...field} />} />}
            </Field>
          </div>
        </div>
      </fieldset>

      <fieldset>
        <legend>{t('afest.setup.tutorLegend')}</legend>
        <div className="grid grid-3">
          <Field id={SETUP_FIELD_IDS.tutorId} label={t('afest.fields.tutorId')} error={errors.tutorId}
            hint={!companyId ? t('afest.setup.chooseCompanyFirst') : tutor?.tutorTraining ? t('afest.setup.tutorTraining', { training: tutor.tutorTraining }) : t('afest.setup.tutorHint')}>
            {(p) => (
              <select {...p} {...register('tutorId')} value={values.tutorId} disabled={!companyId}>
                <option value="">{t('common.choose')}</option>
                {(tutors.data ?? []).map((x) => <option key={x.id} value={x.id}>{x.jobTitle ? `${x.lastName.toUpperCase()} ${x.firstName} — ${x.jobTitle}` : `${x.lastName.toUpperCase()} ${x.firstName}`}</option>)}
              </select>
            )}
          </Field>
          <Field id={SETUP_FIELD_IDS.tutorDesignatedOn} label={t('afest.fields.tutorDesignatedOn')} error={errors.tutorDesignatedOn}>
            {(p) => <Controller control={control} name="tutorDesignatedOn" render={({ field }) => <DateInput {...p} {...field} />} />}
          </Field>
          <Field id={SETUP_FIELD_IDS.tutorAcceptedOn} label={t('afest.fields.tutorAcceptedOn')} error={errors.tutorAcceptedOn} hint={t('afest.setup.acceptedHint')}>
            {(p) => <Controller control={control} name="tutorAcceptedOn" render={({ field }) => <DateInput {...p} {...field} min={isoOrNull(values.tutorDesignatedOn) ?? undefined} />} />}
          </Field>
        </div>
        {companyId && !creatingTutor ? (
          <button type="button" className="btn btn-small btn-secondary" onClick={() => setCreatingTutor(true)}>
            {t('afest.tutor.new')}
          </button>
        ) : null}
        {companyId && creatingTutor ? (
          <NewTutor
            companyId={companyId}
            companyName={choices.companies.find((c) => c.id === companyId)?.name ?? ''}
            onClose={() => setCreatingTutor(false)}
            onSaved={async (x) => {
              setNewTutorId(x.id);
              setCreatingTutor(false);
              await tutors.reload();
            }}
          />
        ) : null}
      </fieldset>

      <fieldset>
        <legend>{t('afest.setup.facilitatorLegend')}</legend>
        <div className="grid grid-3">
          <Field id={SETUP_FIELD_IDS.facilitatorId} label={t('afest.fields.facilitatorId')} error={errors.facilitatorId} hint={t('afest.setup.facilitatorHint')} className="span-2">
            {(p) => (
              <select {...p} {...register('facilitatorId')} value={values.facilitatorId}>
                <option value="">{t('common.choose')}</option>
                {choices.trainers.map((x) => <option key={x.id} value={x.id}>{`${x.lastName.toUpperCase()} ${x.firstName}`}</option>)}
              </select>
            )}
          </Field>
        </div>
      </fieldset>

      <fieldset>
        <legend>{t('afest.setup.analysisLegend')}</legend>
        <p className="hint">{t('afest.setup.analysisIntro')}</p>
        <div className="grid grid-2">
          <Field id={SETUP_FIELD_IDS.analysisDate} label={t('afest.fields.analysisDate')} error={errors.analysisDate} hint={t('afest.setup.analysisDateHint')}>
            {(p) => <Controller control={control} name="analysisDate" render={({ field }) => <DateInput {...p} {...field} />} />}
          </Field>
          <div />
          <Field id={SETUP_FIELD_IDS.workSituations} label={t('afest.fields.workSituations')} error={errors.workSituations} hint={t('afest.setup.workSituationsHint')}>
            {(p) => <textarea {...p} rows={3} {...register('workSituations')} />}
          </Field>
          <Field id={SETUP_FIELD_IDS.tasks} label={t('afest.fields.tasks')} error={errors.tasks}>
            {(p) => <textarea {...p} rows={3} {...register('tasks')} />}
          </Field>
          <Field label={t('afest.fields.criticalPoints')} error={errors.criticalPoints}>
            {(p) => <textarea {...p} rows={3} {...register('criticalPoints')} />}
          </Field>
          <Field label={t('afest.fields.adaptations')} error={errors.adaptations} hint={t('afest.setup.adaptationsHint')}>
            {(p) => <textarea {...p} rows={3} {...register('adaptations')} />}
          </Field>
          <Field label={t('afest.fields.safetyPoints')} error={errors.safetyPoints}>
            {(p) => <textarea {...p} rows={3} {...register('safetyPoints')} />}
          </Field>
        </div>
      </fieldset>

      <fieldset className="afest-competences">
        <legend>{t('afest.setup.competencesLegend')}</legend>
        <p className="hint">{t('afest.setup.blockHint')}</p>
        {competences.fields.length === 0 ? <p className={errors.competences ? 'field-error' : 'muted'}>{t('afest.setup.noCompetence')}</p> : null}
        <ol className="afest-competence-list">
          {competences.fields.map((c, i) => (
            <li key={c.id} className="afest-competence-row">
              <Field label={t('afest.fields.competenceLabel', { n: i + 1 })} error={errors.competences?.[i]?.label} required>
                {(p) => <input {...p} type="text" {...register(`competences.${i}.label`)} />}
              </Field>
              <Field label={t('afest.fields.blockCode')} error={errors.competences?.[i]?.blockCode}>
                {(p) => <input {...p} type="text" {...register(`competences.${i}.blockCode`)} />}
              </Field>
              <button type="button" className="btn btn-small btn-ghost afest-remove" onClick={() => competences.remove(i)}>
                {t('afest.setup.removeCompetence')}<span className="visually-hidden"> — {values.competences?.[i]?.label || i + 1}</span>
              </button>
            </li>
          ))}
        </ol>
        <button id={SETUP_FIELD_IDS.competences} type="button" className="btn btn-small btn-secondary" onClick={() => competences.append({ cid: '', label: '', blockCode: '' }, { shouldFocus: true })}>
          <span aria-hidden="true">+</span> {t('afest.setup.addCompetence')}
        </button>
      </fieldset>

      <fieldset>
        <legend>{t('afest.setup.planLegend')}</legend>
        <div className="grid grid-3">
          <Field label={t('afest.fields.assessmentPlan')} error={errors.assessmentPlan} hint={t('afest.setup.assessmentHint')} className="span-3">
            {(p) => <textarea {...p} rows={3} {...register('assessmentPlan')} />}
          </Field>
          <Field id={SETUP_FIELD_IDS.plannedMinutes} label={t('afest.fields.plannedHours')} error={errors.plannedHours} hint={t('afest.setup.plannedHint')}>
            {(p) => <input {...p} type="text" inputMode="decimal" {...register('plannedHours')} />}
          </Field>
          <Field id={SETUP_FIELD_IDS.pathwayMinutes} label={t('afest.fields.pathwayHours')} error={errors.pathwayHours} hint={t('afest.setup.pathwayHint')}>
            {(p) => <input {...p} type="text" inputMode="decimal" {...register('pathwayHours')} />}
          </Field>
        </div>
      </fieldset>

      <div className="form-footer">
        <p className="muted">{isDirty ? t('afest.setup.unsaved') : t('afest.setup.upToDate', { version: a.version })}</p>
        <SubmitButton busy={isSubmitting}>{t('afest.setup.save')}</SubmitButton>
      </div>
    </form>
  );
}

interface TutorValues {
  lastName: string;
  firstName: string;
  jobTitle: string;
  tutorTraining: string;
  email: string;
  phone: string;
}

/**
 * A tutor of the partner company created without leaving the set-up. Not a nested <form> (HTML forbids it):
 * a group whose button — or Enter in one of its fields — saves it alone.
 */
function NewTutor({ companyId, companyName, onClose, onSaved }: { companyId: string; companyName: string; onClose: () => void; onSaved: (tutor: Tutor) => Promise<void> }) {
  const { t } = useTranslation();
  const toTutor = (v: TutorValues) => ({
    companyId,
    lastName: v.lastName,
    firstName: v.firstName,
    jobTitle: orNull(v.jobTitle),
    tutorTraining: orNull(v.tutorTraining),
    email: orNull(v.email),
    phone: orNull(v.phone),
  });
  const form = useForm<TutorValues>({
    defaultValues: { lastName: '', firstName: '', jobTitle: '', tutorTraining: '', email: '', phone: '' },
    resolver: formResolver<TutorValues>(tutorInput, toTutor),
  });
  const submit = useSubmitState(form);
  const { register, formState: { errors, isSubmitting } } = form;
  const save = form.handleSubmit((v) => submit.run(async () => onSaved(await api['afest.saveTutor'](toTutor(v)))), submit.invalid);
  useEffect(() => {
    document.querySelector<HTMLInputElement>('#afest-new-tutor input')?.focus();
  }, []);
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Enter' && (e.target as HTMLElement).tagName === 'INPUT') {
      e.preventDefault();
      void save();
    }
    if (e.key === 'Escape') {
      e.preventDefault();
      onClose();
    }
  };
  return (
    <div id="afest-new-tutor" className="subpanel afest-new-tutor" role="group" aria-labelledby="afest-new-tutor-title" onKeyDown={onKeyDown}>
      <h3 id="afest-new-tutor-title">{t('afest.tutor.newTitle', { company: companyName })}</h3>
      <ErrorBanner error={submit.error} />
      <div className="grid grid-3">
        <Field label={t('afest.tutor.lastName')} error={errors.lastName} required>
          {(p) => <input {...p} type="text" autoComplete="off" {...register('lastName')} />}
        </Field>
        <Field label={t('afest.tutor.firstName')} error={errors.firstName} required>
          {(p) => <input {...p} type="text" autoComplete="off" {...register('firstName')} />}
        </Field>
        <Field label={t('afest.tutor.jobTitle')} error={errors.jobTitle}>
          {(p) => <input {...p} type="text" {...register('jobTitle')} />}
        </Field>
        <Field label={t('afest.tutor.tutorTraining')} error={errors.tutorTraining} hint={t('afest.tutor.trainingHint')} className="span-3">
          {(p) => <textarea {...p} rows={2} {...register('tutorTraining')} />}
        </Field>
        <Field label={t('afest.tutor.email')} error={errors.email}>
          {(p) => <input {...p} type="email" {...register('email')} />}
        </Field>
        <Field label={t('afest.tutor.phone')} error={errors.phone}>
          {(p) => <input {...p} type="tel" {...register('phone')} />}
        </Field>
      </div>
      <div className="button-row afest-new-tutor-actions">
        <button type="button" className="btn btn-ghost" onClick={onClose}>{t('common.cancel')}</button>
        <button type="button" className="btn btn-primary" onClick={() => void save()} disabled={isSubmitting} aria-busy={isSubmitting || undefined}>
          {isSubmitting ? t('common.saving') : t('afest.tutor.save')}
        </button>
      </div>
    </div>
  );
}
