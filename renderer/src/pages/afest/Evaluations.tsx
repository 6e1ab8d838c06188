import { useId, useRef, useState, type ChangeEvent } from 'react';
import { Controller, useFieldArray, useForm, useWatch, type UseFormReturn } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { todayIn, localDateTime } from '../../../../shared/domain/dates';
import { COMPETENCE_LEVELS, type CompetenceLevel, type EvaluationKind, type Leader } from '../../../../shared/domain/afest';
import type { ApiError } from '../../../../shared/errors';
import { evaluationInput, type AfestPage, type Evaluation } from '../../../../shared/schemas/afest';
import { api, asApiError } from '../../api';
import { DateInput } from '../../components/DateInput';
import { EditorPanel } from '../../components/EditorPanel';
import { Field } from '../../components/Field';
import { EmptyState, ErrorBanner, SubmitButton } from '../../components/Feedback';
import { FileInput } from '../../components/FileInput';
import { SegmentedControl } from '../../components/SegmentedControl';
import { SignatureField, type SignatureValue } from '../../components/SignaturePad';
import { TimeInput } from '../../components/TimeInput';
import { downloadBase64, readAsBase64 } from '../../lib/files';
import { formResolver, orNull, useSubmitState } from '../../lib/forms';
import { formatDate, formatLongDate, formatMinutes } from '../../lib/format';
import { useTimeZone } from '../../lib/timeZone';
import { shortHash } from './afestView';
import { ReasonForm } from './SequenceLog';

type Attachment = Evaluation['attachments'][number];
const ATTACHMENT_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'application/pdf', 'text/plain'] as const;
type AttachmentType = (typeof ATTACHMENT_TYPES)[number];

/**
 * « Évaluations »: the specific evaluations of D.6313-3-2 (component 4), intermediate or final, each with a
 * level per target competence, its documents (photos, work produced — kept as evidence with their SHA-256)
 * and, when taken, the signatures. Withdrawn ones stay listed, marked.
 */
export function Evaluations({ page, onChanged }: { page: AfestPage; onChanged: (message: string | null) => Promise<void> }) {
  const { t } = useTranslation();
  const [creating, setCreating] = useState(false);
  const [withdrawing, setWithdrawing] = useState<string | null>(null);
  // One entry per record: its last version (a withdrawal is a version of its own), with the content it withdrew.
  const shown = page.evaluations
    .filter((e) => !page.evaluations.some((o) => o.supersedesId === e.id))
    .map((latest) => ({ latest, content: latest.withdrawn ? (page.evaluations.find((o) => o.id === latest.supersedesId) ?? latest) : latest }))
    .sort((x, y) => y.content.date.localeCompare(x.content.date) || y.latest.createdAt.localeCompare(x.latest.createdAt));
  return (
    <section aria-labelledby="afest-eval-title">
      <div className="panel-header">
        <h2 id="afest-eval-title">{t('afest.evaluation.title')}</h2>
        <button type="button" className="btn btn-primary" onClick={() => setCreating(true)} disabled={page.afest.competences.length === 0}>
          <span aria-hidden="true">+</span> {t('afest.evaluation.new')}
        </button>
      </div>
      <p className="muted">{page.afest.competences.length === 0 ? t('afest.evaluation.needCompetences') : t('afest.evaluation.intro')}</p>
      {creating ? (
        <EvaluationForm
          page={page}
          onClose={() => setCreating(false)}
          onSaved={async (message) => {
            setCreating(false);
            await onChanged(message);
          }}
        />
      ) : null}
      {shown.length === 0 ? (
        <EmptyState>{t('afest.evaluation.empty')}</EmptyState>
      ) : (
        <ol className="afest-evals">
          {shown.map(({ latest, content }) => (
            <EvaluationItem
              key={latest.id}
              evaluation={content}
              latest={latest}
              page={page}
              withdrawing={withdrawing === latest.id}
              onWithdraw={() => setWithdrawing(latest.id)}
              onCancel={() => setWithdrawing(null)}
              onWithdrawn={async (m) => {
                setWithdrawing(null);
                await onChanged(m);
              }}
            />
          ))}
        </ol>
      )}
    </section>
  );
}

