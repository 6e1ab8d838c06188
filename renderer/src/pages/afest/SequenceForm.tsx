import { useMemo, useRef, useState } from 'react';
import { Controller, useForm, useWatch, type FieldError } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import type { Leader, SequenceKind } from '../../../../shared/domain/afest';
import { correctSequenceInput, sequenceInput, type AfestPage, type Sequence, type SequenceInput } from '../../../../shared/schemas/afest';
import { api } from '../../api';
import { CheckboxList } from '../../components/CheckboxList';
import { DateInput } from '../../components/DateInput';
import { EditorPanel } from '../../components/EditorPanel';
import { CheckField, Field } from '../../components/Field';
import { ErrorBanner, SubmitButton } from '../../components/Feedback';
import { SegmentedControl } from '../../components/SegmentedControl';
import { SignatureField, type SignatureValue } from '../../components/SignaturePad';
import { TimeInput } from '../../components/TimeInput';
import { formResolver, orNull, useSubmitState } from '../../lib/forms';
import { formatDate } from '../../lib/format';
import { useTimeZone } from '../../lib/timeZone';
import { todayIn } from '../../../../shared/domain/dates';
import { candidateProblems, inForce, problemsByField, setupFacts } from './afestView';

interface SequenceValues {
  kind: SequenceKind;
  date: string;
  start: string;
  end: string;
  ledBy: Leader;
  workstation: string;
  tasks: string;
  intendedLearning: string;
  observations: string;
  outOfProduction: boolean;
  reviewedIds: string[];
  competenceIds: string[];
  gapExpected: string;
  gapDone: string;
  gapAcquired: string;
  verbalised: string;
  nextSteps: string;
  reason: string;
}

const blank = (kind: SequenceKind, date: string): SequenceValues => ({
  kind,
  date,
  start: '',
  end: '',
  ledBy: kind === 'work-situation' ? 'tutor' : 'facilitator',
  workstation: '',
  tasks: '',
  intendedLearning: '',
  observations: '',
  outOfProduction: false,
  reviewedIds: [],
  competenceIds: [],
  gapExpected: '',
  gapDone: '',
  gapAcquired: '',
  verbalised: '',
  nextSteps: '',
  reason: '',
});

const fromSequence = (s: Sequence): SequenceValues => ({
  kind: s.kind,
  date: s.date,
  start: s.start,
  end: s.end,
  ledBy: s.ledBy,
  workstation: s.workstation ?? '',
  tasks: s.tasks ?? '',
  intendedLearning: s.intendedLearning ?? '',
  observations: s.observations ?? '',
  outOfProduction: s.outOfProduction,
  reviewedIds: [...s.reviewedIds],
  competenceIds: [...s.competenceIds],
  gapExpected: s.gapExpected ?? '',
  gapDone: s.gapDone ?? '',
  gapAcquired: s.gapAcquired ?? '',
  verbalised: s.verbalised ?? '',
  nextSteps: s.nextSteps ?? '',
  reason: '',
});

/** The content both a new sequence and a correction send; what does not belong to the kind is sent empty. */
function contentOf(v: SequenceValues) {
  const mst = v.kind === 'work-situation';
  return {
    date: v.date,
    start: v.start,
    end: v.end,
    ledBy: mst ? ('tutor' as const) : v.ledBy,
    workstation: orNull(v.workstation),
    tasks: mst ? orNull(v.tasks) : null,
    intendedLearning: mst ? orNull(v.intendedLearning) : null,
    observations: mst ? orNull(v.observations) : null,
    outOfProduction: mst ? false : v.outOfProduction,
    reviewedIds: mst ? [] : v.reviewedIds,
    competenceIds: v.competenceIds,
    gapExpected: mst ? null : orNull(v.gapExpected),
    gapDone: mst ? null : orNull(v.gapDone),
    gapAcquired: mst ? null : orNull(v.gapAcquired),
    verbalised: mst ? null : orNull(v.verbalised),
    nextSteps: mst ? null : orNull(v.nextSteps),
  };
}

/** The fields `sequenceProblems` may name: their rule's refusal goes as soon as the rule is met. */
const PROBLEM_PATHS = new Set(['date', 'start', 'end', 'ledBy', 'outOfProduction', 'reviewedIds']);

/** `learnerSignature.strokes` → `learnerSignature`: a signature is one field on the screen. */
const fieldOf = (p: string) => p.replace(/^(learnerSignature|leaderSignature)\..*$/, '$1').replace(/^(reviewedIds|competenceIds)\..*$/, '$1');

