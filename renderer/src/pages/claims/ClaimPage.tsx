import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import type { ClaimPage as ClaimPageData } from '../../../../shared/contract/claims';
import { localDateTime } from '../../../../shared/domain/dates';
import { eurosInput, parseEuros } from '../../../../shared/format/money';
import type { ApiError } from '../../../../shared/errors';
import { api, asApiError } from '../../api';
import { BarChart } from '../../components/BarChart';
import { DataTable, type DataColumn } from '../../components/DataTable';
import { EmptyState, ErrorBanner, Loading, SuccessBanner } from '../../components/Feedback';
import { PageHeader } from '../../components/Layout';
import { downloadBase64 } from '../../lib/files';
import { formatDate } from '../../lib/format';
import { useTimeZone } from '../../lib/timeZone';
import { useQuery } from '../../lib/useQuery';
import { ClaimStatusBadge } from './Claims';
import { formatCents } from '../../../../shared/format/money';
import { barsOf, formatLineQuantity, issueRoute, type ClaimIssueView, type ClaimLineView } from './claimsView';
import '../../claims.css';

type Difference = NonNullable<ClaimPageData['difference']>['lines'][number];
type Step = 'submitted' | 'accepted' | 'partly-accepted' | 'rejected' | 'paid';

/** The next steps of the workflow from a status (docs/claims.md, « Workflow »). */
const NEXT: Partial<Record<ClaimPageData['claim']['status'], Step[]>> = {
  validated: ['submitted'],
  submitted: ['accepted', 'partly-accepted', 'rejected'],
  accepted: ['paid'],
  'partly-accepted': ['paid'],
};
const WITH_AMOUNT = new Set<Step>(['partly-accepted', 'paid']);

/**
 * One claim: its header, the pre-flight (blockers, then warnings, each with a link to the record to fix),
 * its lines and a chart of the amounts, the workflow with its dated history and the next allowed steps,
 * the frozen documents and the bundle, and — once validated — the difference with today's evidence and its
 * regularisation.
 */
