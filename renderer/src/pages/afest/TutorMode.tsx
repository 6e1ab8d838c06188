import { useEffect, useMemo, useRef, useState } from 'react';
import { Controller, useForm, useWatch, type FieldError } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { localDateTime, timeToMinutes } from '../../../../shared/domain/dates';
import type { ApiError } from '../../../../shared/errors';
import { sequenceInput, type SequenceInput, type TutorHome } from '../../../../shared/schemas/afest';
import { api } from '../../api';
import { DateInput } from '../../components/DateInput';
import { Field } from '../../components/Field';
import { EmptyState, ErrorBanner, Loading, SubmitButton, SuccessBanner } from '../../components/Feedback';
import { SignatureField, type SignatureValue } from '../../components/SignaturePad';
import { TimeInput } from '../../components/TimeInput';
import { useActingTutor } from '../../lib/acting-tutor';
import { useAuth } from '../../lib/auth';
import { formResolver, orNull, useSubmitState } from '../../lib/forms';
import { formatDate, formatLongDate, formatMinutes } from '../../lib/format';
import { useTimeZone } from '../../lib/timeZone';
import { useQuery } from '../../lib/useQuery';
import { candidateProblems, clockTime, inForce, problemsByField, setupFacts } from './afestView';
import '../../attendance.css';
import '../../afest.css';
import { BrandMark } from '../../components/BrandMark';

type Learner = TutorHome['learners'][number];

/** Puts the focus on the screen's heading when it appears, so a screen reader and a keyboard start there. */
function useFocusHeading() {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }, []);
  return ref;
}

/**
 * Tutor mode (/tuteur), for a company tutor on a tablet in the workshop: « Qui êtes-vous ? », then only that
 * tutor's learners; « Mise en situation aujourd'hui » in two taps (the learner, then a short form already
 * dated today with times around now), both signatures, saved. No menu: a small header with the tutor's
 * name, « Changer de tuteur » and the way back. Touch targets are 48 px at least.
 */
export function TutorModePage() {
  const { t } = useTranslation();
  const { tutorId, fixed, choose, forget } = useActingTutor();
  const { signOut } = useAuth();
  const [params, setParams] = useSearchParams();
  const learnerId = params.get('apprenant');
  const home = useQuery(async () => (tutorId ? api['afest.tutorHome']({ tutorId }) : null), [tutorId]);
  const [notice, setNotice] = useState<string | null>(null);
  const open = (afestId: string | null) => {
    setParams(afestId ? { apprenant: afestId } : {});
  };
  const learner = learnerId ? home.data?.learners.find((l) => l.afestId === learnerId) : undefined;

  return (
    <div className="tutor-mode">
      <header className="tutor-header">
        <div className="tutor-brand">
          <BrandMark />
          <span className="brand-name">Sillon</span>
          <span className="tutor-mode-name">{t('afest.tutorMode')}</span>
        </div>
        <div className="tutor-header-tools">
          {tutorId && home.data ? <span className="tutor-who">{home.data.tutor.name}</span> : null}
          {/* A tutor's own account: the tablet is theirs until they sign out (lib/acting-tutor.ts). */}
          {fixed ? (
            <button type="button" className="btn btn-secondary" onClick={() => void signOut()}>{t('auth.menu.signOut')}</button>
          ) : tutorId ? (
            <button type="button" className="btn btn-secondary" onClick={() => { setNotice(null); open(null); forget(); }}>
              {t('afest.tutorHome.change')}
            </button>
          ) : null}
          <Link to="/afest" className="btn btn-ghost tutor-exit">{t('afest.tutorHome.exit')}</Link>
        </div>
      </header>
      <main id="main" className="tutor-main" tabIndex={-1} aria-busy={home.loading}>
        {!tutorId ? (
          <WhoAreYou onChoose={(id) => { setNotice(null); choose(id); }} />
        ) : !home.data ? (
          <>
            <ErrorBanner error={home.error} />
            {home.loading ? <Loading /> : null}
          </>
        ) : learnerId ? (
          learner ? (
            <LogWorkSituation
              key={learner.afestId}
              learner={learner}
              home={home.data}
              onCancel={() => open(null)}
              onSaved={async (message) => {
                open(null);
                await home.reload();
                setNotice(message);
              }}
            />
          ) : (
            <>
              <EmptyState>{t('afest.tutorHome.unknownLearner')}</EmptyState>
              <button type="button" className="btn btn-secondary" onClick={() => open(null)}>{t('afest.tutorHome.backToLearners')}</button>
            </>
          )
        ) : (
          <Learners home={home.data} notice={notice} error={home.error} onOpen={(id) => { setNotice(null); open(id); }} />
        )}
      </main>
    </div>
  );
}

