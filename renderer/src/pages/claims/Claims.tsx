import { useMemo, useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { CLAIM_STATUSES, type ClaimStatus } from '../../../../shared/schemas/funding';
import { claimRequestInput } from '../../../../shared/contract/claims';
import type { MethodOutput } from '../../../../shared/contract';
import { api } from '../../api';
import { DataTable, type DataColumn } from '../../components/DataTable';
import { DateInput } from '../../components/DateInput';
import { EditorPanel } from '../../components/EditorPanel';
import { Field } from '../../components/Field';
import { EmptyState, ErrorBanner, Loading, SubmitButton } from '../../components/Feedback';
import { PageHeader } from '../../components/Layout';
import { formResolver, orNull, useSubmitState } from '../../lib/forms';
import { formatDate } from '../../lib/format';
import { useQuery } from '../../lib/useQuery';
import { formatCents } from '../../../../shared/format/money';
import '../../claims.css';

type ClaimSummary = MethodOutput<'claims.list'>['claims'][number];

/** The status as a coloured badge with its words (colour is never the only sign). */
export function ClaimStatusBadge({ status }: { status: ClaimStatus }) {
  const { t } = useTranslation();
  return <span className={`badge claim-status claim-status-${status}`}>{t(`claims.statuses.${status}`)}</span>;
}

/**
 * « Demandes de paiement »: every claim with its funder, period, status and total, filtered by funder,
 * period and status, with the total of what is shown; « Nouvelle demande » computes one and opens it.
 */
export function ClaimsPage() {
  const { t } = useTranslation();
  const [funderCode, setFunderCode] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [status, setStatus] = useState<ClaimStatus | ''>('');
  const [creating, setCreating] = useState(false);
  const iso = (v: string) => (/^\d{4}-\d{2}-\d{2}$/.test(v) ? v : undefined);
  const query = useQuery(
    () => api['claims.list']({ ...(funderCode ? { funderCode } : {}), ...(iso(from) ? { from } : {}), ...(iso(to) ? { to } : {}), ...(status ? { status } : {}) }),
    [funderCode, from, to, status],
  );
  const funders = useQuery(() => api['funders.list'](), []);
  const rows = useMemo(() => query.data?.claims ?? [], [query.data]);
  const columns = useMemo<DataColumn<ClaimSummary>[]>(
    () => [
      {
        id: 'funder',
        header: t('claims.columns.claim'),
        value: (c) => c.funderName,
        rowHeader: true,
        cell: (c) => (
          <>
            <Link to={`/demandes/${c.id}`}>{c.kind === 'regularisation' ? t('claims.regularisationOf', { funder: c.funderName }) : c.funderName}</Link>
            {c.purchaseOrder ? <span className="cell-sub">{t('claims.purchaseOrderShort', { po: c.purchaseOrder })}</span> : null}
          </>
        ),
      },
      {
        id: 'period',
        header: t('claims.columns.period'),
        value: (c) => c.from,
        exportValue: (c) => t('common.dateRange', { from: formatDate(c.from), to: formatDate(c.to) }),
        cell: (c) => <><span className="nowrap">{formatDate(c.from)} →</span> <span className="nowrap">{formatDate(c.to)}</span></>,
      },
      { id: 'status', header: t('claims.columns.status'), value: (c) => CLAIM_STATUSES.indexOf(c.status), exportValue: (c) => t(`claims.statuses.${c.status}`), cell: (c) => <ClaimStatusBadge status={c.status} /> },
      { id: 'invoice', header: t('claims.columns.invoice'), value: (c) => c.invoiceNumber },
      {
        id: 'preflight',
        header: t('claims.columns.preflight'),
        value: (c) => c.blockerCount,
        cell: (c) => (c.status !== 'draft' ? '—' : c.blockerCount > 0 ? <span className="claim-blockers">{t('claims.blockerCount', { count: c.blockerCount })}</span> : t('claims.ready')),
        exportValue: (c) => (c.status !== 'draft' ? '' : c.blockerCount),
      },
      { id: 'lines', header: t('claims.columns.lines'), num: true, value: (c) => c.lineCount },
      { id: 'total', header: t('claims.columns.total'), num: true, value: (c) => c.totalCents, cell: (c) => formatCents(c.totalCents), exportValue: (c) => c.totalCents / 100 },
    ],
    [t],
  );
  return (
    <div>
      <PageHeader title={t('claims.title')} intro={t('claims.intro')}>
        <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>{t('claims.new')}</button>
      </PageHeader>
      <ErrorBanner error={query.error ?? funders.error} />
      {creating && funders.data ? <NewClaim funders={funders.data.filter((f) => f.active)} onClose={() => setCreating(false)} /> : null}
      <section className="panel" aria-labelledby="claims-list-title" aria-busy={query.loading}>
        <div className="panel-header">
          <h2 id="claims-list-title">{t('claims.listTitle', { count: rows.length })}</h2>
        </div>
        <div className="claims-filters" role="group" aria-label={t('claims.filters')}>
          <div className="field">
            <label htmlFor="claims-funder">{t('claims.fields.funder')}</label>
            <select id="claims-funder" value={funderCode} onChange={(e) => setFunderCode(e.target.value)}>
              <option value="">{t('claims.allFunders')}</option>
              {(funders.data ?? []).map((f) => <option key={f.code} value={f.code}>{f.name}</option>)}
            </select>
          </div>
          <div className="field">
            <label htmlFor="claims-from">{t('claims.filterFrom')}</label>
            <DateInput id="claims-from" value={from} onChange={setFrom} />
          </div>
          <div className="field">
            <label htmlFor="claims-to">{t('claims.filterTo')}</label>
            <DateInput id="claims-to" value={to} onChange={setTo} />
          </div>
          <div className="field">
            <label htmlFor="claims-status">{t('claims.columns.status')}</label>
            <select id="claims-status" value={status} onChange={(e) => setStatus(e.target.value as ClaimStatus | '')}>
              <option value="">{t('claims.allStatuses')}</option>
              {CLAIM_STATUSES.map((s) => <option key={s} value={s}>{t(`claims.statuses.${s}`)}</option>)}
            </select>
          </div>
        </div>
        {query.loading && !query.data ? <Loading /> : null}
        <DataTable
          id="claims-table"
          rows={rows}
          columns={columns}
          rowKey={(c) => c.id}
          labelledBy="claims-list-title"
          exportName="sillon-demandes-de-paiement"
          empty={<EmptyState>{t('claims.empty')}</EmptyState>}
          footer={
            <>
              <th scope="row" colSpan={columns.length - 1}>{t('claims.totalOf', { count: query.data?.totals.count ?? 0 })}</th>
              <td className="num claim-total">{formatCents(query.data?.totals.totalCents ?? 0)}</td>
            </>
          }
        />
      </section>
    </div>
  );
}

interface NewClaimForm {
  funderCode: string;
  programmeId: string;
  contractId: string;
  purchaseOrder: string;
  from: string;
  to: string;
}

const toRequest = (v: NewClaimForm) => ({
  funderCode: v.funderCode,
  programmeId: v.programmeId || null,
  contractId: v.contractId || null,
  purchaseOrder: orNull(v.purchaseOrder),
  from: v.from,
  to: v.to,
});

/** Funder, its programme, purchase order or contract, the period: computed in one step, then opened. */
function NewClaim({ funders, onClose }: { funders: MethodOutput<'funders.list'>; onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const form = useForm<NewClaimForm>({
    defaultValues: { funderCode: '', programmeId: '', contractId: '', purchaseOrder: '', from: '', to: '' },
    resolver: formResolver<NewClaimForm>(claimRequestInput, toRequest, { check: (v) => (v.funderCode ? {} : { funderCode: t('claims.chooseFunder') }) }),
  });
  const submit = useSubmitState(form);
  const { register, watch, formState: { errors, isSubmitting } } = form;
  const funderCode = watch('funderCode');
  const programmes = useQuery(async () => (funderCode ? api['programmes.list']({ funderCode }) : []), [funderCode]);
  const contracts = useQuery(async () => (funderCode ? api['contracts.list']({ funderCode }) : []), [funderCode]);
  const save = form.handleSubmit(
    (v) => submit.run(async () => {
      const page = await api['claims.build'](toRequest(v));
      navigate(`/demandes/${page.claim.id}`);
    }),
    submit.invalid,
  );
  return (
    <EditorPanel title={t('claims.newTitle')} onClose={onClose} dirty={form.formState.isDirty && !isSubmitting}>
      <form className="form" onSubmit={(e) => void save(e)} noValidate aria-busy={isSubmitting || undefined}>
        <p className="form-note">{t('common.requiredNote')}</p>
        <ErrorBanner error={submit.error} />
        <div className="grid grid-3">
          <Field label={t('claims.fields.funder')} error={errors.funderCode} required>
            {(p) => (
              <select {...p} {...register('funderCode', { onChange: () => { form.setValue('programmeId', ''); form.setValue('contractId', ''); } })}>
                <option value="">{t('common.choose')}</option>
                {funders.map((f) => <option key={f.code} value={f.code}>{f.name}</option>)}
              </select>
            )}
          </Field>
          <Field label={t('claims.fields.programme')} error={errors.programmeId} hint={t('claims.hints.programme')}>
            {(p) => (
              <select {...p} {...register('programmeId')}>
                <option value="">{t('claims.allProgrammes')}</option>
                {(programmes.data ?? []).map((pr) => <option key={pr.id} value={pr.id}>{`${pr.name} (${pr.code})`}</option>)}
              </select>
            )}
          </Field>
          <Field label={t('claims.fields.purchaseOrder')} error={errors.purchaseOrder} hint={t('claims.hints.purchaseOrder')}>
            {(p) => <input {...p} type="text" {...register('purchaseOrder')} />}
          </Field>
          <Field label={t('claims.fields.contract')} error={errors.contractId}>
            {(p) => (
              <select {...p} {...register('contractId')}>
                <option value="">{t('claims.allContracts')}</option>
                {(contracts.data ?? []).map((c) => <option key={c.id} value={c.id}>{`${c.apprenticeName} — ${c.diploma}`}</option>)}
              </select>
            )}
          </Field>
          <Field label={t('claims.fields.from')} error={errors.from} required>
            {(p) => <Controller control={form.control} name="from" render={({ field }) => <DateInput {...p} {...field} />} />}
          </Field>
          <Field label={t('claims.fields.to')} error={errors.to} required>
            {(p) => <Controller control={form.control} name="to" render={({ field }) => <DateInput {...p} {...field} />} />}
          </Field>
        </div>
        {isSubmitting ? <Loading label={t('claims.building')} /> : null}
        <div className="form-footer">
          <button type="button" className="btn btn-ghost" onClick={onClose}>{t('common.cancel')}</button>
          <SubmitButton busy={isSubmitting}>{t('claims.build')}</SubmitButton>
        </div>
      </form>
    </EditorPanel>
  );
}
