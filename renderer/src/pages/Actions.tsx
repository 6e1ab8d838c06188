import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { actionInput, MODALITIES, NATURES, type Action, type Modality } from '../../../shared/schemas/training';
import { api } from '../api';
import { EditorPanel, useEditor } from '../components/EditorPanel';
import { Field } from '../components/Field';
import { EmptyState, ErrorBanner, Loading, SubmitButton, SuccessBanner } from '../components/Feedback';
import { PageHeader } from '../components/Layout';
import { formResolver, numberOrNull, orNull, useSubmitState } from '../lib/forms';
import { formatMinutes } from '../lib/format';
import { useQuery } from '../lib/useQuery';

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
  const query = useQuery(() => api['actions.list'](), []);
  const editor = useEditor<Action>();
  const [notice, setNotice] = useState<string | null>(null);
  const rows = query.data ?? [];
  return (
    <div aria-busy={query.loading}>
      <PageHeader title={t('actions.title')} intro={t('actions.intro')}>
        <button type="button" className="btn btn-primary" onClick={() => { setNotice(null); editor.openNew(); }}>{t('actions.new')}</button>
      </PageHeader>
      <ErrorBanner error={query.error} />
      {editor.open ? (
        <ActionEditor
          key={editor.record?.id ?? 'new'}
          action={editor.record}
          onClose={editor.close}
          onSaved={async (saved) => {
            editor.close();
            setNotice(t('actions.saved', { title: saved.title }));
            await query.reload();
          }}
        />
      ) : null}
      <SuccessBanner>{notice}</SuccessBanner>
      <section className="panel" aria-labelledby="actions-list-title">
        <h2 id="actions-list-title">{t('actions.listTitle', { count: rows.length })}</h2>
        {query.loading && !query.data ? <Loading /> : null}
        {query.data && rows.length === 0 ? <EmptyState>{t('actions.empty')}</EmptyState> : null}
        {rows.length > 0 ? (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('actions.fields.title')}</th>
                  <th scope="col">{t('actions.fields.code')}</th>
                  <th scope="col">{t('actions.fields.certificationCode')}</th>
                  <th scope="col">{t('actions.fields.level')}</th>
                  <th scope="col">{t('actions.fields.nsfCode')}</th>
                  <th scope="col" className="num">{t('actions.columns.hours')}</th>
                  <th scope="col">{t('actions.fields.modality')}</th>
                  <th scope="col"><span className="visually-hidden">{t('common.actions')}</span></th>
                </tr>
              </thead>
              <tbody>
                {rows.map((a) => (
                  <tr key={a.id}>
                    <th scope="row" className="cell-title">
                      {a.title}
                      <span className="cell-sub">{t(`natures.${a.nature}`)}</span>
                    </th>
                    <td>{a.code ?? '—'}</td>
                    <td>{a.certificationCode ?? '—'}</td>
                    <td>{a.level ?? '—'}</td>
                    <td>{a.nsfCode ?? '—'}</td>
                    <td className="num">{formatMinutes(a.plannedMinutes)}</td>
                    <td><span className={`badge badge-${a.modality}`}>{t(`modalities.${a.modality}`)}</span></td>
                    <td className="cell-actions">
                      <button type="button" className="btn btn-small btn-secondary" onClick={() => editor.openEdit(a)}>
                        {t('common.edit')}
                        <span className="visually-hidden"> {a.title}</span>
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

function ActionEditor({ action, onClose, onSaved }: { action: Action | null; onClose: () => void; onSaved: (saved: Action) => Promise<void> }) {
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
          <SubmitButton busy={isSubmitting}>{action ? t('common.saveChanges') : t('actions.create')}</SubmitButton>
        </div>
      </form>
    </EditorPanel>
  );
}
