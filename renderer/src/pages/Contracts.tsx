import { useMemo, useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { eurosInput, formatCents, parseEuros } from '../../../shared/format/money';
import { contractInput, ruptureInput, type ApprenticeshipContract } from '../../../shared/schemas/funding-lines';
import { api } from '../api';
import { DataTable, type DataColumn } from '../components/DataTable';
import { DateInput } from '../components/DateInput';
import { EditorPanel, useEditor } from '../components/EditorPanel';
import { Field } from '../components/Field';
import { EmptyState, ErrorBanner, Loading, SubmitButton, SuccessBanner } from '../components/Feedback';
import { PageHeader } from '../components/Layout';
import { formResolver, orNull, useSubmitState } from '../lib/forms';
import { formatDate } from '../lib/format';
import { useQuery } from '../lib/useQuery';

async function loadChoices() {
  const [funders, companies, places, sessions] = await Promise.all([api['funders.list'](), api['companies.list']({}), api['places.list']({}), api['sessions.list']({})]);
  return { funders, companies, places, sessions };
}
type Choices = Awaited<ReturnType<typeof loadChoices>>;

/**
 * Apprenticeship contracts: apprentice (an enrolment), employer, diploma and RNCP code, dates, OPCO and its
 * programme, the yearly coût contrat (NPEC, typed in euros), the training site and the Region's majoration
 * programme; filtered by funder; a rupture is recorded with its date and reason.
 */
export function ContractsPage() {
  const { t } = useTranslation();
  const [funderCode, setFunderCode] = useState('');
  const query = useQuery(() => api['contracts.list'](funderCode ? { funderCode } : {}), [funderCode]);
  const choices = useQuery(loadChoices, []);
  const editor = useEditor<ApprenticeshipContract>();
  const [rupturing, setRupturing] = useState<ApprenticeshipContract | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const rows = useMemo(() => query.data ?? [], [query.data]);
  const columns = useMemo<DataColumn<ApprenticeshipContract>[]>(
    () => [
      { id: 'apprentice', header: t('contracts.fields.apprentice'), value: (c) => c.apprenticeName, rowHeader: true },
      { id: 'employer', header: t('contracts.fields.employer'), value: (c) => c.employerName },
      { id: 'diploma', header: t('contracts.fields.diploma'), value: (c) => `${c.diploma} (${c.rncpCode})` },
      { id: 'funder', header: t('contracts.fields.funder'), value: (c) => c.funderName },
      {
        id: 'dates',
        header: t('contracts.columns.dates'),
        value: (c) => c.startDate,
        exportValue: (c) => t('common.dateRange', { from: formatDate(c.startDate), to: formatDate(c.endDate) }),
        cell: (c) => (
          <>
            <span className="nowrap">{formatDate(c.startDate)} →</span> <span className="nowrap">{formatDate(c.endDate)}</span>
            {c.ruptureDate ? <span className="cell-sub">{t('contracts.brokenOn', { date: formatDate(c.ruptureDate) })}</span> : null}
          </>
        ),
      },
      { id: 'npec', header: t('contracts.fields.npec'), num: true, value: (c) => c.npecCents, cell: (c) => formatCents(c.npecCents), exportValue: (c) => c.npecCents / 100 },
    ],
    [t],
  );
  const reload = async (message: string) => {
    setNotice(message);
    await query.reload();
  };
  return (
    <div>
      <PageHeader title={t('contracts.title')} intro={t('contracts.intro')}>
        <button type="button" className="btn btn-primary" onClick={() => { setNotice(null); setRupturing(null); editor.openNew(); }}>{t('contracts.new')}</button>
      </PageHeader>
      <SuccessBanner>{notice}</SuccessBanner>
      <ErrorBanner error={query.error ?? choices.error} />
      {editor.open && choices.data ? (
        <ContractEditor
          key={editor.record?.id ?? 'new'}
          contract={editor.record}
          choices={choices.data}
          onClose={editor.close}
          onSaved={async (c) => { editor.close(); await reload(t('contracts.saved', { name: c.apprenticeName })); }}
        />
      ) : null}
      {rupturing ? (
        <RuptureForm key={rupturing.id} contract={rupturing} onClose={() => setRupturing(null)} onSaved={async (c) => { setRupturing(null); await reload(t('contracts.ruptureSaved', { name: c.apprenticeName, date: formatDate(c.ruptureDate) })); }} />
      ) : null}
      <section className="panel" aria-labelledby="contracts-list-title" aria-busy={query.loading}>
        <div className="panel-header">
          <h2 id="contracts-list-title">{t('contracts.listTitle', { count: rows.length })}</h2>
          <div className="field field-inline">
            <label htmlFor="contracts-funder">{t('contracts.filterFunder')}</label>
            <select id="contracts-funder" value={funderCode} onChange={(e) => setFunderCode(e.target.value)}>
              <option value="">{t('contracts.allFunders')}</option>
              {(choices.data?.funders ?? []).map((f) => <option key={f.code} value={f.code}>{f.name}</option>)}
            </select>
          </div>
        </div>
        {query.loading && !query.data ? <Loading /> : null}
        <DataTable
          id="contracts-table"
          rows={rows}
          columns={columns}
          rowKey={(c) => c.id}
          labelledBy="contracts-list-title"
          exportName="sillon-contrats-apprentissage"
          rowClassName={(c) => (editor.record?.id === c.id || rupturing?.id === c.id ? 'is-current' : undefined)}
          empty={<EmptyState>{t('contracts.empty')}</EmptyState>}
          actions={(c) => (
            <>
              <button type="button" className="btn btn-small btn-secondary" onClick={() => { setNotice(null); setRupturing(null); editor.openEdit(c); }}>
                {t('common.edit')}<span className="visually-hidden"> — {c.apprenticeName}</span>
              </button>{' '}
              {c.ruptureDate ? null : (
                <button type="button" className="btn btn-small btn-secondary" onClick={() => { setNotice(null); editor.close(); setRupturing(c); }}>
                  {t('contracts.rupture')}<span className="visually-hidden"> — {c.apprenticeName}</span>
                </button>
              )}
            </>
          )}
        />
      </section>
    </div>
  );
}

interface ContractForm {
  sessionId: string;
  enrolmentId: string;
  employerId: string;
  contractNumber: string;
  diploma: string;
  rncpCode: string;
  startDate: string;
  endDate: string;
  funderCode: string;
  programmeId: string;
  npec: string;
  majorationProgrammeId: string;
  placeId: string;
}

const toForm = (c: ApprenticeshipContract | null): ContractForm => ({
  sessionId: c?.sessionId ?? '',
  enrolmentId: c?.enrolmentId ?? '',
  employerId: c?.employerId ?? '',
  contractNumber: c?.contractNumber ?? '',
  diploma: c?.diploma ?? '',
  rncpCode: c?.rncpCode ?? '',
  startDate: c?.startDate ?? '',
  endDate: c?.endDate ?? '',
  funderCode: c?.funderCode ?? '',
  programmeId: c?.programmeId ?? '',
  npec: c ? eurosInput(c.npecCents) : '',
  majorationProgrammeId: c?.majorationProgrammeId ?? '',
  placeId: c?.placeId ?? '',
});

const toInput = (v: ContractForm, id?: string) => ({
  ...(id ? { id } : {}),
  enrolmentId: v.enrolmentId,
  employerId: v.employerId,
  contractNumber: orNull(v.contractNumber),
  diploma: v.diploma,
  rncpCode: v.rncpCode,
  startDate: v.startDate,
  endDate: v.endDate,
  funderCode: v.funderCode,
  programmeId: v.programmeId || null,
  npecCents: parseEuros(v.npec),
  majorationProgrammeId: v.majorationProgrammeId || null,
  placeId: v.placeId || null,
});

function ContractEditor({ contract, choices, onClose, onSaved }: { contract: ApprenticeshipContract | null; choices: Choices; onClose: () => void; onSaved: (c: ApprenticeshipContract) => Promise<void> }) {
  const { t } = useTranslation();
  const form = useForm<ContractForm>({
    defaultValues: toForm(contract),
    resolver: formResolver<ContractForm>(contractInput, (v) => toInput(v, contract?.id), {
      fieldOf: (p) => (p === 'npecCents' ? 'npec' : p),
      check: (v) => ({ ...(v.sessionId ? {} : { sessionId: t('contracts.chooseSession') }), ...(v.enrolmentId ? {} : { enrolmentId: t('contracts.chooseApprentice') }) }),
    }),
  });
  const submit = useSubmitState(form, (p) => (p === 'npecCents' ? 'npec' : p));
  const { register, watch, formState: { errors, isSubmitting } } = form;
  const sessionId = watch('sessionId');
  const enrolmentId = watch('enrolmentId');
  const funderCode = watch('funderCode');
  const enrolments = useQuery(async () => (sessionId ? (await api['sessions.get']({ id: sessionId })).enrolments : []), [sessionId]);
  // The programmes to choose from come with the apprentice's funding lines (all funders' programmes).
  const programmes = useQuery(async () => (enrolmentId ? (await api['fundings.list']({ enrolmentId })).programmes : []), [enrolmentId]);
  const save = form.handleSubmit((v) => submit.run(async () => onSaved(await api['contracts.save'](toInput(v, contract?.id) as never))), submit.invalid);
  return (
    <EditorPanel title={contract ? t('contracts.editTitle', { name: contract.apprenticeName }) : t('contracts.newTitle')} onClose={onClose} dirty={form.formState.isDirty}>
      <form className="form" onSubmit={(e) => void save(e)} noValidate>
        <p className="form-note">{t('common.requiredNote')}</p>
        <ErrorBanner error={submit.error} />
        <div className="grid grid-3">
          <Field label={t('contracts.fields.session')} error={errors.sessionId} required>
            {(p) => (
              <select {...p} {...register('sessionId', { onChange: () => form.setValue('enrolmentId', '') })}>
                <option value="">{t('common.choose')}</option>
                {choices.sessions.map((s) => <option key={s.id} value={s.id}>{`${s.label} — ${s.actionTitle}`}</option>)}
              </select>
            )}
          </Field>
          <Field label={t('contracts.fields.apprentice')} error={errors.enrolmentId} required>
            {(p) => (
              <select {...p} {...register('enrolmentId')}>
                <option value="">{t('common.choose')}</option>
                {(enrolments.data ?? []).map((e) => <option key={e.id} value={e.id}>{e.traineeName}</option>)}
              </select>
            )}
          </Field>
          <Field label={t('contracts.fields.employer')} error={errors.employerId} required hint={t('contracts.hints.employer')}>
            {(p) => (
              <select {...p} {...register('employerId')}>
                <option value="">{t('common.choose')}</option>
                {choices.companies.map((c) => <option key={c.id} value={c.id}>{`${c.name} — ${c.siret}`}</option>)}
              </select>
            )}
          </Field>
          <Field label={t('contracts.fields.diploma')} error={errors.diploma} required className="span-2">
            {(p) => <input {...p} type="text" {...register('diploma')} />}
          </Field>
          <Field label={t('contracts.fields.rncpCode')} error={errors.rncpCode} required hint={t('contracts.hints.rncp')}>
            {(p) => <input {...p} type="text" {...register('rncpCode')} />}
          </Field>
          <Field label={t('contracts.fields.startDate')} error={errors.startDate} required>
            {(p) => <Controller control={form.control} name="startDate" render={({ field }) => <DateInput {...p} {...field} />} />}
          </Field>
          <Field label={t('contracts.fields.endDate')} error={errors.endDate} required>
            {(p) => <Controller control={form.control} name="endDate" render={({ field }) => <DateInput {...p} {...field} />} />}
          </Field>
          <Field label={t('contracts.fields.contractNumber')} error={errors.contractNumber}>
            {(p) => <input {...p} type="text" {...register('contractNumber')} />}
          </Field>
          <Field label={t('contracts.fields.funder')} error={errors.funderCode} required>
            {(p) => (
              <select {...p} {...register('funderCode', { onChange: () => form.setValue('programmeId', '') })}>
                <option value="">{t('common.choose')}</option>
                {choices.funders.map((f) => <option key={f.code} value={f.code}>{f.name}</option>)}
              </select>
            )}
          </Field>
          <Field label={t('contracts.fields.programme')} error={errors.programmeId}>
            {(p) => (
              <select {...p} {...register('programmeId')}>
                <option value="">{t('fundings.noProgramme')}</option>
                {(programmes.data ?? []).filter((pr) => pr.funderCode === funderCode).map((pr) => <option key={pr.id} value={pr.id}>{pr.name}</option>)}
              </select>
            )}
          </Field>
          <Field label={t('contracts.fields.npec')} error={errors.npec} required hint={t('contracts.hints.npec')}>
            {(p) => <input {...p} type="text" inputMode="decimal" {...register('npec')} />}
          </Field>
          <Field label={t('contracts.fields.place')} error={errors.placeId} hint={t('contracts.hints.place')}>
            {(p) => (
              <select {...p} {...register('placeId')}>
                <option value="">{t('contracts.noPlace')}</option>
                {choices.places.map((pl) => (
                  <option key={pl.id} value={pl.id}>{[pl.name, pl.city, pl.qpv ? 'QPV' : null, pl.zrr ? 'ZRR' : null].filter(Boolean).join(' — ')}</option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('contracts.fields.majorationProgramme')} error={errors.majorationProgrammeId}>
            {(p) => (
              <select {...p} {...register('majorationProgrammeId')}>
                <option value="">{t('fundings.noProgramme')}</option>
                {(programmes.data ?? []).map((pr) => <option key={pr.id} value={pr.id}>{pr.name}</option>)}
              </select>
            )}
          </Field>
        </div>
        {contract?.ruptureDate ? <p className="muted">{t('contracts.brokenOnReason', { date: formatDate(contract.ruptureDate), reason: contract.ruptureReason ?? '' })}</p> : null}
        <div className="form-footer">
          <button type="button" className="btn btn-ghost" onClick={onClose}>{t('common.cancel')}</button>
          <SubmitButton busy={isSubmitting}>{contract ? t('common.saveChanges') : t('contracts.create')}</SubmitButton>
        </div>
      </form>
    </EditorPanel>
  );
}

interface RuptureValues {
  date: string;
  reason: string;
}

function RuptureForm({ contract, onClose, onSaved }: { contract: ApprenticeshipContract; onClose: () => void; onSaved: (c: ApprenticeshipContract) => Promise<void> }) {
  const { t } = useTranslation();
  const toRupture = (v: RuptureValues) => ({ id: contract.id, date: v.date, reason: v.reason });
  const form = useForm<RuptureValues>({ defaultValues: { date: '', reason: '' }, resolver: formResolver<RuptureValues>(ruptureInput, toRupture) });
  const submit = useSubmitState(form);
  const { register, formState: { errors, isSubmitting } } = form;
  const save = form.handleSubmit((v) => submit.run(async () => onSaved(await api['contracts.rupture'](toRupture(v)))), submit.invalid);
  return (
    <EditorPanel title={t('contracts.ruptureTitle', { name: contract.apprenticeName })} onClose={onClose} dirty={form.formState.isDirty}>
      <p className="muted">{t('contracts.ruptureWithin', { from: formatDate(contract.startDate), to: formatDate(contract.endDate) })}</p>
      <form className="form" onSubmit={(e) => void save(e)} noValidate>
        <ErrorBanner error={submit.error} />
        <div className="grid grid-3">
          <Field label={t('contracts.fields.ruptureDate')} error={errors.date} required>
            {(p) => <Controller control={form.control} name="date" render={({ field }) => <DateInput {...p} {...field} />} />}
          </Field>
          <Field label={t('contracts.fields.ruptureReason')} error={errors.reason} required className="span-2">
            {(p) => <input {...p} type="text" {...register('reason')} />}
          </Field>
        </div>
        <div className="form-footer">
          <button type="button" className="btn btn-ghost" onClick={onClose}>{t('common.cancel')}</button>
          <SubmitButton busy={isSubmitting}>{t('contracts.recordRupture')}</SubmitButton>
        </div>
      </form>
    </EditorPanel>
  );
}
