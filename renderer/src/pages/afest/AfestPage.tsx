import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import type { AfestSetupFacts } from '../../../../shared/domain/afest';
import type { ApiError } from '../../../../shared/errors';
import { api, asApiError } from '../../api';
import { ErrorBanner, Loading, SuccessBanner } from '../../components/Feedback';
import { Tabs } from '../../components/Tabs';
import { downloadBase64 } from '../../lib/files';
import { formatDate } from '../../lib/format';
import { useQuery } from '../../lib/useQuery';
import { CompliancePanel, ComplianceBadge, HoursCards, ShareGauge } from './CompliancePanel';
import { Evaluations } from './Evaluations';
import { SequenceLog } from './SequenceLog';
import { SetupForm } from './SetupForm';
import { liveCompliance, rulesOf, SETUP_FIELD_IDS } from './afestView';
import '../../attendance.css';
import '../../afest.css';

/** The page's tabs, in order; the key is the URL's `?onglet=` (French, like the routes). */
export const AFEST_TABS = ['mise-en-place', 'journal', 'evaluations'] as const;
export type AfestTab = (typeof AFEST_TABS)[number];
const tabOf = (value: string | null): AfestTab => AFEST_TABS.find((k) => k === value) ?? 'mise-en-place';

/** A set-up being typed, for the live compliance panel. */
export interface SetupDraft {
  facts: AfestSetupFacts;
  programmeId: string | null;
}

/**
 * One AFEST (*action de formation en situation de travail*): who and where, the compliance panel (the four
 * components of D.6313-3-2 and the programme's rules, live while the set-up is typed), the realised hours and
 * the AFEST share, then one tab at a time — the set-up, the signed log of sequences, the evaluations — and
 * the dossier (PDF) for the funder and Qualiopi.
 */
