import { useMemo, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { ATTENDANCE_CATEGORIES } from '../../../../shared/domain/realised-hours';
import { attendanceKindInput, type AttendanceKind } from '../../../../shared/schemas/attendance';
import { api } from '../../api';
import { DataTable, type DataColumn } from '../../components/DataTable';
import { EditorPanel, useEditor } from '../../components/EditorPanel';
import { CheckField, Field } from '../../components/Field';
import { ErrorBanner, Loading, SubmitButton, SuccessBanner } from '../../components/Feedback';
import { PageHeader } from '../../components/Layout';
import { formResolver, useSubmitState } from '../../lib/forms';
import { useQuery } from '../../lib/useQuery';
import { LockSettings } from '../admin/LockSettings';
import '../../attendance.css';

interface KindForm {
  code: string;
  label: string;
  category: (typeof ATTENDANCE_CATEGORIES)[number];
  active: boolean;
  sort: string;
}

function toInput(v: KindForm) {
  return { code: v.code.trim(), label: v.label, category: v.category, active: v.active, sort: v.sort.trim() === '' ? 50 : Number(v.sort) };
}

/**
 * « Paramètres »: the configurable set of attendance statuses (like Moodle's): label, category (what the
 * realised-hours engine does with it), order on the roll-call screen, and whether it is offered.
 */
export function SettingsPage() {
  const { t } = useTranslation();
  const query = useQuery(() => api['attendance.kinds'](), []);
  const editor = useEditor<AttendanceKind>();
  const [notice, setNotice] = useState<string | null>(null);
  const kinds = query.data ?? [];
  const columns = useMemo<DataColumn<AttendanceKind>[]>(
    () => [
      { id: 'label', header: t('attendance.settings.columns.label'), value: (k) => k.label, rowHeader: true },
      {
        id: 'category',
        header: t('attendance.settings.columns.category'),
        value: (k) => t(`attendance.categories.${k.category}`),
        cell: (k) => <span className={`badge status-badge tone-${k.category}`}>{t(`attendance.categories.${k.category}`)}</span>,
      },
      { id: 'sort', header: t('attendance.settings.columns.sort'), num: true, value: (k) => k.sort },
      {
        id: 'active',
        header: t('attendance.settings.columns.active'),
        value: (k) => (k.active ? t('attendance.settings.activeYes') : t('attendance.settings.activeNo')),
        cell: (k) => (k.active ? t('attendance.settings.activeYes') : <span className="muted">{t('attendance.settings.activeNo')}</span>),
      },
    ],
    [t],
  );
  return (
    <div aria-busy={query.loading}>
      <PageHeader title={t('attendance.settings.title')} intro={t('attendance.settings.intro')}>
        <button type="button" className="btn btn-primary" onClick={() => { setNotice(null); editor.openNew(); }}>{t('attendance.settings.new')}</button>
      </PageHeader>
      <ErrorBanner error={query.error} title={t('attendance.loadError')} />
      <SuccessBanner>{notice}</SuccessBanner>
      {editor.open ? (
        <KindEditor
          key={editor.record?.code ?? 'new'}
          kind={editor.record}
          onClose={editor.close}
          onSaved={async (saved) => {
            editor.close();
            setNotice(t('attendance.settings.saved', { label: saved.label }));
            await query.reload();
          }}
        />
      ) : null}
      <section className="panel" aria-labelledby="kinds-title">
        <div className="panel-header">
          <div>
            <h2 id="kinds-title">{t('attendance.settings.kindsTitle', { count: kinds.length })}</h2>
            <p className="muted">{t('attendance.settings.kindsHelp')}</p>
          </div>
        </div>
        {query.loading && !query.data ? <Loading /> : null}
        {kinds.length ? (
          <DataTable
            rows={kinds}
            columns={columns}
            rowKey={(k) => k.code}
            labelledBy="kinds-title"
            rowClassName={(k) => (editor.record?.code === k.code ? 'is-current' : undefined)}
            exportName="sillon-statuts-de-presence"
            actions={(k) => (
              <button type="button" className="btn btn-small btn-secondary" onClick={() => { setNotice(null); editor.openEdit(k); }}>
                {t('common.edit')}
                <span className="visually-hidden"> — {k.label}</span>
              </button>
            )}
          />
        ) : null}
      </section>
      <LockSettings />
    </div>
  );
}

function KindEditor({ kind, onClose, onSaved }: { kind: AttendanceKind | null; onClose: () => void; onSaved: (k: AttendanceKind) => Promise<void> }) {
  const { t } = useTranslation();
  const form = useForm<KindForm>({
    defaultValues: kind
      ? { code: kind.code, label: kind.label, category: kind.category, active: kind.active, sort: String(kind.sort) }
      : { code: '', label: '', category: 'present', active: true, sort: '50' },
    resolver: formResolver<KindForm>(attendanceKindInput, toInput),
  });
  const submit = useSubmitState(form);
  const { register, formState: { errors, isSubmitting } } = form;
  const save = form.handleSubmit((v) => submit.run(async () => onSaved(await api['attendance.saveKind'](toInput(v)))), submit.invalid);
  return (
    <EditorPanel title={kind ? t('attendance.settings.editTitle', { label: kind.label }) : t('attendance.settings.newTitle')} onClose={onClose}>
      <form className="form" onSubmit={(e) => void save(e)} noValidate>
        <p className="form-note">{t('common.requiredNote')}</p>
        <ErrorBanner error={submit.error} />
        <div className="grid grid-3">
          <Field label={t('attendance.settings.fields.label')} error={errors.label} required>
            {(p) => <input {...p} type="text" maxLength={60} {...register('label')} />}
          </Field>
          <Field label={t('attendance.settings.fields.code')} error={errors.code} required hint={kind ? t('attendance.settings.hints.codeFixed') : t('attendance.settings.hints.code')}>
            {(p) => <input {...p} type="text" maxLength={40} autoComplete="off" readOnly={Boolean(kind)} {...register('code')} />}
          </Field>
          <Field label={t('attendance.settings.fields.category')} error={errors.category} required hint={t('attendance.settings.hints.category')}>
            {(p) => (
              <select {...p} {...register('category')}>
                {ATTENDANCE_CATEGORIES.map((c) => (
                  <option key={c} value={c}>{t(`attendance.categories.${c}`)}</option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('attendance.settings.fields.sort')} error={errors.sort} hint={t('attendance.settings.hints.sort')}>
            {(p) => <input {...p} type="number" step={1} inputMode="numeric" {...register('sort')} />}
          </Field>
          <div className="span-2">
            <CheckField label={t('attendance.settings.fields.active')} hint={t('attendance.settings.hints.active')}>
              {(p) => <input {...p} type="checkbox" {...register('active')} />}
            </CheckField>
          </div>
        </div>
        <div className="form-footer">
          <button type="button" className="btn btn-ghost" onClick={onClose}>{t('common.cancel')}</button>
          <SubmitButton busy={isSubmitting}>{kind ? t('common.saveChanges') : t('attendance.settings.create')}</SubmitButton>
        </div>
      </form>
    </EditorPanel>
  );
}
