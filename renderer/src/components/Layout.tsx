import { Fragment, useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink, Outlet, useLocation } from 'react-router-dom';
import { LANGUAGES } from '../i18n';

/**
 * The menu, by what people come to do. A group with no screen yet is not shown: a menu of promises that lead
 * nowhere is noise, and its entries appear here when their screens exist. « Mode tuteur » opens a screen of
 * its own, without this menu (a tutor's tablet).
 */
export const NAV_GROUPS = [
  { key: 'attendance', entries: [{ to: '/emargement', key: 'attendance.nav.day' }, { to: '/sessions', key: 'nav.sessions' }] },
  { key: 'afest', entries: [{ to: '/afest', key: 'nav.afest' }, { to: '/tuteur', key: 'nav.tutorMode' }] },
  { key: 'funding', entries: [{ to: '/demandes', key: 'nav.claims' }, { to: '/financeurs', key: 'nav.funders' }, { to: '/contrats', key: 'nav.contracts' }, { to: '/synchronisation', key: 'nav.sync' }] },
  { key: 'steering', entries: [{ to: '/controles', key: 'attendance.nav.checks' }, { to: '/verifier', key: 'nav.verifyDocument' }] },
  {
    key: 'referentials',
    entries: [
      { to: '/actions', key: 'nav.actions' },
      { to: '/stagiaires', key: 'nav.trainees' },
      { to: '/entreprises', key: 'nav.companies' },
      { to: '/formateurs', key: 'nav.trainers' },
      { to: '/lieux', key: 'nav.places' },
    ],
  },
  { key: 'admin', entries: [{ to: '/organisme', key: 'nav.organisation' }, { to: '/parametres', key: 'attendance.nav.settings' }] },
] as const satisfies readonly { key: string; entries: readonly { to: string; key: string }[] }[];

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

/**
 * Header, grouped navigation and the main landmark; moves focus to the page heading on navigation.
 * From 1100 px the menu is a sidebar, always shown; below (tablets), a « Menu » button in the header opens
 * it as a panel (Escape or a chosen page closes it, focus comes back to the button).
 */
export function Layout() {
  const { t } = useTranslation();
  const location = useLocation();
  const mainRef = useRef<HTMLElement>(null);
  const menuButtonRef = useRef<HTMLButtonElement>(null);
  const navRef = useRef<HTMLElement>(null);
  const [menuOpen, setMenuOpen] = useState(false);
  const first = useRef(true);
  useEffect(() => {
    setMenuOpen(false);
    if (first.current) {
      first.current = false;
      return;
    }
    window.scrollTo(0, 0);
    mainRef.current?.focus({ preventScroll: true });
  }, [location.pathname]);

  useEffect(() => {
    if (menuOpen) navRef.current?.querySelector<HTMLElement>('a')?.focus();
  }, [menuOpen]);

  function closeMenu() {
    setMenuOpen(false);
    menuButtonRef.current?.focus();
  }

  function onNavKeyDown(event: KeyboardEvent<HTMLElement>) {
    if (menuOpen && event.key === 'Escape') {
      event.preventDefault();
      closeMenu();
    }
  }

  return (
    <div className={`app${menuOpen ? ' menu-open' : ''}`}>
      <a className="skip-link" href="#main" onClick={(e) => { e.preventDefault(); mainRef.current?.focus(); }}>
        {t('nav.skip')}
      </a>
      <header className="app-header">
        <div className="brand">
          <button
            type="button"
            className="menu-button"
            ref={menuButtonRef}
            aria-expanded={menuOpen}
            aria-controls="app-nav"
            onClick={() => (menuOpen ? closeMenu() : setMenuOpen(true))}
          >
            <span aria-hidden="true" className="menu-icon">☰</span> {t('nav.menu')}
          </button>
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
      <div className="app-body">
        {menuOpen ? <div className="menu-backdrop" aria-hidden="true" onClick={closeMenu} /> : null}
        <nav id="app-nav" className="app-nav" aria-label={t('nav.label')} ref={navRef} onKeyDown={onNavKeyDown}>
          <ul className="nav-groups">
            <li>
              <NavLink to="/" end>
                {t('nav.home')}
              </NavLink>
            </li>
            {NAV_GROUPS.filter((g) => g.entries.length > 0).map((group: (typeof NAV_GROUPS)[number]) => (
              <li key={group.key} className="nav-group">
                <span className="nav-group-label" id={`nav-group-${group.key}`}>{t(`nav.groups.${group.key}`)}</span>
                <ul aria-labelledby={`nav-group-${group.key}`}>
                  {group.entries.map((item: (typeof NAV_GROUPS)[number]['entries'][number]) => (
                    <li key={item.to}>
                      <NavLink to={item.to}>
                        {t(item.key)}
                      </NavLink>
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        </nav>
        <div className="app-content">
          <main id="main" className="app-main" ref={mainRef} tabIndex={-1}>
            {/* A new path is a new page: another claim or slot starts from its own loading state, never from the
                one being left. */}
            <Fragment key={location.pathname}>
              <Outlet />
            </Fragment>
          </main>
          <footer className="app-footer">
            <p>{t('app.footer')}</p>
          </footer>
        </div>
      </div>
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
