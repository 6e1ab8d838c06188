import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink, Outlet, useLocation } from 'react-router-dom';
import { LANGUAGES } from '../i18n';

const NAV = [
  { to: '/', key: 'nav.home', end: true },
  { to: '/organisme', key: 'nav.organisation', end: false },
  { to: '/actions', key: 'nav.actions', end: false },
  { to: '/sessions', key: 'nav.sessions', end: false },
  { to: '/emargement', key: 'attendance.nav.day', end: false },
  { to: '/stagiaires', key: 'nav.trainees', end: false },
  { to: '/entreprises', key: 'nav.companies', end: false },
  { to: '/formateurs', key: 'nav.trainers', end: false },
  { to: '/lieux', key: 'nav.places', end: false },
  { to: '/synchronisation', key: 'nav.sync', end: false },
  { to: '/controles', key: 'attendance.nav.checks', end: false },
] as const;

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <div className="lang-switch" role="group" aria-label={t('language.label')}>
      {LANGUAGES.map((lng) => (
        <button
          key={lng}
          type="button"
          lang={lng}
          className="lang-button"
          aria-pressed={i18n.language === lng}
          onClick={() => void i18n.changeLanguage(lng)}
          title={t(`language.${lng}`)}
        >
          <span aria-hidden="true">{lng.toUpperCase()}</span>
          <span className="visually-hidden">{t(`language.${lng}`)}</span>
        </button>
      ))}
    </div>
  );
}

/** Header, navigation and the main landmark; moves focus to the page heading on navigation. */
export function Layout() {
  const { t } = useTranslation();
  const location = useLocation();
  const mainRef = useRef<HTMLElement>(null);
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    window.scrollTo(0, 0);
    mainRef.current?.focus({ preventScroll: true });
  }, [location.pathname]);

  return (
    <div className="app">
      <a className="skip-link" href="#main" onClick={(e) => { e.preventDefault(); mainRef.current?.focus(); }}>
        {t('nav.skip')}
      </a>
      <header className="app-header">
        <div className="brand">
          <svg className="brand-mark" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
            <rect width="32" height="32" rx="7" fill="currentColor" />
            <path d="M6 22c5-2 8-8 10-12m-4 13c4-2 7-7 9-11m-3 11c3-2 5-5 7-8" stroke="#f4d58d" strokeWidth="2.4" fill="none" strokeLinecap="round" />
          </svg>
          <span className="brand-name">Sillon</span>
          <span className="brand-tagline">{t('app.tagline')}</span>
        </div>
        <div className="header-tools">
          <NavLink to="/parametres" className="header-link">
            <span aria-hidden="true">⚙</span> <span className="header-link-text">{t('attendance.nav.settings')}</span>
          </NavLink>
          <LanguageSwitch />
        </div>
      </header>
      <nav className="app-nav" aria-label={t('nav.label')}>
        <ul>
          {NAV.map((item) => (
            <li key={item.to}>
              <NavLink to={item.to} end={item.end}>
                {t(item.key)}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" className="app-main" ref={mainRef} tabIndex={-1}>
        <Outlet />
      </main>
      <footer className="app-footer">
        <p>{t('app.footer')}</p>
      </footer>
    </div>
  );
}

/** A page's title and its main buttons. */
export function PageHeader({ title, intro, children }: { title: string; intro?: string; children?: ReactNode }) {
  return (
    <div className="page-header">
      <div>
        <h1>{title}</h1>
        {intro ? <p className="page-intro">{intro}</p> : null}
      </div>
      {children ? <div className="page-actions">{children}</div> : null}
    </div>
  );
}
