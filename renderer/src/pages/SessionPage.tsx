import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { todayIn } from '../../../shared/domain/dates';
import { holdsPlaceOn } from '../../../shared/domain/enrolment-status';
import { api } from '../api';
import { ErrorBanner, Loading } from '../components/Feedback';
import { formatDate, formatMinutes } from '../lib/format';
import { useTimeZone } from '../lib/timeZone';
import { useQuery } from '../lib/useQuery';
import { AssignPanel } from './session/AssignPanel';
import { ConnectionLog, isDistance, PrintDocuments, RealisedHours } from './session/AttendancePanels';
import { EnrolmentsSection } from './session/Enrolments';
import { GenerateSlotsForm } from './session/GenerateSlots';
import { SlotCalendar } from './session/SlotCalendar';
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

/** One session: its facts, its slot calendar, slot generation and assignment, and its enrolments. */
export function SessionPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
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

      <SlotCalendar page={data.page} selected={selected} onSelect={setSelected}>
        <AssignPanel page={data.page} selected={selected} onAssigned={async () => { setSelected(new Set()); await afterChange(); }} />
      </SlotCalendar>

      <GenerateSlotsForm page={data.page} onGenerated={afterChange} />

      <EnrolmentsSection data={data} onChanged={afterChange} />

      <RealisedHours data={data} />
      <PrintDocuments data={data} />
      {isDistance(data.page) ? <ConnectionLog data={data} /> : null}
    </div>
  );
}
