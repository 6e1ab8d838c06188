import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { todayIn } from '../../../shared/domain/dates';
import { holdsPlaceOn } from '../../../shared/domain/enrolment-status';
import { api } from '../api';
import { ArchiveButton } from '../components/Archive';
import { ErrorBanner, Loading } from '../components/Feedback';
import { Tabs } from '../components/Tabs';
import { formatDate, formatMinutes } from '../lib/format';
import { useTimeZone } from '../lib/timeZone';
import { useQuery } from '../lib/useQuery';
import { AssignPanel } from './session/AssignPanel';
import { ConnectionLog, isDistance, PrintDocuments, RealisedHours } from './session/AttendancePanels';
import { EnrolmentsSection } from './session/Enrolments';
import { FundingLinesEditor } from './funding/FundingLinesEditor';
import { GenerateSlotsForm } from './session/GenerateSlots';
import { SlotCalendar } from './session/SlotCalendar';
import { CancelledSlots, SlotActions } from './session/SlotActions';
import { Capacity } from './Sessions';

async function loadSessionPage(id: string) {
  const [page, funders, companies] = await Promise.all([
    api['sessions.get']({ id }),
    api['funders.list'](),
    api['companies.list'](),
  ]);
  return { page, funders, companies };
}

export type SessionPageData = Awaited<ReturnType<typeof loadSessionPage>>;

/** The page's tabs, in order; the key is the URL's `?onglet=` (French, like the app's routes). */
export const SESSION_TABS = ['planning', 'inscriptions', 'heures', 'documents'] as const;
export type SessionTab = (typeof SESSION_TABS)[number];

function tabOf(value: string | null): SessionTab {
  return SESSION_TABS.find((k) => k === value) ?? 'planning';
}

/**
 * One session: its facts, then one tab at a time — planning (slot calendar, assignment, generation),
 * enrolments, realised hours (and connection logs for distance learning), documents to print. Only the
 * open tab is rendered and loads its own data: the 264-slot calendar no longer waits for the enrolments,
 * the hours and the documents, nor they for it.
 */
export function SessionPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const tab = tabOf(params.get('onglet'));
  const setTab = useCallback(
    (next: SessionTab) =>
      setParams(
        (prev) => {
          const out = new URLSearchParams(prev);
          if (next === 'planning') out.delete('onglet');
          else out.set('onglet', next);
          return out;
        },
        { replace: true },
      ),
    [setParams],
  );
  const query = useQuery(() => loadSessionPage(id), [id]);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const reload = query.reload;
  const afterChange = useCallback(async () => {
    await reload();
  }, [reload]);

  const data = query.data;
  const timeZone = useTimeZone();
  const today = todayIn(new Date(), timeZone);
  const stats = useMemo(() => {
    if (!data) return null;
    const active = data.page.slots.filter((s) => !s.cancelled);
    return {
      slots: active.length,
      minutes: active.reduce((sum, s) => sum + s.minutes, 0),
      // Places taken today, as the capacity check and the session list count them.
      enrolled: data.page.enrolments.filter((e) => holdsPlaceOn(e.history, today)).length,
    };
  }, [data, today]);

  if (!data) {
    return (
      <div aria-busy={query.loading}>
        <p className="breadcrumb"><Link to="/sessions">{t('session.back')}</Link></p>
        <ErrorBanner error={query.error} />
        {query.loading ? <Loading /> : null}
      </div>
    );
  }

  const { session, action, place } = data.page;
  return (
    <div aria-busy={query.loading} className="session-page">
      <p className="breadcrumb"><Link to="/sessions">{t('session.back')}</Link></p>
      <header className="session-header panel">
        <div className="session-title">
          <p className="eyebrow">{action.code ? `${action.title} · ${action.code}` : action.title}</p>
          <h1>{session.label}</h1>
          <p className="session-badges">
            <span className={`badge badge-${session.mode}`}>{t(`modes.${session.mode}`)}</span>
            <span className={`badge badge-${action.modality}`}>{t(`modalities.${action.modality}`)}</span>
            {action.certificationCode ? <span className="badge">{action.certificationCode}</span> : null}
          </p>
          <div className="session-actions">
            <ArchiveButton kind="session" id={session.id} name={session.label} label={t('archive.archiveSession')} onArchived={() => navigate('/sessions')} />
          </div>
        </div>
        <dl className="facts">
          <div>
            <dt>{t('session.facts.dates')}</dt>
            <dd>{t('common.dateRange', { from: formatDate(session.startDate), to: formatDate(session.endDate) })}</dd>
          </div>
          <div>
            <dt>{t('session.facts.place')}</dt>
            <dd>{place ? `${place.name} — ${place.city}` : t('session.noPlace')}</dd>
          </div>
          <div>
            <dt>{t('session.facts.enrolled')}</dt>
            <dd><Capacity enrolled={stats?.enrolled ?? 0} capacity={session.capacity} /></dd>
          </div>
          <div>
            <dt>{t('session.facts.slots')}</dt>
            <dd>{t('session.slotsSummary', { count: stats?.slots ?? 0, hours: formatMinutes(stats?.minutes ?? 0) })}</dd>
          </div>
          <div>
            <dt>{t('session.facts.planned')}</dt>
            <dd>{formatMinutes(action.plannedMinutes)}</dd>
          </div>
        </dl>
      </header>
      <ErrorBanner error={query.error} />

      <Tabs id="session" label={t('session.tabs.label')} tabs={SESSION_TABS.map((key) => ({ key, label: t(`session.tabs.${key}`) }))} active={tab} onChange={setTab}>
        {tab === 'planning' ? (
          <>
            <SlotCalendar page={data.page} selected={selected} onSelect={setSelected}>
              <SlotActions page={data.page} selected={selected} onChanged={afterChange} />
              <CancelledSlots page={data.page} onChanged={afterChange} />
              <AssignPanel page={data.page} selected={selected} onAssigned={async () => { setSelected(new Set()); await afterChange(); }} />
            </SlotCalendar>
            <GenerateSlotsForm page={data.page} onGenerated={afterChange} />
          </>
        ) : null}
        {tab === 'inscriptions' ? (
          <>
            <EnrolmentsSection data={data} onChanged={afterChange} />
            <FundingLinesEditor owner={{ sessionId: session.id }} title={t('fundings.sessionTitle')} totalMinutes={stats?.minutes ?? 0} funders={data.funders} />
          </>
        ) : null}
        {tab === 'heures' ? (
          <>
            <RealisedHours data={data} />
            {isDistance(data.page) ? <ConnectionLog data={data} /> : null}
          </>
        ) : null}
        {tab === 'documents' ? <PrintDocuments data={data} /> : null}
      </Tabs>
    </div>
  );
}