export function ClaimPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const query = useQuery(() => api['claims.get']({ id }), [id]);
  const page = query.data;
  const [notice, setNotice] = useState<string | null>(null);

  if (!page) {
    return (
      <div aria-busy={query.loading}>
        <PageHeader title={t('claims.pageTitle')} />
        <ErrorBanner error={query.error} />
        {query.loading ? <Loading /> : null}
        <p><Link to="/demandes">{t('claims.backToList')}</Link></p>
      </div>
    );
  }
  const c = page.claim;
  const title = c.kind === 'regularisation' ? t('claims.regularisationTitle', { funder: c.funderName }) : t('claims.claimTitle', { funder: c.funderName });
  const changed = async (message: string | null) => {
    // The page first shows the new state, then says what happened (a notice over stale figures misleads).
    setNotice(null);
    await query.reload();
    setNotice(message);
  };
  return (
    <div aria-busy={query.loading}>
      <p className="breadcrumb"><Link to="/demandes">{t('claims.backToList')}</Link></p>
      <PageHeader title={title} intro={t('common.dateRange', { from: formatDate(c.from), to: formatDate(c.to) })} />
      <SuccessBanner>{notice}</SuccessBanner>
      <ErrorBanner error={query.error} />
      <section className="panel" aria-labelledby="claim-summary-title">
        <div className="panel-header">
          <h2 id="claim-summary-title">{t('claims.summary')}</h2>
          <ClaimStatusBadge status={c.status} />
        </div>
        <dl className="facts">
          <Fact label={t('claims.fields.funder')}>{c.funderName}</Fact>
          <Fact label={t('claims.fields.programme')}>{c.programmeLabel ?? t('claims.allProgrammes')}</Fact>
          <Fact label={t('claims.columns.period')}>{t('common.dateRange', { from: formatDate(c.from), to: formatDate(c.to) })}</Fact>
          {c.purchaseOrder ? <Fact label={t('claims.fields.purchaseOrder')}>{c.purchaseOrder}</Fact> : null}
          <Fact label={t('claims.columns.status')}>{t(`claims.statuses.${c.status}`)}</Fact>
          <Fact label={t('claims.columns.total')}><span className="claim-total">{formatCents(c.totalCents)}</span></Fact>
          {c.invoiceNumber ? <Fact label={t('claims.columns.invoice')}>{c.invoiceNumber}</Fact> : null}
          {c.acceptedCents !== null ? <Fact label={t('claims.acceptedAmount')}>{formatCents(c.acceptedCents)}</Fact> : null}
          {c.paidCents !== null ? <Fact label={t('claims.paidAmount')}>{formatCents(c.paidCents)}</Fact> : null}
        </dl>
        {c.regularisesId ? (
          <p className="claim-relation"><Link to={`/demandes/${c.regularisesId}`}>{t('claims.regularisesLink')}</Link></p>
        ) : null}
        {page.regularisations.length > 0 ? (
          <ul className="claim-relation">
            {page.regularisations.map((r) => (
              <li key={r.id}>
                <Link to={`/demandes/${r.id}`}>{t('claims.regularisationLink', { amount: formatCents(r.totalCents), status: t(`claims.statuses.${r.status}`) })}</Link>
              </li>
            ))}
          </ul>
        ) : null}
      </section>
      {c.status === 'draft' ? <Preflight preflight={page.preflight} /> : null}
      <Lines page={page} />
      <Workflow page={page} onChanged={changed} />
      <Documents page={page} />
      {page.difference ? <Regularisation page={page} /> : null}
    </div>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function IssueItem({ issue }: { issue: ClaimIssueView }) {
  const { t } = useTranslation();
  const to = issueRoute(issue.link);
  return (
    <li>
      <span>{issue.message}</span>{' '}
      {to ? <Link to={to} className="issue-link">{t(`claims.fixLink.${issue.link!.kind}`)}</Link> : null}
    </li>
  );
}

function Preflight({ preflight }: { preflight: ClaimPageData['preflight'] }) {
  const { t } = useTranslation();
  const clean = preflight.blockers.length === 0 && preflight.warnings.length === 0;
  return (
    <section className="panel" aria-labelledby="claim-preflight-title">
      <div className="panel-header">
        <h2 id="claim-preflight-title">{t('claims.preflight.title')}</h2>
      </div>
      {clean ? <p className="claim-clean">{t('claims.preflight.clean')}</p> : null}
      {preflight.blockers.length > 0 ? (
        <div className="issues issues-blockers">
          <h3 id="claim-blockers-title">{t('claims.preflight.blockers', { count: preflight.blockers.length })}</h3>
          <ul aria-labelledby="claim-blockers-title">{preflight.blockers.map((i, n) => <IssueItem key={`${i.code}-${n}`} issue={i} />)}</ul>
        </div>
      ) : null}
      {preflight.warnings.length > 0 ? (
        <div className="issues issues-warnings">
          <h3 id="claim-warnings-title">{t('claims.preflight.warnings', { count: preflight.warnings.length })}</h3>
          <ul aria-labelledby="claim-warnings-title">{preflight.warnings.map((i, n) => <IssueItem key={`${i.code}-${n}`} issue={i} />)}</ul>
        </div>
      ) : null}
    </section>
  );
}

/** « how computed »: the engine's detail as readable pairs. */
function detailText(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return value ? '✓' : '✗';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function Lines({ page }: { page: ClaimPageData }) {
  const { t } = useTranslation();
  const columns = useMemo<DataColumn<ClaimLineView>[]>(
    () => [
      { id: 'position', header: t('claims.lines.position'), num: true, value: (l) => l.position },
      { id: 'label', header: t('claims.lines.label'), value: (l) => l.label, rowHeader: true },
      { id: 'unit', header: t('claims.lines.unit'), value: (l) => t(`funders.units.${l.unit}`, { defaultValue: l.unit }) },
      { id: 'quantity', header: t('claims.lines.quantity'), num: true, value: (l) => l.quantityE4, cell: (l) => formatLineQuantity(l), exportValue: (l) => l.quantityE4 / 10_000 },
      { id: 'price', header: t('claims.lines.unitPrice'), num: true, value: (l) => l.unitPriceCents, cell: (l) => formatCents(l.unitPriceCents), exportValue: (l) => l.unitPriceCents / 100 },
      { id: 'amount', header: t('claims.lines.amount'), num: true, value: (l) => l.amountCents, cell: (l) => formatCents(l.amountCents), exportValue: (l) => l.amountCents / 100 },
      {
        id: 'how',
        header: t('claims.lines.how'),
        noSort: true,
        value: () => null,
        exportValue: (l) => JSON.stringify(l.detail),
        cell: (l) => (
          <details className="line-detail">
            <summary>{t('claims.lines.showHow')}<span className="visually-hidden"> — {l.label}</span></summary>
            <p>
              {l.minutes !== null ? t('claims.lines.minutes', { billed: l.minutes, realised: l.realisedMinutes ?? l.minutes }) + ' ' : ''}
              {t('claims.lines.product', { quantity: formatLineQuantity(l), price: formatCents(l.unitPriceCents), amount: formatCents(l.amountCents) })}
            </p>
            {Object.keys(l.detail).length > 0 ? (
              <dl className="detail-pairs">
                {Object.entries(l.detail).map(([k, v]) => (
                  <div key={k}><dt>{k}</dt><dd>{detailText(v)}</dd></div>
                ))}
              </dl>
            ) : null}
          </details>
        ),
      },
    ],
    [t],
  );
  const bars = barsOf(page.lines, 12, t('claims.chart.others')).map((b) => ({ label: b.label, value: b.cents, text: formatCents(b.cents) }));
  return (
    <section className="panel" aria-labelledby="claim-lines-title">
      <div className="panel-header">
        <h2 id="claim-lines-title">{t('claims.lines.title', { count: page.lines.length })}</h2>
      </div>
      <DataTable
        id="claim-lines"
        rows={page.lines}
        columns={columns}
        rowKey={(l) => l.id}
        labelledBy="claim-lines-title"
        exportName={`sillon-demande-${page.claim.invoiceNumber ?? page.claim.id.slice(0, 8)}`}
        regionLabel={t('claims.lines.region')}
        empty={<EmptyState>{t('claims.lines.empty')}</EmptyState>}
        footer={
          <>
            <th scope="row" colSpan={5}>{t('claims.columns.total')}</th>
            <td className="num claim-total">{formatCents(page.claim.totalCents)}</td>
            <td />
          </>
        }
      />
      {bars.length > 1 ? <BarChart title={t('claims.chart.title')} data={bars} /> : null}
    </section>
  );
}

/** A button's action with its own refusal shown right under it. */
function useAction() {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<{ key: string; error: ApiError } | null>(null);
  const run = async (key: string, action: () => Promise<void>) => {
    setBusy(key);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError({ key, error: asApiError(e) });
    } finally {
      setBusy(null);
    }
  };
  return { busy, error, run, errorOf: (key: string) => (error?.key === key ? error.error : null) };
}

function Workflow({ page, onChanged }: { page: ClaimPageData; onChanged: (message: string | null) => Promise<void> }) {
  const { t } = useTranslation();
  const zone = useTimeZone();
  const navigate = useNavigate();
  const c = page.claim;
  const action = useAction();
  const [confirming, setConfirming] = useState(false);
  const [step, setStep] = useState<Step | null>(null);
  const [amount, setAmount] = useState('');
  const [amountError, setAmountError] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const when = (at: string) => {
    const l = localDateTime(at, zone);
    return t('claims.workflow.at', { date: formatDate(l.date), time: l.time });
  };
  const openStep = (s: Step) => {
    setStep(s);
    setNote('');
    setAmountError(null);
    setAmount(s === 'paid' ? eurosInput(c.acceptedCents ?? c.totalCents) : '');
  };
  const advance = (s: Step) => {
    let amountCents: number | undefined;
    if (WITH_AMOUNT.has(s)) {
      const parsed = parseEuros(amount);
      if (parsed === null || Number.isNaN(parsed)) {
        setAmountError(t('claims.workflow.amountInvalid'));
        return;
      }
      amountCents = parsed;
    }
    setAmountError(null);
    void action.run(`advance-${s}`, async () => {
      await api['claims.advance']({ id: c.id, status: s, ...(amountCents !== undefined ? { amountCents } : {}), ...(note.trim() ? { note: note.trim() } : {}) });
      setStep(null);
      await onChanged(t('claims.workflow.advanced', { status: t(`claims.statuses.${s}`) }));
    });
  };
  return (
    <section className="panel" aria-labelledby="claim-workflow-title">
      <div className="panel-header">
        <h2 id="claim-workflow-title">{t('claims.workflow.title')}</h2>
      </div>
      {page.events.length === 0 ? (
        <p className="muted">{t('claims.workflow.draftSince', { when: when(c.builtAt) })}</p>
      ) : (
        <ol className="claim-history">
          {page.events.map((e) => (
            <li key={e.id}>
              <ClaimStatusBadge status={e.status} /> <span>{t('claims.workflow.event', { when: when(e.at), by: e.by })}</span>
              {e.amountCents !== null ? <span className="claim-history-amount"> — {formatCents(e.amountCents)}</span> : null}
              {e.note ? <span className="cell-sub">{e.note}</span> : null}
            </li>
          ))}
        </ol>
      )}
      {c.status === 'draft' ? (
        <div className="claim-actions">
          <div className="button-row">
            <button type="button" className="btn btn-primary" onClick={() => setConfirming(true)} disabled={action.busy !== null} aria-expanded={confirming} aria-controls="claim-validate-confirm">
              {t('claims.workflow.validate')}
            </button>
            <button type="button" className="btn btn-secondary" disabled={action.busy !== null} aria-busy={action.busy === 'rebuild' || undefined}
              onClick={() => void action.run('rebuild', async () => { await api['claims.rebuild']({ id: c.id }); await onChanged(t('claims.workflow.rebuilt')); })}>
              {action.busy === 'rebuild' ? <span className="spinner spinner-small" aria-hidden="true" /> : null}
              {t('claims.workflow.rebuild')}
            </button>
            <button type="button" className="btn btn-ghost" disabled={action.busy !== null}
              onClick={() => {
                if (!window.confirm(t('claims.workflow.discardConfirm'))) return;
                void action.run('discard', async () => { await api['claims.discard']({ id: c.id }); navigate('/demandes'); });
              }}>
              {t('claims.workflow.discard')}
            </button>
          </div>
          {action.busy === 'rebuild' ? <Loading label={t('claims.building')} /> : null}
          <ErrorBanner error={action.errorOf('rebuild') ?? action.errorOf('discard')} title={t('claims.workflow.refused')} />
          {confirming ? (
            <div id="claim-validate-confirm" className="claim-confirm" role="group" aria-labelledby="claim-validate-confirm-text">
              <p id="claim-validate-confirm-text">{t('claims.workflow.validateConfirm', { total: formatCents(c.totalCents) })}</p>
              <div className="button-row">
                <button type="button" className="btn btn-primary" disabled={action.busy !== null} aria-busy={action.busy === 'validate' || undefined}
                  onClick={() => void action.run('validate', async () => {
                    const done = await api['claims.validate']({ id: c.id });
                    setConfirming(false);
                    await onChanged(t('claims.workflow.validated', { invoice: done.claim.invoiceNumber ?? '', count: done.documents.length }));
                  })}>
                  {t('claims.workflow.validateConfirmButton')}
                </button>
                <button type="button" className="btn btn-ghost" onClick={() => setConfirming(false)} disabled={action.busy === 'validate'}>{t('common.cancel')}</button>
              </div>
              {action.busy === 'validate' ? <Loading label={t('claims.workflow.generating')} /> : null}
            </div>
          ) : null}
          <ErrorBanner error={action.errorOf('validate')} title={t('claims.workflow.refused')} />
        </div>
      ) : null}
      {(NEXT[c.status] ?? []).length > 0 ? (
        <div className="claim-actions">
          <div className="button-row" role="group" aria-label={t('claims.workflow.next')}>
            {NEXT[c.status]!.map((s) => (
              <button key={s} type="button" className="btn btn-secondary" aria-pressed={step === s} disabled={action.busy !== null}
                onClick={() => (WITH_AMOUNT.has(s) || step !== s ? openStep(s) : setStep(null))}>
                {t(`claims.workflow.steps.${s}`)}
              </button>
            ))}
          </div>
          {step ? (
            <form className="form claim-step" aria-label={t(`claims.workflow.steps.${step}`)} onSubmit={(e) => { e.preventDefault(); advance(step); }} noValidate>
              <div className="grid grid-3">
                {WITH_AMOUNT.has(step) ? (
                  <div className={`field${amountError ? ' has-error' : ''}`}>
                    <label htmlFor="claim-step-amount">{t('claims.workflow.amount')}<span className="required" aria-hidden="true"> *</span></label>
                    <input id="claim-step-amount" type="text" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)}
                      aria-required="true" aria-invalid={amountError ? true : undefined} aria-describedby={amountError ? 'claim-step-amount-error' : undefined} />
                    {amountError ? <p className="field-error" id="claim-step-amount-error">{amountError}</p> : null}
                  </div>
                ) : null}
                <div className="field span-2">
                  <label htmlFor="claim-step-note">{t('claims.workflow.note')}</label>
                  <input id="claim-step-note" type="text" value={note} onChange={(e) => setNote(e.target.value)} />
                </div>
              </div>
              <div className="form-footer">
                <button type="button" className="btn btn-ghost" onClick={() => setStep(null)}>{t('common.cancel')}</button>
                <button type="submit" className="btn btn-primary" disabled={action.busy !== null}>{t('claims.workflow.record', { status: t(`claims.statuses.${step}`) })}</button>
              </div>
            </form>
          ) : null}
          {step ? <ErrorBanner error={action.errorOf(`advance-${step}`)} title={t('claims.workflow.refused')} /> : null}
        </div>
      ) : null}
    </section>
  );
}

