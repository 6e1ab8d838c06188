import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { TRAINER_KINDS, trainerInput, type Trainer } from '../../../shared/schemas/people';
import { api } from '../api';
import { EditorPanel, useEditor } from '../components/EditorPanel';
import { Field } from '../components/Field';
import { EmptyState, ErrorBanner, Loading, SubmitButton, SuccessBanner } from '../components/Feedback';
import { PageHeader } from '../components/Layout';
import { formResolver, orNull, useSubmitState } from '../lib/forms';
import { fullName, initials } from '../lib/format';
import { useQuery } from '../lib/useQuery';

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
  const query = useQuery(() => api['trainers.list'](), []);
  const editor = useEditor<Trainer>();
  const [notice, setNotice] = useState<string | null>(null);
  const rows = query.data ?? [];
  return (
    <div aria-busy={query.loading}>
      <PageHeader title={t('trainers.title')} intro={t('trainers.intro')}>
        <button type="button" className="btn btn-primary" onClick={() => { setNotice(null); editor.openNew(); }}>{t('trainers.new')}</button>
      </PageHeader>
      <ErrorBanner error={query.error} />
      {editor.open ? (
        <TrainerEditor
          key={editor.record?.id ?? 'new'}
          trainer={editor.record}
          onClose={editor.close}
          onSaved={async (tr) => {
            editor.close();
            setNotice(t('trainers.saved', { name: `${tr.firstName} ${tr.lastName}` }));
            await query.reload();
          }}
        />
      ) : null}
      <SuccessBanner>{notice}</SuccessBanner>
      <section className="panel" aria-labelledby="trainers-list-title">
        <h2 id="trainers-list-title">{t('trainers.listTitle', { count: rows.length })}</h2>
        {query.loading && !query.data ? <Loading /> : null}
        {query.data && rows.length === 0 ? <EmptyState>{t('trainers.empty')}</EmptyState> : null}
        {rows.length > 0 ? (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('trainers.columns.name')}</th>
                  <th scope="col">{t('trainers.fields.kind')}</th>
                  <th scope="col">{t('trainers.fields.email')}</th>
                  <th scope="col">{t('trainers.fields.phone')}</th>
                  <th scope="col"><span className="visually-hidden">{t('common.actions')}</span></th>
                </tr>
              </thead>
              <tbody>
                {rows.map((tr) => (
                  <tr key={tr.id}>
                    <th scope="row" className="cell-title">
                      <span className="initials" aria-hidden="true">{initials(tr)}</span> {fullName(tr)}
                    </th>
                    <td>{t(`trainerKinds.${tr.kind}`)}</td>
                    <td>{tr.email ?? '—'}</td>
                    <td>{tr.phone ?? '—'}</td>
                    <td className="cell-actions">
                      <button type="button" className="btn btn-small btn-secondary" onClick={() => { setNotice(null); editor.openEdit(tr); }}>
                        {t('common.edit')}<span className="visually-hidden"> {fullName(tr)}</span>
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

function TrainerEditor({ trainer, onClose, onSaved }: { trainer: Trainer | null; onClose: () => void; onSaved: (t: Trainer) => Promise<void> }) {
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
          <SubmitButton busy={isSubmitting}>{trainer ? t('common.saveChanges') : t('trainers.create')}</SubmitButton>
        </div>
      </form>
    </EditorPanel>
  );
}