/** « Qui êtes-vous ? »: every tutor, by company, as large buttons. */
function WhoAreYou({ onChoose }: { onChoose: (tutorId: string) => void }) {
  const { t } = useTranslation();
  const heading = useFocusHeading();
  const tutors = useQuery(() => api['afest.tutors']({}), []);
  const byCompany = useMemo(() => {
    const groups = new Map<string, NonNullable<typeof tutors.data>>();
    for (const x of tutors.data ?? []) groups.set(x.companyName, [...(groups.get(x.companyName) ?? []), x]);
    return [...groups].sort(([a], [b]) => a.localeCompare(b, 'fr'));
  }, [tutors.data]);
  return (
    <section aria-labelledby="tutor-who-title" aria-busy={tutors.loading}>
      <h1 id="tutor-who-title" ref={heading} tabIndex={-1}>{t('afest.tutorHome.whoTitle')}</h1>
      <p className="tutor-lead">{t('afest.tutorHome.whoIntro')}</p>
      <ErrorBanner error={tutors.error} />
      {tutors.loading && !tutors.data ? <Loading /> : null}
      {tutors.data && tutors.data.length === 0 ? <EmptyState>{t('afest.tutorHome.noTutor')}</EmptyState> : null}
      {byCompany.map(([company, list]) => (
        <div key={company} className="tutor-company">
          <h2 id={`tutor-co-${list[0]!.id}`}>{company}</h2>
          <ul className="tutor-choices" aria-labelledby={`tutor-co-${list[0]!.id}`}>
            {list.map((x) => (
              <li key={x.id}>
                <button type="button" className="tutor-choice" onClick={() => onChoose(x.id)}>
                  <span className="tutor-choice-name">{`${x.firstName} ${x.lastName.toUpperCase()}`}</span>
                  <span className="tutor-choice-sub">
                    {[x.jobTitle, t('afest.tutorHome.learnerCount', { count: x.learners })].filter(Boolean).join(' · ')}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}

/** The tutor's learners: one tap opens today's work situation, or the sentence that says why not yet. */
function Learners({ home, notice, error, onOpen }: { home: TutorHome; notice: string | null; error: ApiError | undefined; onOpen: (afestId: string) => void }) {
  const { t } = useTranslation();
  const heading = useFocusHeading();
  return (
    <section aria-labelledby="tutor-home-title">
      <h1 id="tutor-home-title" ref={heading} tabIndex={-1}>{t('afest.tutorHome.title', { name: home.tutor.name })}</h1>
      <p className="tutor-lead">{t('afest.tutorHome.today', { date: formatLongDate(home.today), company: home.tutor.companyName })}</p>
      <SuccessBanner>{notice}</SuccessBanner>
      <ErrorBanner error={error} />
      {home.learners.length === 0 ? (
        <EmptyState>{t('afest.tutorHome.noLearner')}</EmptyState>
      ) : (
        <ul className="tutor-learners">
          {home.learners.map((l) => (
            <li key={l.afestId} className={`tutor-learner${l.blocked ? ' is-blocked' : ''}`} data-afest-id={l.afestId}>
              {l.blocked ? (
                <div className="tutor-learner-main">
                  <h2 className="tutor-learner-name">{l.traineeName}</h2>
                  <p className="tutor-learner-title">{l.title}</p>
                  <p className="tutor-blocked">{l.blocked}</p>
                </div>
              ) : (
                <button type="button" className="tutor-learner-main tutor-learner-button" onClick={() => onOpen(l.afestId)}>
                  <span className="tutor-learner-name">{l.traineeName}</span>
                  <span className="tutor-learner-title">{l.title}</span>
                  <span className="tutor-learner-action"><span aria-hidden="true" className="tutor-plus">+</span>{t('afest.tutorHome.logToday')}</span>
                </button>
              )}
              <div className="tutor-learner-today">
                {l.today.length === 0 ? (
                  <p className="muted">{t('afest.tutorHome.nothingToday')}</p>
                ) : (
                  <ul className="tutor-today-list" aria-label={t('afest.tutorHome.todayFor', { name: l.traineeName })}>
                    {l.today.map((s) => (
                      <li key={s.id}>
                        <span aria-hidden="true">✓ </span>
                        {t('afest.tutorHome.loggedLine', { kind: t(`afest.kinds.${s.kind}`), start: s.start, end: s.end })}
                        {s.workstation ? <span className="muted"> · {s.workstation}</span> : null}
                      </li>
                    ))}
                  </ul>
                )}
                <p className="muted tutor-learner-meta">
                  {t('afest.tutorHome.meta', { last: formatDate(l.lastSequenceDate), hours: formatMinutes(l.workSituationMinutes) })}
                </p>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

interface QuickValues {
  date: string;
  start: string;
  end: string;
  workstation: string;
  tasks: string;
  observations: string;
}

/** « Mise en situation aujourd'hui »: dated today, times around now, three short texts, two signatures. */
function LogWorkSituation({ learner, home, onCancel, onSaved }: { learner: Learner; home: TutorHome; onCancel: () => void; onSaved: (message: string) => Promise<void> }) {
  const { t } = useTranslation();
  const heading = useFocusHeading();
  const zone = useTimeZone();
  const page = useQuery(() => api['afest.get']({ id: learner.afestId }), [learner.afestId]);
  const [learnerSig, setLearnerSig] = useState<SignatureValue | null>(null);
  const [tutorSig, setTutorSig] = useState<SignatureValue | null>(null);
  const sigs = useRef({ learnerSig, tutorSig });
  sigs.current = { learnerSig, tutorSig };
  // The hour that just ended: end now (to the quarter), start an hour before.
  const [defaults] = useState(() => {
    const now = timeToMinutes(localDateTime(new Date(), zone).time);
    const end = Math.max(60, now - (now % 15));
    return { date: home.today, start: clockTime(end - 60), end: clockTime(end), workstation: '', tasks: '', observations: '' };
  });
  const setup = useMemo(() => (page.data ? setupFacts(page.data.afest) : null), [page.data]);
  const existing = useMemo(() => (page.data ? inForce(page.data.sequences) : []), [page.data]);
  const problemsOf = (v: QuickValues) =>
    page.data && setup
      ? candidateProblems(setup, page.data.rules, existing, { kind: 'work-situation', date: v.date, start: v.start, end: v.end, ledBy: 'tutor', leaderId: page.data.afest.tutorId, outOfProduction: false, reviewedIds: [] })
      : [];
  const toInput = (v: QuickValues) => ({
    afestId: learner.afestId,
    kind: 'work-situation' as const,
    ledBy: 'tutor' as const,
    date: v.date,
    start: v.start,
    end: v.end,
    workstation: orNull(v.workstation),
    tasks: orNull(v.tasks),
    observations: orNull(v.observations),
    ...(sigs.current.learnerSig ? { learnerSignature: { strokes: sigs.current.learnerSig.strokes, pngBase64: sigs.current.learnerSig.pngBase64 } } : {}),
    ...(sigs.current.tutorSig ? { leaderSignature: { strokes: sigs.current.tutorSig.strokes, pngBase64: sigs.current.tutorSig.pngBase64 } } : {}),
    signedAt: new Date().toISOString(),
  });
  const fieldOf = (p: string) => p.replace(/^(learnerSignature|leaderSignature)\..*$/, '$1');
  const form = useForm<QuickValues>({
    defaultValues: defaults,
    resolver: formResolver<QuickValues>(sequenceInput, toInput, {
      fieldOf,
      check: (v) => ({
        ...problemsByField(problemsOf(v)),
        ...(sigs.current.learnerSig ? {} : { learnerSignature: t('afest.tutorHome.signLearner', { name: learner.traineeName }) }),
        ...(sigs.current.tutorSig ? {} : { leaderSignature: t('afest.tutorHome.signTutor') }),
      }),
    }),
  });
  const submit = useSubmitState(form, fieldOf);
  const { register, control, formState: { errors, isSubmitting } } = form;
  const v = useWatch({ control }) as QuickValues;
  const live = problemsByField(problemsOf(v));
  /** The live problem first; a refusal of the last attempt unless the rule is now met or the pad now signed. */
  const errorOf = (name: string): FieldError | { message: string } | undefined => {
    const error = (errors as Record<string, FieldError | undefined>)[name];
    if (name === 'learnerSignature') return learnerSig ? undefined : error;
    if (name === 'leaderSignature') return tutorSig ? undefined : error;
    if (live[name]) return { message: live[name]! };
    return error?.type === 'required' ? undefined : error;
  };
  const save = form.handleSubmit(
    (values) => submit.run(async () => {
      const saved = await api['afest.recordSequence'](toInput(values) as SequenceInput);
      await onSaved(t('afest.tutorHome.saved', { name: learner.traineeName, start: saved.start, end: saved.end }));
    }),
    submit.invalid,
  );
  return (
    <section aria-labelledby="tutor-log-title" className="tutor-log" aria-busy={page.loading || isSubmitting || undefined}>
      <p className="tutor-back">
        <button type="button" className="btn btn-ghost" onClick={onCancel}><span aria-hidden="true">← </span>{t('afest.tutorHome.backToLearners')}</button>
      </p>
      <h1 id="tutor-log-title" ref={heading} tabIndex={-1}>{t('afest.tutorHome.logTitle', { name: learner.traineeName })}</h1>
      <p className="tutor-lead">{learner.title}</p>
      <ErrorBanner error={page.error} />
      {learner.blocked ? (
        <p className="tutor-blocked">{learner.blocked}</p>
      ) : (
        <form className="form tutor-form" onSubmit={(e) => void save(e)} noValidate>
          <ErrorBanner error={submit.error} />
          <div className="tutor-when">
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
          <Field label={t('afest.sequence.workstation')} error={errors.workstation}>
            {(p) => <input {...p} type="text" {...register('workstation')} />}
          </Field>
          <Field label={t('afest.sequence.tasks')} error={errors.tasks}>
            {(p) => <textarea {...p} rows={2} {...register('tasks')} />}
          </Field>
          <Field label={t('afest.sequence.observations')} error={errors.observations} hint={t('afest.sequence.observationsHint')}>
            {(p) => <textarea {...p} rows={3} {...register('observations')} />}
          </Field>
          <fieldset className="tutor-signatures">
            <legend>{t('afest.sequence.signatures')}</legend>
            <SignatureField
              id="tutor-learner-signature"
              label={t('afest.sequence.learnerSignature', { name: learner.traineeName })}
              hint={t('afest.sequence.padHint')}
              onChange={setLearnerSig}
              error={errorOf('learnerSignature')?.message}
              height={200}
            />
            <SignatureField
              id="tutor-tutor-signature"
              label={t('afest.sequence.tutorSignature', { name: home.tutor.name })}
              hint={t('afest.sequence.padHint')}
              onChange={setTutorSig}
              error={errorOf('leaderSignature')?.message}
              height={200}
            />
          </fieldset>
          <div className="tutor-actions">
            <button type="button" className="btn btn-ghost" onClick={onCancel}>{t('common.cancel')}</button>
            <SubmitButton busy={isSubmitting} className="btn btn-primary tutor-save">{t('afest.tutorHome.save')}</SubmitButton>
          </div>
        </form>
      )}
    </section>
  );
}