export function AfestPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const tab = tabOf(params.get('onglet'));
  const setTab = useCallback(
    (next: AfestTab) =>
      setParams(
        (prev) => {
          const out = new URLSearchParams(prev);
          if (next === 'mise-en-place') out.delete('onglet');
          else out.set('onglet', next);
          return out;
        },
        { replace: true },
      ),
    [setParams],
  );
  const query = useQuery(() => api['afest.get']({ id }), [id]);
  const rules = useQuery(() => api['afest.rules'](), []);
  const [draft, setDraft] = useState<SetupDraft | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const focusNext = useRef<string | null>(null);

  // A « Corriger » of the panel: open the set-up and put the focus on the field it names.
  useEffect(() => {
    if (!focusNext.current || tab !== 'mise-en-place') return;
    const el = document.getElementById(focusNext.current);
    if (!el) return;
    focusNext.current = null;
    el.scrollIntoView({ block: 'center' });
    el.focus({ preventScroll: true });
  });
  const fix = (field: string) => {
    focusNext.current = SETUP_FIELD_IDS[field] ?? null;
    if (tab !== 'mise-en-place') setTab('mise-en-place');
    else {
      const el = focusNext.current ? document.getElementById(focusNext.current) : null;
      focusNext.current = null;
      el?.scrollIntoView({ block: 'center' });
      el?.focus({ preventScroll: true });
    }
  };

  const page = query.data;
  const report = useMemo(() => {
    if (!page) return null;
    if (!draft) return page.compliance;
    const rulesNow = draft.programmeId === page.afest.programmeId ? page.rules : rulesOf(draft.programmeId, rules.data);
    return liveCompliance(page, draft.facts, rulesNow);
  }, [page, draft, rules.data]);

  const changed = useCallback(
    async (message: string | null) => {
      // The page first shows the new state, then says what happened (a notice over stale figures misleads).
      setNotice(null);
      await query.reload();
      setNotice(message);
    },
    [query],
  );

  if (!page || !report) {
    return (
      <div aria-busy={query.loading}>
        <p className="breadcrumb"><Link to="/afest">{t('afest.back')}</Link></p>
        <ErrorBanner error={query.error} />
        {query.loading ? <Loading /> : null}
      </div>
    );
  }

  const a = page.afest;
  const s = page.summary;
  const sequenceCount = new Set(page.sequences.map((q) => q.recordId)).size;
  return (
    <div aria-busy={query.loading} className="afest-page">
      <p className="breadcrumb"><Link to="/afest">{t('afest.back')}</Link></p>
      <header className="session-header panel">
        <div className="session-title">
          <p className="eyebrow">{page.programme ? `${page.programme.name} · ${page.programme.funderName}` : t('afest.noProgramme')}</p>
          <h1>{a.title}</h1>
          <p className="afest-subtitle">{t('afest.pageSubtitle', { trainee: page.trainee.name, session: s.sessionLabel })}</p>
          <p className="session-badges">
            <span className={`badge afest-phase-${s.phase}`}>{t(`afest.phases.${s.phase}`)}</span>
            <ComplianceBadge compliant={report.compliant} failures={report.checks.filter((c) => c.status === 'fail').length} />
            {page.trainee.fictitious ? <span className="badge">{t('afest.fictitious')}</span> : null}
          </p>
          <div className="session-actions">
            <DossierButton afestId={a.id} onPrinted={(m) => setNotice(m)} />
          </div>
        </div>
        <dl className="facts">
          <Fact label={t('afest.fields.trainee')}>{page.trainee.name}</Fact>
          <Fact label={t('afest.fields.companyId')}>{page.company?.name ?? '—'}</Fact>
          <Fact label={t('afest.fields.tutorId')}>{page.tutor ? page.tutor.name : '—'}{page.tutor?.jobTitle ? <span className="cell-sub">{page.tutor.jobTitle}</span> : null}</Fact>
          <Fact label={t('afest.fields.facilitatorId')}>{page.facilitator?.name ?? '—'}</Fact>
          <Fact label={t('afest.fields.period')}>{a.startDate || a.endDate ? t('common.dateRange', { from: formatDate(a.startDate), to: formatDate(a.endDate) }) : '—'}</Fact>
          <Fact label={t('afest.fields.lastSequence')}>{formatDate(s.lastSequenceDate)}</Fact>
        </dl>
      </header>
      <SuccessBanner>{notice}</SuccessBanner>
      <ErrorBanner error={query.error} />
      <div className="two-col afest-overview">
        <CompliancePanel report={report} live={draft !== null} onFix={fix} />
        <section className="panel" aria-labelledby="afest-hours-title">
          <div className="panel-header">
            <h2 id="afest-hours-title">{t('afest.hours.title')}</h2>
          </div>
          <HoursCards hours={s.hours} />
          <ShareGauge share={report.share} />
          <p className="muted afest-hours-note">{t('afest.hours.note')}</p>
        </section>
      </div>
      <Tabs
        id="afest-tabs"
        label={t('afest.tabs.label')}
        tabs={[
          { key: 'mise-en-place', label: t('afest.tabs.setup') },
          { key: 'journal', label: t('afest.tabs.log', { count: sequenceCount }) },
          { key: 'evaluations', label: t('afest.tabs.evaluations', { count: new Set(page.evaluations.map((e) => e.recordId)).size }) },
        ]}
        active={tab}
        onChange={(k) => {
          setNotice(null);
          setTab(k);
        }}
      >
        {tab === 'mise-en-place' ? (
          <SetupForm key={a.version} page={page} rules={rules.data} onDraft={setDraft} onSaved={(m) => changed(m)} onReload={() => changed(null)} />
        ) : tab === 'journal' ? (
          <SequenceLog page={page} report={report} onChanged={changed} />
        ) : (
          <Evaluations page={page} onChanged={changed} />
        )}
      </Tabs>
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

/** « Dossier AFEST (PDF) »: printed by the backend (set-up, analysis, signed log, evaluations, compliance, QR), downloaded here. */
function DossierButton({ afestId, onPrinted }: { afestId: string; onPrinted: (message: string) => void }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const print = async () => {
    setBusy(true);
    setError(null);
    try {
      const d = await api['afest.dossier']({ id: afestId });
      downloadBase64(d.fileName, d.base64, 'application/pdf');
      onPrinted(t('afest.dossier.done', { name: d.fileName, hash: d.shortHash }));
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="afest-dossier" aria-busy={busy || undefined}>
      <button type="button" className="btn btn-primary" onClick={() => void print()} disabled={busy}>
        {busy ? (
          <span className="spinner spinner-small" aria-hidden="true" />
        ) : (
          <svg aria-hidden="true" focusable="false" width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
            <path d="M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8z" />
            <path d="M14 3v5h5M12 12v6m-3-3 3 3 3-3" />
          </svg>
        )}
        {busy ? t('afest.dossier.printing') : t('afest.dossier.button')}
      </button>
      <ErrorBanner error={error} title={t('afest.dossier.refused')} />
    </div>
  );
}