function Documents({ page }: { page: ClaimPageData }) {
  const { t } = useTranslation();
  const action = useAction();
  const c = page.claim;
  if (c.status === 'draft') return null;
  const download = (id: string) => action.run(`doc-${id}`, async () => {
    const d = await api['claims.document']({ id });
    downloadBase64(d.name, d.base64, d.mime);
  });
  const exportBundle = () => action.run('bundle', async () => {
    const b = await api['claims.bundle']({ id: c.id });
    downloadBase64(b.fileName, b.base64, b.mime);
  });
  const docError = page.documents.map((d) => action.errorOf(`doc-${d.id}`)).find(Boolean) ?? null;
  return (
    <section className="panel" aria-labelledby="claim-documents-title" aria-busy={action.busy === 'bundle' || undefined}>
      <div className="panel-header">
        <h2 id="claim-documents-title">{t('claims.documents.title', { count: page.documents.length })}</h2>
        <button type="button" className="btn btn-primary" onClick={() => void exportBundle()} disabled={action.busy !== null}>
          {action.busy === 'bundle' ? <span className="spinner spinner-small" aria-hidden="true" /> : null}
          {t('claims.documents.bundle')}
        </button>
      </div>
      {action.busy === 'bundle' ? <Loading label={t('claims.documents.bundling')} /> : null}
      <ErrorBanner error={action.errorOf('bundle') ?? docError} title={t('claims.workflow.refused')} />
      {page.documents.length === 0 ? (
        <EmptyState>{t('claims.documents.empty')}</EmptyState>
      ) : (
        <ul className="claim-documents">
          {page.documents.map((d) => (
            <li key={d.id}>
              <span className="claim-document-name">{d.name}</span>
              <span className="cell-sub">{t(`claims.documents.kinds.${d.kind}`, { defaultValue: d.kind })} · {t('claims.documents.size', { kb: Math.max(1, Math.round(d.size / 1024)) })} · <span className="mono" title={d.sha256}>{d.sha256.slice(0, 12)}</span></span>
              <button type="button" className="btn btn-small btn-secondary" onClick={() => void download(d.id)} disabled={action.busy !== null}>
                {t('claims.documents.download')}<span className="visually-hidden"> — {d.name}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Regularisation({ page }: { page: ClaimPageData }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const action = useAction();
  const diff = page.difference!;
  const open = page.regularisations.find((r) => r.status === 'draft');
  const columns = useMemo<DataColumn<Difference>[]>(
    () => [
      { id: 'label', header: t('claims.lines.label'), value: (d) => d.label, rowHeader: true },
      { id: 'oldQ', header: t('claims.difference.oldQuantity'), num: true, value: (d) => d.old?.quantityE4 ?? null, cell: (d) => (d.old ? formatLineQuantity({ unit: d.unit, quantityE4: d.old.quantityE4 }) : '—') },
      { id: 'newQ', header: t('claims.difference.newQuantity'), num: true, value: (d) => d.new?.quantityE4 ?? null, cell: (d) => (d.new ? formatLineQuantity({ unit: d.unit, quantityE4: d.new.quantityE4 }) : '—') },
      { id: 'oldA', header: t('claims.difference.oldAmount'), num: true, value: (d) => d.old?.amountCents ?? null, cell: (d) => (d.old ? formatCents(d.old.amountCents) : '—') },
      { id: 'newA', header: t('claims.difference.newAmount'), num: true, value: (d) => d.new?.amountCents ?? null, cell: (d) => (d.new ? formatCents(d.new.amountCents) : '—') },
      { id: 'delta', header: t('claims.difference.delta'), num: true, value: (d) => d.deltaCents, cell: (d) => formatCents(d.deltaCents) },
    ],
    [t],
  );
  return (
    <section className="panel" aria-labelledby="claim-difference-title">
      <div className="panel-header">
        <h2 id="claim-difference-title">{t('claims.difference.title')}</h2>
      </div>
      {!diff.changed ? (
        <p className="claim-clean">{t('claims.difference.unchanged')}</p>
      ) : (
        <>
          <p>{t(diff.totalDeltaCents < 0 ? 'claims.difference.credit' : 'claims.difference.complement', { amount: formatCents(Math.abs(diff.totalDeltaCents)) })}</p>
          <DataTable id="claim-difference" rows={diff.lines} columns={columns} rowKey={(d) => d.key} labelledBy="claim-difference-title" regionLabel={t('claims.difference.region')} />
          {open ? (
            <p><Link to={`/demandes/${open.id}`}>{t('claims.difference.openDraft')}</Link></p>
          ) : (
            <div className="claim-actions">
              <button type="button" className="btn btn-primary" disabled={action.busy !== null}
                onClick={() => void action.run('regularise', async () => { const r = await api['claims.regularise']({ id: page.claim.id }); navigate(`/demandes/${r.claim.id}`); })}>
                {t('claims.difference.create')}
              </button>
              <ErrorBanner error={action.errorOf('regularise')} title={t('claims.workflow.refused')} />
            </div>
          )}
        </>
      )}
    </section>
  );
}
