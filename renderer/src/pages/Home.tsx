import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { todayIn } from '../../../shared/domain/dates';
import type { ApiError } from '../../../shared/errors';
import { api, asApiError } from '../api';
import { ErrorBanner, Loading, SuccessBanner } from '../components/Feedback';
import { PageHeader } from '../components/Layout';
import { formatDate, formatLongDate, formatNumber } from '../lib/format';
import { useTimeZone } from '../lib/timeZone';
import { useQuery } from '../lib/useQuery';
import { findingLink } from './attendance/Checks';

/** How many lines each to-do list shows before « voir tout ». */
const TODO_LINES = 5;
/** Findings about past slots left open: listed as « créneaux non clos », not again among the findings. */
const UNCLOSED_CODES: ReadonlySet<string> = new Set(['slot-not-countersigned', 'slot-without-sheet']);

/**
 * What needs doing today: the day's roll calls still to take, past slots never closed, the other findings
 * of the checks, and the funders' sync incidents; each line links to where it is done.
 */
async function loadTodo(today: string) {
  const [day, findings, sync] = await Promise.all([api['attendance.day']({ date: today }), api['checks.run']({}), api['sync.status']()]);
  const byDate = (a: { date: string | null }, b: { date: string | null }) => (a.date ?? '').localeCompare(b.date ?? '');
  return {
    toTake: day.filter((s) => !s.closed),
    unclosed: findings.filter((f) => UNCLOSED_CODES.has(f.code)).sort(byDate).reverse(),
    findings: findings.filter((f) => !UNCLOSED_CODES.has(f.code)).sort(byDate),
    incidents: sync.filter((r) => r.toFix.rejected + r.toFix.dead > 0 || r.lastError !== null || r.offlineSince !== null),
  };
}

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

function TodoPanel() {
  const { t } = useTranslation();
  const timeZone = useTimeZone();
  const today = todayIn(new Date(), timeZone);
  const query = useQuery(() => loadTodo(today), [today]);
  const todo = query.data;
  return (
    <section className="panel todo-panel" aria-labelledby="todo-title" aria-busy={query.loading}>
      <div className="panel-header">
        <h2 id="todo-title">{t('home.todo.title')}</h2>
        <span className="muted cap-first">{formatLongDate(today)}</span>
      </div>
      <ErrorBanner error={query.error} />
      {!todo && query.loading ? <Loading /> : null}
      {todo ? (
        <div className="todo-grid">
          <TodoList
            id="todo-take"
            title={t('home.todo.toTake', { count: todo.toTake.length })}
            empty={t('home.todo.toTakeNone')}
            more={{ to: '/emargement', label: t('home.todo.allToday') }}
            items={todo.toTake.map((s) => ({
              key: s.id,
              to: `/emargement/${s.id}`,
              title: `${s.start}–${s.end} · ${s.sessionLabel}`,
              meta: t('home.todo.marked', { marked: s.marked, expected: s.expected }),
            }))}
          />
          <TodoList
            id="todo-unclosed"
            title={t('home.todo.unclosed', { count: todo.unclosed.length })}
            empty={t('home.todo.unclosedNone')}
            more={{ to: '/controles', label: t('home.todo.allChecks') }}
            items={todo.unclosed.map((f) => ({ key: `${f.code}-${f.link.id}`, to: findingLink(f), title: f.message, meta: f.date ? formatDate(f.date) : '' }))}
          />
          <TodoList
            id="todo-findings"
            title={t('home.todo.findings', { count: todo.findings.length })}
            empty={t('home.todo.findingsNone')}
            more={{ to: '/controles', label: t('home.todo.allChecks') }}
            items={todo.findings.map((f, i) => ({ key: `${f.code}-${f.link.id}-${i}`, to: findingLink(f), title: f.message, meta: f.date ? formatDate(f.date) : '' }))}
          />
          <TodoList
            id="todo-sync"
            title={t('home.todo.sync', { count: todo.incidents.length })}
            empty={t('home.todo.syncNone')}
            more={{ to: '/synchronisation', label: t('home.todo.allSync') }}
            items={todo.incidents.map((r) => ({
              key: r.receiver.id,
              to: '/synchronisation',
              title: r.receiver.name,
              meta: [
                r.toFix.rejected ? t('home.todo.rejected', { count: r.toFix.rejected }) : '',
                r.toFix.dead ? t('home.todo.dead', { count: r.toFix.dead }) : '',
                r.offlineSince ? t('home.todo.offline') : r.lastError ? t('home.todo.failing') : '',
              ]
                .filter(Boolean)
                .join(' · '),
            }))}
          />
        </div>
      ) : null}
    </section>
  );
}

function TodoList({
  id,
  title,
  empty,
  items,
  more,
}: {
  id: string;
  title: string;
  empty: string;
  items: { key: string; to: string; title: string; meta: string }[];
  more: { to: string; label: string };
}) {
  const { t } = useTranslation();
  const total = items.length;
  return (
    <section className="todo-list" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{title}</h3>
      {items.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <ul className="link-list">
          {items.slice(0, TODO_LINES).map((item) => (
            <li key={item.key}>
              <Link to={item.to}>
                <span className="link-title">{item.title}</span>
                {item.meta ? <span className="link-meta">{item.meta}</span> : null}
              </Link>
            </li>
          ))}
        </ul>
      )}
      {total > 0 ? (
        <p className="todo-more">
          <Link to={more.to}>{total > TODO_LINES ? t('home.todo.more', { count: total - TODO_LINES, label: more.label }) : more.label}</Link>
        </p>
      ) : null}
    </section>
  );
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
          {empty ? null : <TodoPanel key={demoDone ?? ''} />}
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
