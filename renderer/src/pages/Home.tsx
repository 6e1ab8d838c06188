import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { ApiError } from '../../../shared/errors';
import { api, asApiError } from '../api';
import { ErrorBanner, Loading, SuccessBanner } from '../components/Feedback';
import { PageHeader } from '../components/Layout';
import { formatDate, formatNumber } from '../lib/format';
import { useQuery } from '../lib/useQuery';

async function loadDashboard() {
  const [organisation, actions, sessions, trainees, companies, trainers, places] = await Promise.all([
    api['organisation.get'](),
    api['actions.list'](),
    api['sessions.list'](),
    api['trainees.list']({ limit: 1, offset: 0 }),
    api['companies.list'](),
    api['trainers.list'](),
    api['places.list'](),
  ]);
  return { organisation, actions, sessions, trainees: trainees.total, companies, trainers, places };
}

export function HomePage() {
  const { t } = useTranslation();
  const query = useQuery(loadDashboard, []);
  const [loadingDemo, setLoadingDemo] = useState(false);
  const [demoError, setDemoError] = useState<ApiError | null>(null);
  const [demoDone, setDemoDone] = useState<string | null>(null);
  const data = query.data;

  const empty = data && data.actions.length === 0 && data.sessions.length === 0 && data.trainees === 0;

  async function loadDemo() {
    setLoadingDemo(true);
    setDemoError(null);
    try {
      const counts = await api['demo.load']();
      setDemoDone(t('home.demoLoaded', { sessions: counts.sessions, slots: counts.slots, trainees: counts.trainees }));
      await query.reload();
    } catch (e) {
      setDemoError(asApiError(e));
    } finally {
      setLoadingDemo(false);
    }
  }

  const cards = data
    ? [
        { to: '/actions', label: t('home.cards.actions'), value: data.actions.length },
        { to: '/sessions', label: t('home.cards.sessions'), value: data.sessions.length },
        { to: '/stagiaires', label: t('home.cards.trainees'), value: data.trainees },
        { to: '/entreprises', label: t('home.cards.companies'), value: data.companies.length },
        { to: '/formateurs', label: t('home.cards.trainers'), value: data.trainers.length },
        { to: '/lieux', label: t('home.cards.places'), value: data.places.length },
      ]
    : [];
  const upcoming = data ? [...data.sessions].sort((a, b) => a.startDate.localeCompare(b.startDate)).slice(0, 5) : [];

  return (
    <div aria-busy={query.loading || loadingDemo}>
      <PageHeader title={t('home.title')} intro={data?.organisation ? data.organisation.name : t('home.intro')} />
      <ErrorBanner error={query.error} />
      <ErrorBanner error={demoError} />
      <SuccessBanner>{demoDone}</SuccessBanner>
      {!data && query.loading ? <Loading /> : null}
      {data ? (
        <>
          {empty ? (
            <section className="panel panel-accent" aria-labelledby="demo-title">
              <h2 id="demo-title">{t('home.emptyTitle')}</h2>
              <p>{t('home.emptyText')}</p>
              <div className="button-row">
                <button type="button" className="btn btn-primary" onClick={() => void loadDemo()} disabled={loadingDemo} aria-busy={loadingDemo || undefined}>
                  {loadingDemo ? <span className="spinner spinner-small" aria-hidden="true" /> : null}
                  {loadingDemo ? t('home.demoLoading') : t('home.loadDemo')}
                </button>
                <Link className="btn btn-secondary" to="/organisme">{t('home.startWithProfile')}</Link>
              </div>
            </section>
          ) : null}
          {!data.organisation ? (
            <p className="notice">
              {t('home.noProfile')} <Link to="/organisme">{t('home.fillProfile')}</Link>
            </p>
          ) : null}
          <section aria-labelledby="counts-title">
            <h2 id="counts-title" className="visually-hidden">{t('home.countsTitle')}</h2>
            <ul className="stat-grid">
              {cards.map((c) => (
                <li key={c.to}>
                  <Link className="stat-card" to={c.to}>
                    <span className="stat-value">{formatNumber(c.value)}</span>
                    <span className="stat-label">{c.label}</span>
                  </Link>
                </li>
              ))}
            </ul>
          </section>
          <section className="panel" aria-labelledby="upcoming-title">
            <div className="panel-header">
              <h2 id="upcoming-title">{t('home.sessionsTitle')}</h2>
              <Link className="btn btn-secondary" to="/sessions">{t('home.allSessions')}</Link>
            </div>
            {upcoming.length === 0 ? (
              <p className="empty">{t('home.noSessions')}</p>
            ) : (
              <ul className="link-list">
                {upcoming.map((s) => (
                  <li key={s.id}>
                    <Link to={`/sessions/${s.id}`}>
                      <span className="link-title">{s.label}</span>
                      <span className="link-meta">
                        {s.actionTitle} · {t('common.dateRange', { from: formatDate(s.startDate), to: formatDate(s.endDate) })} ·{' '}
                        {t('sessions.enrolledOf', { enrolled: s.enrolled, capacity: s.capacity })}
                      </span>
                    </Link>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </>
      ) : null}
    </div>
  );
}
