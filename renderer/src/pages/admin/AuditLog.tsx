import { useMemo, useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../../../shared/errors';
import { auditFilter } from '../../../../shared/schemas/accounts';
import { AUDIT_ACTIONS, AUDIT_OUTCOMES, type AuditAction, type AuditEvent, type AuditOutcome } from '../../../../shared/schemas/audit';
import { api, asApiError } from '../../api';
import { DataTable, type DataColumn } from '../../components/DataTable';
import { DateInput } from '../../components/DateInput';
import { Field } from '../../components/Field';
import { EmptyState, ErrorBanner, Loading, SuccessBanner } from '../../components/Feedback';
import { PageHeader } from '../../components/Layout';
import { downloadText } from '../../lib/files';
import { formatDateTime } from '../../lib/format';
import { formResolver } from '../../lib/forms';
import { auditActionLabel, auditOutcomeLabel } from '../../lib/labels';
import { useTimeZone } from '../../lib/timeZone';
import { useQuery } from '../../lib/useQuery';
import '../../accounts.css';

/** Events per page: « Plus d'événements » asks for the next ones, older than the last shown. */
const PAGE = 100;

interface FilterValues {
  from: string;
  to: string;
  userId: string;
  action: '' | AuditAction;
  outcome: '' | AuditOutcome;
}
const EMPTY: FilterValues = { from: '', to: '', userId: '', action: '', outcome: '' };

/** The screen's filter as the API's: empty fields left out. */
function toFilter(v: FilterValues) {
  return {
    ...(v.from ? { from: v.from } : {}),
    ...(v.to ? { to: v.to } : {}),
    ...(v.userId ? { userId: v.userId } : {}),
    ...(v.action ? { action: v.action } : {}),
    ...(v.outcome ? { outcome: v.outcome } : {}),
  };
}
type Filter = ReturnType<typeof toFilter>;

/**
 * « Journal d'audit » (administrators): who did what and when — sign-ins and their failures, locks, account changes,
 * refusals, exports… — newest first, filtered by days (in the organisation's time zone, like the times shown), account,
 * action and outcome; « Plus d'événements » pages back in time; « Exporter en CSV » downloads the filtered log as the
 * backend writes it (and logs the export itself).
 */
export function AuditLogPage() {
  const { t } = useTranslation();
  const zone = useTimeZone();
  const accounts = useQuery(() => api['accounts.list'](), []);
  const [filter, setFilter] = useState<Filter>({});
  const [extra, setExtra] = useState<{ events: AuditEvent[]; more: boolean } | null>(null);
  const [paging, setPaging] = useState(false);
  const [exporting, setExporting] = useState(false);
  const [actionError, setActionError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const first = useQuery(async () => {
    setExtra(null);
    return api['audit.list']({ ...filter, limit: PAGE });
  }, [filter]);
  const events = useMemo(() => [...(first.data?.events ?? []), ...(extra?.events ?? [])], [first.data, extra]);
  const more = extra ? extra.more : (first.data?.more ?? false);

  const form = useForm<FilterValues>({
    defaultValues: EMPTY,
    resolver: formResolver<FilterValues>(auditFilter, toFilter, {
      check: (v) => ({ to: v.from && v.to && v.to < v.from ? t('audit.toBeforeFrom') : undefined }),
    }),
  });
  const { register, control, reset, formState: { errors } } = form;
  const apply = form.handleSubmit((v) => {
    setNotice(null);
    setFilter(toFilter(v));
  });

  async function loadMore() {
    const last = events.at(-1);
    if (!last) return;
    setPaging(true);
    setActionError(null);
    try {
      const next = await api['audit.list']({ ...filter, limit: PAGE, before: last.at, beforeId: last.id });
      setExtra({ events: [...(extra?.events ?? []), ...next.events], more: next.more });
    } catch (e) {
      setActionError(asApiError(e));
    } finally {
      setPaging(false);
    }
  }

  async function exportCsv() {
    setExporting(true);
    setActionError(null);
    setNotice(null);
    try {
      const file = await api['audit.exportCsv'](filter);
      downloadText(file.fileName, file.csv);
      setNotice(t('audit.exported', { count: file.count, name: file.fileName }));
    } catch (e) {
      setActionError(asApiError(e));
    } finally {
      setExporting(false);
    }
  }

  const columns = useMemo<DataColumn<AuditEvent>[]>(
    () => [
      { id: 'at', header: t('audit.columns.at'), value: (e) => e.at, cell: (e) => <span className="nowrap">{formatDateTime(e.at, zone, true)}</span>, rowHeader: true },
      {
        id: 'who',
        header: t('audit.columns.who'),
        value: (e) => e.userName ?? e.login,
        cell: (e) => (
          <>
            {e.userName ?? (e.login ? <span className="mono">{e.login}</span> : '—')}
            {e.userName && e.login ? <span className="cell-sub mono">{e.login}</span> : null}
          </>
        ),
      },
      { id: 'action', header: t('audit.columns.action'), value: (e) => auditActionLabel(e.action) },
      {
        id: 'outcome',
        header: t('audit.columns.outcome'),
        value: (e) => auditOutcomeLabel(e.outcome),
        cell: (e) => <span className={`badge audit-${e.outcome}`}>{auditOutcomeLabel(e.outcome)}</span>,
      },
      { id: 'summary', header: t('audit.columns.summary'), value: (e) => e.summary, className: 'audit-summary', noSort: true },
    ],
    [t, zone],
  );

  return (
    <div aria-busy={first.loading || paging}>
      <PageHeader title={t('audit.title')} intro={t('audit.intro')}>
        <button type="button" className="btn btn-secondary" onClick={() => void exportCsv()} disabled={exporting} aria-busy={exporting || undefined}>
          {exporting ? <span className="spinner spinner-small spinner-dark" aria-hidden="true" /> : null}
          {t('audit.export')}
        </button>
      </PageHeader>
      <section className="panel" aria-labelledby="audit-filter-title">
        <h2 id="audit-filter-title">{t('audit.filterTitle')}</h2>
        <form className="form audit-filter" onSubmit={(e) => void apply(e)} noValidate>
          <div className="grid grid-5">
            <Field label={t('audit.fields.from')} error={errors.from}>
              {(p) => <Controller control={control} name="from" render={({ field }) => <DateInput {...p} {...field} />} />}
            </Field>
            <Field label={t('audit.fields.to')} error={errors.to}>
              {(p) => <Controller control={control} name="to" render={({ field }) => <DateInput {...p} {...field} />} />}
            </Field>
            <Field label={t('audit.fields.account')} error={errors.userId}>
              {(p) => (
                <select {...p} {...register('userId')}>
                  <option value="">{t('audit.all')}</option>
                  {(accounts.data ?? []).map((a) => <option key={a.id} value={a.id}>{`${a.name} (${a.login})`}</option>)}
                </select>
              )}
            </Field>
            <Field label={t('audit.fields.action')} error={errors.action}>
              {(p) => (
                <select {...p} {...register('action')}>
                  <option value="">{t('audit.all')}</option>
                  {AUDIT_ACTIONS.map((a) => <option key={a} value={a}>{auditActionLabel(a)}</option>)}
                </select>
              )}
            </Field>
            <Field label={t('audit.fields.outcome')} error={errors.outcome}>
              {(p) => (
                <select {...p} {...register('outcome')}>
                  <option value="">{t('audit.all')}</option>
                  {AUDIT_OUTCOMES.map((o) => <option key={o} value={o}>{auditOutcomeLabel(o)}</option>)}
                </select>
              )}
            </Field>
          </div>
          <div className="button-row audit-filter-buttons">
            <button type="submit" className="btn btn-primary">{t('audit.apply')}</button>
            <button type="button" className="btn btn-ghost" onClick={() => { reset(EMPTY); setNotice(null); setFilter({}); }}>{t('audit.clear')}</button>
          </div>
        </form>
      </section>
      <ErrorBanner error={first.error ?? accounts.error ?? actionError} />
      <SuccessBanner>{notice}</SuccessBanner>
      <section className="panel" aria-labelledby="audit-list-title">
        <h2 id="audit-list-title">{t('audit.listTitle', { count: events.length })}</h2>
        {first.loading && !first.data ? <Loading /> : null}
        {first.data ? (
          <DataTable<AuditEvent>
            id="audit-table"
            rows={events}
            columns={columns}
            rowKey={(e) => e.id}
            labelledBy="audit-list-title"
            regionLabel={t('audit.tableRegion')}
            empty={<EmptyState>{Object.keys(filter).length ? t('audit.noMatch') : t('audit.empty')}</EmptyState>}
          />
        ) : null}
        {more ? (
          <p className="audit-more">
            <button type="button" className="btn btn-secondary" onClick={() => void loadMore()} disabled={paging} aria-busy={paging || undefined}>
              {paging ? <span className="spinner spinner-small spinner-dark" aria-hidden="true" /> : null}
              {t('audit.more')}
            </button>
          </p>
        ) : null}
      </section>
    </div>
  );
}