function EvaluationItem({ evaluation: e, latest, page, withdrawing, onWithdraw, onCancel, onWithdrawn }: {
  evaluation: Evaluation;
  latest: Evaluation;
  page: AfestPage;
  withdrawing: boolean;
  onWithdraw: () => void;
  onCancel: () => void;
  onWithdrawn: (message: string) => Promise<void>;
}) {
  const { t } = useTranslation();
  const zone = useTimeZone();
  const headingId = useId();
  const [error, setError] = useState<ApiError | null>(null);
  const label = (id: string) => page.afest.competences.find((c) => c.id === id)?.label ?? '?';
  const download = async (a: Attachment) => {
    setError(null);
    try {
      const file = await api['afest.attachment']({ id: a.id });
      downloadBase64(file.name, file.base64, file.mime);
    } catch (err) {
      setError(asApiError(err));
    }
  };
  const created = localDateTime(latest.createdAt, zone);
  return (
    <li className={`afest-eval${latest.withdrawn ? ' is-withdrawn' : ''}`} aria-labelledby={headingId} data-kind={e.kind}>
      <div className="afest-seq-head">
        <h3 id={headingId}>
          <span className={`badge afest-eval-${e.kind}`}>{t(`afest.evaluationKinds.${e.kind}`)}</span>{' '}
          <span className="afest-seq-when">
            {formatLongDate(e.date)}
            {e.start && e.end ? ` · ${e.start}–${e.end}` : ''}
          </span>
        </h3>
        <p className="afest-seq-flags">
          {e.minutes ? <span className="afest-seq-duration">{formatMinutes(e.minutes)}</span> : null}
          {latest.withdrawn ? <span className="badge afest-ko">{t('afest.log.withdrawn')}</span> : null}
        </p>
      </div>
      <p className="afest-eval-by">
        {t(e.evaluatorKind === 'tutor' ? 'afest.evaluation.byTutor' : 'afest.evaluation.byFacilitator', { name: e.evaluatorName })}
        {e.method ? ` — ${e.method}` : ''}
      </p>
      {e.comment ? <p className="afest-eval-comment">{e.comment}</p> : null}
      <div className="table-wrap">
        <table className="table afest-results" aria-labelledby={headingId}>
          <thead>
            <tr>
              <th scope="col">{t('afest.evaluation.competence')}</th>
              <th scope="col">{t('afest.evaluation.level')}</th>
              <th scope="col">{t('afest.evaluation.resultComment')}</th>
            </tr>
          </thead>
          <tbody>
            {e.results.map((r) => (
              <tr key={r.competenceId}>
                <th scope="row" className="cell-title">{label(r.competenceId)}</th>
                <td><span className={`badge afest-level-${r.level}`}>{t(`afest.levels.${r.level}`)}</span></td>
                <td>{r.comment ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {e.attachments.length > 0 ? (
        <ul className="afest-attachments" aria-label={t('afest.evaluation.attachments')}>
          {e.attachments.map((a) => (
            <li key={a.id}>
              <span className="afest-attachment-name">{a.name}</span>
              <span className="cell-sub">
                {t('afest.evaluation.size', { kb: Math.max(1, Math.round(a.size / 1024)) })} · SHA-256 <span className="mono" title={a.sha256}>{shortHash(a.sha256)}</span>
              </span>
              <button type="button" className="btn btn-small btn-secondary" onClick={() => void download(a)}>
                {t('afest.evaluation.download')}<span className="visually-hidden"> — {a.name}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <ErrorBanner error={error} />
      <p className="afest-seq-meta">
        {e.learnerSignatureId || e.evaluatorSignatureId ? <span>{t('afest.evaluation.signed')} · </span> : null}
        {t('afest.log.loggedBy', { by: latest.createdByName, when: t('afest.log.at', { date: formatDate(created.date), time: created.time }) })}
        {latest.withdrawn && latest.reason ? <span className="cell-sub">{t('afest.log.withdrawReason', { reason: latest.reason })}</span> : null}
      </p>
      {latest.current ? (
        <div className="button-row afest-seq-actions">
          <button type="button" className="btn btn-small btn-ghost" onClick={onWithdraw} aria-expanded={withdrawing}>
            {t('afest.log.withdraw')}<span className="visually-hidden"> — {t(`afest.evaluationKinds.${e.kind}`)} {formatDate(e.date)}</span>
          </button>
        </div>
      ) : null}
      {withdrawing ? (
        <ReasonForm
          formId={`afest-withdraw-eval-${e.id}`}
          title={t('afest.evaluation.withdrawTitle')}
          submitLabel={t('afest.log.confirmWithdraw')}
          onCancel={onCancel}
          onSubmit={async (reason) => {
            await api['afest.withdrawEvaluation']({ id: latest.id, reason });
            await onWithdrawn(t('afest.evaluation.withdrawnDone', { date: formatDate(e.date) }));
          }}
        />
      ) : null}
    </li>
  );
}

interface EvaluationValues {
  kind: EvaluationKind;
  date: string;
  start: string;
  end: string;
  evaluatorKind: Leader;
  method: string;
  comment: string;
  results: { competenceId: string; level: CompetenceLevel | 'none'; comment: string }[];
}

function EvaluationForm({ page, onClose, onSaved }: { page: AfestPage; onClose: () => void; onSaved: (message: string) => Promise<void> }) {
  const { t } = useTranslation();
  const zone = useTimeZone();
  const a = page.afest;
  const [attachments, setAttachments] = useState<Attachment[]>([]);
  const [uploadError, setUploadError] = useState<ApiError | null>(null);
  const [uploading, setUploading] = useState(false);
  const [learnerSig, setLearnerSig] = useState<SignatureValue | null>(null);
  const [evaluatorSig, setEvaluatorSig] = useState<SignatureValue | null>(null);
  const extra = useRef({ attachments, learnerSig, evaluatorSig });
  extra.current = { attachments, learnerSig, evaluatorSig };
  const fileRef = useRef<HTMLInputElement>(null);

  const toInput = (v: EvaluationValues) => {
    const { attachments: files, learnerSig: l, evaluatorSig: ev } = extra.current;
    return {
      afestId: a.id,
      kind: v.kind,
      date: v.date,
      start: v.start || null,
      end: v.end || null,
      evaluatorKind: v.evaluatorKind,
      method: orNull(v.method),
      comment: orNull(v.comment),
      results: v.results.filter((r) => r.level !== 'none').map((r) => ({ competenceId: r.competenceId, level: r.level as CompetenceLevel, comment: orNull(r.comment) })),
      attachments: files.map((f) => f.id),
      ...(l ? { learnerSignature: { strokes: l.strokes, pngBase64: l.pngBase64 } } : {}),
      ...(ev ? { evaluatorSignature: { strokes: ev.strokes, pngBase64: ev.pngBase64 } } : {}),
      ...(l || ev ? { signedAt: new Date().toISOString() } : {}),
    };
  };
  /** `results.1.level` of the input (evaluated competences only) is row 3 of the form when rows 0 and 2 are not evaluated. */
  const fieldOf = (path: string, values?: EvaluationValues): string => {
    const m = /^results\.(\d+)\.(.+)$/.exec(path);
    if (!m) return path;
    const evaluated: number[] = (values ?? form.getValues()).results.map((r, i) => (r.level !== 'none' ? i : -1)).filter((i) => i >= 0);
    const row: number | undefined = evaluated[Number(m[1])];
    return row === undefined ? 'results' : `results.${row}.${m[2] === 'competenceId' ? 'level' : m[2]}`;
  };
  const form: UseFormReturn<EvaluationValues> = useForm<EvaluationValues>({
    defaultValues: {
      kind: 'intermediate',
      date: todayIn(new Date(), zone),
      start: '',
      end: '',
      evaluatorKind: 'facilitator',
      method: '',
      comment: '',
      results: a.competences.map((c) => ({ competenceId: c.id, level: 'none', comment: '' })),
    },
    resolver: formResolver<EvaluationValues>(evaluationInput, toInput, { fieldOf }),
  });
  const submit = useSubmitState(form, (p) => fieldOf(p));
  const { register, control, setValue, formState: { errors, isSubmitting, isDirty } } = form;
  const rows = useFieldArray({ control, name: 'results' });
  const v = useWatch({ control }) as EvaluationValues;
  const evaluatorName = (k: Leader) => (k === 'tutor' ? page.tutor?.name : page.facilitator?.name) ?? t('afest.sequence.nobody');

  const upload = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    if (!file) return;
    setUploadError(null);
    const mime = (ATTACHMENT_TYPES as readonly string[]).includes(file.type) ? (file.type as AttachmentType) : null;
    if (!mime) {
      setUploadError({ code: 'validation', message: t('afest.evaluation.badType', { name: file.name }) });
      return;
    }
    setUploading(true);
    try {
      const saved = await api['afest.uploadAttachment']({ name: file.name, mime, base64: await readAsBase64(file) });
      setAttachments((prev) => [...prev, saved]);
      if (fileRef.current) fileRef.current.value = '';
    } catch (err) {
      setUploadError(asApiError(err));
    } finally {
      setUploading(false);
    }
  };

  const save = form.handleSubmit(
    (values) => submit.run(async () => {
      const saved = await api['afest.recordEvaluation'](toInput(values));
      await onSaved(t('afest.evaluation.recorded', { kind: t(`afest.evaluationKinds.${saved.kind}`), date: formatDate(saved.date) }));
    }),
    submit.invalid,
  );
  const resultsError = (errors.results as { message?: string; root?: { message?: string } } | undefined);
  const resultsMessage = resultsError?.message ?? resultsError?.root?.message;

  return (
    <EditorPanel title={t('afest.evaluation.newTitle')} onClose={onClose} dirty={(isDirty || attachments.length > 0 || !!learnerSig || !!evaluatorSig) && !isSubmitting}>
      <form className="form afest-eval-form" onSubmit={(e) => void save(e)} noValidate aria-busy={isSubmitting || uploading || undefined}>
        <p className="form-note">{t('common.requiredNote')}</p>
        <ErrorBanner error={submit.error} />
        <div className="grid grid-3">
          <div className="field">
            <span className="field-label" id="afest-eval-kind-label">{t('afest.evaluation.kind')}</span>
            <SegmentedControl
              labelledBy="afest-eval-kind-label"
              options={[
                { value: 'intermediate', label: t('afest.evaluationKinds.intermediate') },
                { value: 'final', label: t('afest.evaluationKinds.final') },
              ]}
              value={v.kind}
              onChange={(k) => setValue('kind', k as EvaluationKind, { shouldDirty: true })}
            />
          </div>
          <div className="field span-2">
            <span className="field-label" id="afest-eval-by-label">{t('afest.evaluation.evaluator')}</span>
            <SegmentedControl
              labelledBy="afest-eval-by-label"
              options={[
                { value: 'facilitator', label: t('afest.sequence.byFacilitator', { name: evaluatorName('facilitator') }) },
                { value: 'tutor', label: t('afest.sequence.byTutor', { name: evaluatorName('tutor') }) },
              ]}
              value={v.evaluatorKind}
              onChange={(k) => setValue('evaluatorKind', k as Leader, { shouldDirty: true })}
            />
          </div>
          <Field label={t('afest.sequence.date')} error={errors.date} required>
            {(p) => <Controller control={control} name="date" render={({ field }) => <DateInput {...p} {...field} />} />}
          </Field>
          <Field label={t('afest.evaluation.start')} error={errors.start}>
            {(p) => <Controller control={control} name="start" render={({ field }) => <TimeInput {...p} {...field} />} />}
          </Field>
          <Field label={t('afest.evaluation.end')} error={errors.end} hint={t('afest.evaluation.timesHint')}>
            {(p) => <Controller control={control} name="end" render={({ field }) => <TimeInput {...p} {...field} />} />}
          </Field>
          <Field label={t('afest.evaluation.method')} error={errors.method} hint={t('afest.evaluation.methodHint')} className="span-3">
            {(p) => <input {...p} type="text" {...register('method')} />}
          </Field>
        </div>

        <fieldset className="afest-results-fieldset" aria-describedby={resultsMessage ? 'afest-eval-results-error' : undefined}>
          <legend>{t('afest.evaluation.results')}</legend>
          <p className="hint">{t('afest.evaluation.resultsHint')}</p>
          <ol className="afest-result-rows">
            {rows.fields.map((row, i) => {
              const c = a.competences.find((x) => x.id === row.competenceId);
              const labelId = `afest-eval-c-${i}`;
              return (
                <li key={row.id} className="afest-result-row">
                  <span className="afest-result-label" id={labelId}>
                    {c?.label ?? '?'}
                    {c?.blockCode ? <span className="cell-sub">{c.blockCode}</span> : null}
                  </span>
                  <SegmentedControl
                    size="small"
                    labelledBy={labelId}
                    options={[
                      { value: 'none', label: t('afest.levels.none') },
                      ...COMPETENCE_LEVELS.map((l) => ({ value: l, label: t(`afest.levels.${l}`), tone: l })),
                    ]}
                    value={v.results?.[i]?.level ?? 'none'}
                    onChange={(l) => setValue(`results.${i}.level`, l as CompetenceLevel | 'none', { shouldDirty: true })}
                  />
                  <Field label={t('afest.evaluation.resultCommentFor', { competence: c?.label ?? '' })} error={errors.results?.[i]?.comment} className="afest-result-comment">
                    {(p) => <input {...p} type="text" {...register(`results.${i}.comment`)} disabled={v.results?.[i]?.level === 'none'} />}
                  </Field>
                </li>
              );
            })}
          </ol>
          {resultsMessage ? <p className="field-error" id="afest-eval-results-error">{resultsMessage}</p> : null}
        </fieldset>

        <Field label={t('afest.evaluation.comment')} error={errors.comment}>
          {(p) => <textarea {...p} rows={3} {...register('comment')} />}
        </Field>

        <fieldset className="afest-attach-fieldset">
          <legend>{t('afest.evaluation.attachments')}</legend>
          <div className="field">
            <label htmlFor="afest-eval-file">{t('afest.evaluation.addAttachment')}</label>
            <FileInput id="afest-eval-file" ref={fileRef} accept={ATTACHMENT_TYPES.join(',')} onChange={(e) => void upload(e)} disabled={uploading} aria-describedby="afest-eval-file-hint" />
            <p className="hint" id="afest-eval-file-hint">{uploading ? t('afest.evaluation.uploading') : t('afest.evaluation.attachmentHint')}</p>
          </div>
          <ErrorBanner error={uploadError} title={t('afest.evaluation.uploadRefused')} />
          {attachments.length > 0 ? (
            <ul className="afest-attachments" aria-live="polite">
              {attachments.map((f) => (
                <li key={f.id}>
                  <span className="afest-attachment-name">{f.name}</span>
                  <span className="cell-sub">{t('afest.evaluation.size', { kb: Math.max(1, Math.round(f.size / 1024)) })} · SHA-256 <span className="mono" title={f.sha256}>{shortHash(f.sha256)}</span></span>
                  <button type="button" className="btn btn-small btn-ghost" onClick={() => setAttachments((prev) => prev.filter((x) => x.id !== f.id))}>
                    {t('afest.evaluation.removeAttachment')}<span className="visually-hidden"> — {f.name}</span>
                  </button>
                </li>
              ))}
            </ul>
          ) : null}
        </fieldset>

        <details className="afest-eval-signatures">
          <summary>{t('afest.evaluation.signatures')}</summary>
          <div className="grid grid-2">
            <SignatureField label={t('afest.sequence.learnerSignature', { name: page.trainee.name })} hint={t('afest.sequence.padHint')} onChange={setLearnerSig} height={150} />
            <SignatureField key={v.evaluatorKind} label={t('afest.evaluation.evaluatorSignature', { name: evaluatorName(v.evaluatorKind) })} hint={t('afest.sequence.padHint')} onChange={setEvaluatorSig} height={150} />
          </div>
        </details>

        <div className="form-footer">
          <p className="muted">{t('afest.evaluation.footer')}</p>
          <div className="button-row">
            <button type="button" className="btn btn-ghost" onClick={onClose}>{t('common.cancel')}</button>
            <SubmitButton busy={isSubmitting}>{t('afest.evaluation.save')}</SubmitButton>
          </div>
        </div>
      </form>
    </EditorPanel>
  );
}