/**
 * « Nouvelle séquence » or « Corriger »: a work situation (MST: date, times, workstation, tasks, intended
 * learning, observations, competences worked) or a reflective sequence (SR: out of production, led by the
 * facilitator or the tutor, the MSTs it looks back on, the gaps expected / done / acquired, what was put into
 * words, next steps). What the rules refuse (shared/domain/afest.ts `sequenceProblems`: before the analysis,
 * overlapping, in production…) shows next to its field while typing, and blocks the save; the backend checks
 * it again. A new sequence is signed by the learner, then by who ran it; a correction keeps its signatures
 * and says why.
 */
export function SequenceForm({ page, correcting, onClose, onSaved }: {
  page: AfestPage;
  /** The version in force being corrected; a new sequence otherwise. */
  correcting: Sequence | null;
  onClose: () => void;
  onSaved: (message: string) => Promise<void>;
}) {
  const { t } = useTranslation();
  const a = page.afest;
  const timeZone = useTimeZone();
  const setup = useMemo(() => setupFacts(a), [a]);
  const existing = useMemo(() => inForce(page.sequences), [page.sequences]);
  const leaderIdOf = (ledBy: Leader) => (ledBy === 'tutor' ? a.tutorId : a.facilitatorId);
  const leaderName = (ledBy: Leader) => (ledBy === 'tutor' ? page.tutor?.name : page.facilitator?.name) ?? t('afest.sequence.nobody');
  const problemsOf = (v: SequenceValues) =>
    candidateProblems(setup, page.rules, existing, {
      kind: v.kind,
      date: v.date,
      start: v.start,
      end: v.end,
      ledBy: v.kind === 'work-situation' ? 'tutor' : v.ledBy,
      leaderId: leaderIdOf(v.kind === 'work-situation' ? 'tutor' : v.ledBy),
      outOfProduction: v.kind === 'work-situation' ? false : v.outOfProduction,
      reviewedIds: v.kind === 'work-situation' ? [] : v.reviewedIds,
      recordId: correcting?.recordId ?? null,
    });

  const [learnerSig, setLearnerSig] = useState<SignatureValue | null>(null);
  const [leaderSig, setLeaderSig] = useState<SignatureValue | null>(null);
  const sigs = useRef<{ learner: SignatureValue | null; leader: SignatureValue | null }>({ learner: null, leader: null });
  sigs.current = { learner: learnerSig, leader: leaderSig };

  const toNew = (v: SequenceValues) => ({
    afestId: a.id,
    kind: v.kind,
    ...contentOf(v),
    ...(sigs.current.learner ? { learnerSignature: { strokes: sigs.current.learner.strokes, pngBase64: sigs.current.learner.pngBase64 } } : {}),
    ...(sigs.current.leader ? { leaderSignature: { strokes: sigs.current.leader.strokes, pngBase64: sigs.current.leader.pngBase64 } } : {}),
    signedAt: new Date().toISOString(),
  });
  const toCorrection = (v: SequenceValues) => ({ sequenceId: correcting!.id, reason: v.reason, ...contentOf(v) });

  const form = useForm<SequenceValues>({
    defaultValues: correcting ? fromSequence(correcting) : blank('work-situation', todayIn(new Date(), timeZone)),
    resolver: formResolver<SequenceValues>(correcting ? correctSequenceInput : sequenceInput, correcting ? toCorrection : toNew, {
      fieldOf,
      check: (v) => ({
        ...problemsByField(problemsOf(v)),
        ...(!correcting && !sigs.current.learner ? { learnerSignature: t('afest.sequence.signLearner') } : {}),
        ...(!correcting && !sigs.current.leader ? { leaderSignature: t('afest.sequence.signLeader', { name: leaderName(v.kind === 'work-situation' ? 'tutor' : v.ledBy) }) } : {}),
      }),
    }),
  });
  const submit = useSubmitState(form, fieldOf);
  const { register, control, setValue, formState: { errors, isSubmitting, isDirty, submitCount } } = form;
  const v = useWatch({ control }) as SequenceValues;
  const mst = v.kind === 'work-situation';
  const live = problemsByField(problemsOf(v));
  const liveCount = Object.keys(live).length;
  /**
   * What to show next to a field: the live problem of the rules first; a refusal of the last save attempt
   * (schema, backend) otherwise — but not a rule's refusal the field no longer has, nor an unsigned pad since signed.
   */
  const errorOf = (name: keyof SequenceValues | 'learnerSignature' | 'leaderSignature'): FieldError | { message: string } | undefined => {
    const error = (errors as Record<string, FieldError | undefined>)[name];
    if (name === 'learnerSignature') return learnerSig ? undefined : error;
    if (name === 'leaderSignature') return leaderSig ? undefined : error;
    if (live[name]) return { message: live[name]! };
    return error?.type === 'required' && PROBLEM_PATHS.has(name) ? undefined : error;
  };

  const save = form.handleSubmit(
    (values) => submit.run(async () => {
      if (correcting) {
        await api['afest.correctSequence'](toCorrection(values));
        await onSaved(t('afest.sequence.corrected'));
      } else {
        const saved = await api['afest.recordSequence'](toNew(values) as SequenceInput);
        await onSaved(t('afest.sequence.recorded', { kind: t(`afest.kinds.${saved.kind}`), date: formatDate(saved.date), start: saved.start, end: saved.end }));
      }
    }),
    submit.invalid,
  );

  const msts = existing.filter((s) => s.kind === 'work-situation' && s.recordId !== correcting?.recordId).sort((x, y) => (y.date + y.start).localeCompare(x.date + x.start));
  const title = correcting
    ? t('afest.sequence.correctTitle', { kind: t(`afest.kinds.${correcting.kind}`), date: formatDate(correcting.date) })
    : t('afest.sequence.newTitle');
  const ledBy = mst ? 'tutor' : v.ledBy;

  return (
    <EditorPanel title={title} onClose={onClose} dirty={(isDirty || !!learnerSig || !!leaderSig) && !isSubmitting}>
      <form className="form afest-sequence-form" onSubmit={(e) => void save(e)} noValidate aria-busy={isSubmitting || undefined}>
        <p className="form-note">{correcting ? t('afest.sequence.correctIntro') : t('afest.sequence.intro')}</p>
        <ErrorBanner error={submit.error} />
        {correcting ? (
          <Field label={t('afest.sequence.reason')} error={errors.reason} required hint={t('afest.sequence.reasonHint')}>
            {(p) => <input {...p} type="text" {...register('reason')} />}
          </Field>
        ) : (
          <div className="field">
            <span className="field-label" id="afest-seq-kind-label">{t('afest.sequence.kind')}</span>
            <SegmentedControl
              labelledBy="afest-seq-kind-label"
              options={[
                { value: 'work-situation', label: t('afest.kinds.work-situation') },
                { value: 'reflective', label: t('afest.kinds.reflective') },
              ]}
              value={v.kind}
              onChange={(k) => {
                setValue('kind', k as SequenceKind, { shouldDirty: true });
                setValue('ledBy', k === 'work-situation' ? 'tutor' : 'facilitator', { shouldDirty: true });
                setLeaderSig(null);
              }}
            />
          </div>
        )}

        <div className="grid grid-3">
          <Field label={t('afest.sequence.date')} error={errorOf('date')} required>
            {(p) => <Controller control={control} name="date" render={({ field }) => <DateInput {...p} {...field} />} />}
          </Field>
          <Field label={t('afest.sequence.start')} error={errorOf('start')} required>
            {(p) => <Controller control={control} name="start" render={({ field }) => <TimeInput {...p} {...field} />} />}
          </Field>
          <Field label={t('afest.sequence.end')} error={errorOf('end')} required>
            {(p) => <Controller control={control} name="end" render={({ field }) => <TimeInput {...p} {...field} />} />}
          </Field>
        </div>

        {mst ? (
          <div className="grid grid-2">
            <Field label={t('afest.sequence.workstation')} error={errors.workstation} className="span-2">
              {(p) => <input {...p} type="text" {...register('workstation')} />}
            </Field>
            <Field label={t('afest.sequence.tasks')} error={errors.tasks}>
              {(p) => <textarea {...p} rows={3} {...register('tasks')} />}
            </Field>
            <Field label={t('afest.sequence.intendedLearning')} error={errors.intendedLearning}>
              {(p) => <textarea {...p} rows={3} {...register('intendedLearning')} />}
            </Field>
            <Field label={t('afest.sequence.observations')} error={errors.observations} className="span-2" hint={t('afest.sequence.observationsHint')}>
              {(p) => <textarea {...p} rows={3} {...register('observations')} />}
            </Field>
          </div>
        ) : (
          <>
            <div className="grid grid-2">
              <div className={`field span-2${errorOf('ledBy') ? ' has-error' : ''}`}>
                <span className="field-label" id="afest-seq-ledby-label">{t('afest.sequence.ledBy')}<span className="required" aria-hidden="true"> *</span></span>
                <SegmentedControl
                  id="afest-seq-ledby"
                  labelledBy="afest-seq-ledby-label"
                  invalid={!!errorOf('ledBy')}
                  describedBy={errorOf('ledBy') ? 'afest-seq-ledby-error' : undefined}
                  options={[
                    { value: 'facilitator', label: t('afest.sequence.byFacilitator', { name: leaderName('facilitator') }) },
                    { value: 'tutor', label: t('afest.sequence.byTutor', { name: leaderName('tutor') }) },
                  ]}
                  value={v.ledBy}
                  // A correction keeps who ran the sequence: their signature attests it (withdraw and log anew instead).
                  disabled={!!correcting}
                  onChange={(l) => {
                    setValue('ledBy', l as Leader, { shouldDirty: true, shouldValidate: submitCount > 0 });
                    setLeaderSig(null);
                  }}
                />
                {errorOf('ledBy') ? <p className="field-error" id="afest-seq-ledby-error">{errorOf('ledBy')!.message}</p> : null}
              </div>
              <CheckField label={t('afest.sequence.outOfProduction')} hint={t('afest.sequence.outOfProductionHint')} error={errorOf('outOfProduction')}>
                {(p) => <input {...p} type="checkbox" {...register('outOfProduction')} />}
              </CheckField>
              <Field label={t('afest.sequence.workstation')} error={errors.workstation} hint={t('afest.sequence.placeHint')} className="span-2">
                {(p) => <input {...p} type="text" {...register('workstation')} />}
              </Field>
            </div>
            <Controller
              control={control}
              name="reviewedIds"
              render={({ field }) => (
                <CheckboxList
                  legend={t('afest.sequence.reviewed')}
                  options={msts.map((s) => ({ value: s.recordId, label: `${formatDate(s.date)} ${s.start}–${s.end}`, ...(s.workstation ? { hint: s.workstation } : {}) }))}
                  value={field.value}
                  onChange={field.onChange}
                  error={errorOf('reviewedIds')?.message}
                  empty={t('afest.sequence.noMst')}
                />
              )}
            />
            <div className="grid grid-3">
              <Field label={t('afest.sequence.gapExpected')} error={errors.gapExpected}>
                {(p) => <textarea {...p} rows={3} {...register('gapExpected')} />}
              </Field>
              <Field label={t('afest.sequence.gapDone')} error={errors.gapDone}>
                {(p) => <textarea {...p} rows={3} {...register('gapDone')} />}
              </Field>
              <Field label={t('afest.sequence.gapAcquired')} error={errors.gapAcquired}>
                {(p) => <textarea {...p} rows={3} {...register('gapAcquired')} />}
              </Field>
              <Field label={t('afest.sequence.verbalised')} error={errors.verbalised} className="span-2">
                {(p) => <textarea {...p} rows={3} {...register('verbalised')} />}
              </Field>
              <Field label={t('afest.sequence.nextSteps')} error={errors.nextSteps}>
                {(p) => <textarea {...p} rows={3} {...register('nextSteps')} />}
              </Field>
            </div>
          </>
        )}

        <Controller
          control={control}
          name="competenceIds"
          render={({ field }) => (
            <CheckboxList
              legend={mst ? t('afest.sequence.competencesWorked') : t('afest.sequence.competencesVerbalised')}
              options={a.competences.map((c) => ({ value: c.id, label: c.label, ...(c.blockCode ? { hint: c.blockCode } : {}) }))}
              value={field.value}
              onChange={field.onChange}
              error={errors.competenceIds?.message}
              empty={t('afest.sequence.noCompetence')}
            />
          )}
        />

        {correcting ? null : (
          <fieldset className="afest-signatures">
            <legend>{t('afest.sequence.signatures')}</legend>
            <p className="hint">{t('afest.sequence.signaturesIntro')}</p>
            <div className="grid grid-2">
              <SignatureField
                id="afest-seq-learner-signature"
                label={t('afest.sequence.learnerSignature', { name: page.trainee.name })}
                hint={t('afest.sequence.padHint')}
                onChange={setLearnerSig}
                error={errorOf('learnerSignature')?.message}
                height={170}
              />
              <SignatureField
                key={ledBy}
                id="afest-seq-leader-signature"
                label={t(ledBy === 'tutor' ? 'afest.sequence.tutorSignature' : 'afest.sequence.facilitatorSignature', { name: leaderName(ledBy) })}
                hint={t('afest.sequence.padHint')}
                onChange={setLeaderSig}
                error={errorOf('leaderSignature')?.message}
                height={170}
              />
            </div>
          </fieldset>
        )}

        <div className="form-footer">
          <p className={liveCount ? 'afest-live-problems' : 'muted'} aria-live="polite">
            {liveCount ? t('afest.sequence.problems', { count: liveCount }) : v.date && v.start && v.end ? t('afest.sequence.noProblem') : ''}
          </p>
          <div className="button-row">
            <button type="button" className="btn btn-ghost" onClick={onClose}>{t('common.cancel')}</button>
            <SubmitButton busy={isSubmitting}>{correcting ? t('afest.sequence.saveCorrection') : t('afest.sequence.save')}</SubmitButton>
          </div>
        </div>
      </form>
    </EditorPanel>
  );
}
