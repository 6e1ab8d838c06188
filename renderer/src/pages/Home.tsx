import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { todayIn } from '../../../shared/domain/dates';
import type { ApiError } from '../../../shared/errors';
import { ROLES, type Permission } from '../../../shared/permissions';
import { api, asApiError } from '../api';
import { ErrorBanner, Loading, SuccessBanner } from '../components/Feedback';
import { PageHeader } from '../components/Layout';
import { useAuth } from '../lib/auth';
import { formatDate, formatLongDate, formatNumber } from '../lib/format';
import { roleLabel } from '../lib/labels';
import { useTimeZone } from '../lib/timeZone';
import { useQuery } from '../lib/useQuery';
import { findingLink } from './attendance/Checks';

/** How many lines each to-do list shows before « voir tout ». */
const TODO_LINES = 5;
/** Findings about past slots left open: listed as « créneaux non clos », not again among the findings. */
const UNCLOSED_CODES: ReadonlySet<string> = new Set(['slot-not-countersigned', 'slot-without-sheet']);

type Can = (permission: Permission) => boolean;

/** `load()` when the role may call it, else `null` without asking: the backend would refuse it. */
function ifAllowed<T>(can: Can, permission: Permission, load: () => Promise<T>): Promise<T | null> {
  return can(permission) ? load() : Promise.resolve(null);
}

/**
 * What needs doing today: the day's roll calls still to take, past slots never closed, the other findings
 * of the checks, and the funders' sync incidents; each line links to where it is done. Only what the role may
 * read (a trainer gets their own sessions' roll calls and findings, cut by the backend; no sync).
 */
async function loadTodo(today: string, can: Can) {
  const [day, findings, sync] = await Promise.all([
    api['attendance.day']({ date: today }),
    api['checks.run']({}),
    ifAllowed(can, 'sync.read', () => api['sync.status']()),
  ]);
  const byDate = (a: { date: string | null }, b: { date: string | null }) => (a.date ?? '').localeCompare(b.date ?? '');
  return {
    toTake: day.filter((s) => !s.closed),
    unclosed: findings.filter((f) => UNCLOSED_CODES.has(f.code)).sort(byDate).reverse(),
    findings: findings.filter((f) => !UNCLOSED_CODES.has(f.code)).sort(byDate),
    incidents: sync?.filter((r) => r.toFix.rejected + r.toFix.dead > 0 || r.lastError !== null || r.offlineSince !== null) ?? null,
  };
}

/** The key figures the role may read (a list it may not read is left out, not refused). */
async function loadDashboard(can: Can) {
  const [organisation, actions, sessions, trainees, companies, trainers, places] = await Promise.all([
    api['organisation.get'](),
    ifAllowed(can, 'catalogue.read', () => api['actions.list']()),
    ifAllowed(can, 'sessions.read', () => api['sessions.list']()),
    ifAllowed(can, 'people.read', () => api['trainees.list']({ limit: 1, offset: 0 })),
    ifAllowed(can, 'people.read', () => api['companies.list']()),
    ifAllowed(can, 'people.read', () => api['trainers.list']()),
    ifAllowed(can, 'catalogue.read', () => api['places.list']()),
  ]);
  return { organisation, actions, sessions, trainees: trainees?.total ?? null, companies, trainers, places };
}

function TodoPanel() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const timeZone = useTimeZone();
  const today = todayIn(new Date(), timeZone);
  const query = useQuery(() => loadTodo(today, can), [today]);
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
          {todo.incidents ? (
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
          ) : null}
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

/**
 * The home page, by role: what needs doing today (a trainer's day of roll calls first), the key figures and the
 * coming sessions the role may read; a tutor's AFEST learners; on an empty base, the demo for an administrator; on
 * the demo, its accounts and their password. Nothing is asked that the role may not read.
 */
export function HomePage() {
  const { t } = useTranslation();
  const { status, can, refresh } = useAuth();
  const query = useQuery(() => loadDashboard(can), []);
  const [loadingDemo, setLoadingDemo] = useState(false);
  const [demoError, setDemoError] = useState<ApiError | null>(null);
  const [demoDone, setDemoDone] = useState<string | null>(null);
  const data = query.data;
  const tutor = status.account?.role === 'tutor';

  const empty = data && data.actions?.length === 0 && data.sessions?.length === 0 && data.trainees === 0;

  async function loadDemo() {
    setLoadingDemo(true);
    setDemoError(null);
    try {
      const counts = await api['demo.load']();
      setDemoDone(t('home.demoLoaded', { sessions: counts.sessions, slots: counts.slots, trainees: counts.trainees }));
      // The demo brings its accounts: the status says so, and this page lists them.
      await Promise.all([query.reload(), refresh()]);
    } catch (e) {
      setDemoError(asApiError(e));
    } finally {
      setLoadingDemo(false);
    }
  }

  const cards = data
    ? [
        { to: '/actions', label: t('home.cards.actions'), value: data.actions?.length },
        { to: '/sessions', label: t('home.cards.sessions'), value: data.sessions?.length },
        { to: '/stagiaires', label: t('home.cards.trainees'), value: data.trainees },
        { to: '/entreprises', label: t('home.cards.companies'), value: data.companies?.length },
        { to: '/formateurs', label: t('home.cards.trainers'), value: data.trainers?.length },
        { to: '/lieux', label: t('home.cards.places'), value: data.places?.length },
      ].filter((c): c is { to: string; label: string; value: number } => c.value !== undefined && c.value !== null)
    : [];
  const upcoming = data?.sessions ? [...data.sessions].sort((a, b) => a.startDate.localeCompare(b.startDate)).slice(0, 5) : null;

  return (
    <div aria-busy={query.loading || loadingDemo}>
      <PageHeader title={t('home.title')} intro={data?.organisation ? data.organisation.name : t('home.intro')} />
      <ErrorBanner error={query.error} />
      <ErrorBanner error={demoError} />
      <SuccessBanner>{demoDone}</SuccessBanner>
      {!data && query.loading ? <Loading /> : null}
      {data ? (
        <>
          {empty && can('system.admin') ? (
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
          {!data.organisation && can('organisation.write') ? (
            <p className="notice">
              {t('home.noProfile')} <Link to="/organisme">{t('home.fillProfile')}</Link>
            </p>
          ) : null}
          {tutor ? <TutorLearners /> : null}
          {empty || !can('attendance.read') ? null : <TodoPanel key={demoDone ?? ''} />}
          {cards.length > 0 ? (
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
          ) : null}
          {upcoming ? (
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
          ) : null}
          {status.demoAccounts ? <DemoAccounts /> : null}
        </>
      ) : null}
    </div>
  );
}

/** A tutor's account lands on their learners: each opens today's work situation in tutor mode. */
function TutorLearners() {
  const { t } = useTranslation();
  const query = useQuery(() => api['afest.list']({}), []);
  const learners = query.data ?? [];
  return (
    <section className="panel panel-accent" aria-labelledby="tutor-learners-title" aria-busy={query.loading}>
      <div className="panel-header">
        <h2 id="tutor-learners-title">{t('home.tutor.title', { count: learners.length })}</h2>
        <Link className="btn btn-primary" to="/tuteur">{t('home.tutor.open')}</Link>
      </div>
      <ErrorBanner error={query.error} />
      {query.loading && !query.data ? <Loading /> : null}
      {query.data && learners.length === 0 ? <p className="empty">{t('home.tutor.none')}</p> : null}
      {learners.length > 0 ? (
        <ul className="link-list">
          {learners.map((a) => (
            <li key={a.id}>
              <Link to={`/tuteur?apprenant=${encodeURIComponent(a.id)}`}>
                <span className="link-title">{a.traineeName}</span>
                <span className="link-meta">{[a.title, a.companyName].filter(Boolean).join(' · ')}</span>
              </Link>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

/** On the demo: its six accounts, one per role, and their shared password (demo data only). */
function DemoAccounts() {
  const { t } = useTranslation();
  return (
    <section className="panel demo-accounts" aria-labelledby="home-demo-accounts">
      <h2 id="home-demo-accounts">{t('auth.demo.title')}</h2>
      <p>{t('home.demoAccounts')}</p>
      <ul className="demo-account-list">
        {ROLES.map((role) => (
          <li key={role}>
            <span className="mono">{role}</span> — {roleLabel(role)}
          </li>
        ))}
      </ul>
      <p className="demo-password">{t('auth.demo.password')}</p>
    </section>
  );
}
