import { Fragment, useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink, Outlet, useLocation } from 'react-router-dom';
import { LANGUAGES } from '../i18n';
import { useAuth } from '../lib/auth';
import { roleLabel } from '../lib/labels';
import { menuFor, NAV_GROUPS, permissionFor } from '../lib/nav';
import '../accounts.css';
import { BrandMark } from './BrandMark';

/** The menu's groups and entries, each with the permission it needs (lib/nav.ts). */
export { NAV_GROUPS };

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
  const { can, status } = useAuth();
  const location = useLocation();
  const required = permissionFor(location.pathname);
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

  const menu = menuFor(status.permissions);

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
          <BrandMark />
          <span className="brand-name">Sillon</span>
          <span className="brand-tagline">{t('app.tagline')}</span>
        </div>
        <div className="header-tools">
          {can('system.admin') ? (
            <NavLink to="/parametres" className="header-link">
              <span aria-hidden="true">⚙</span> <span className="header-link-text">{t('attendance.nav.settings')}</span>
            </NavLink>
          ) : null}
          <AccountMenu />
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
            {menu.map((group) => (
              <li key={group.key} className="nav-group">
                <span className="nav-group-label" id={`nav-group-${group.key}`}>{t(`nav.groups.${group.key}`)}</span>
                <ul aria-labelledby={`nav-group-${group.key}`}>
                  {group.entries.map((item) => (
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
          <main id="main" className="app-main" ref={mainRef} tabIndex={-1} data-route={location.pathname}>
            {/* A new path is a new page: another claim or slot starts from its own loading state, never from the
                one being left. */}
            <Fragment key={location.pathname}>
              {required && !can(required) ? <NoAccess /> : <Outlet />}
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

/**
 * The signed-in person in the header — name and role — opening a small menu: « Mon compte », « Verrouiller » (a
 * shared tablet left for a moment), « Se déconnecter ». A disclosure, not an ARIA menu: links and buttons in a list,
 * Escape or a click outside closes it and the focus comes back to the button.
 */
function AccountMenu() {
  const { t } = useTranslation();
  const { status, lock, signOut } = useAuth();
  const location = useLocation();
  const [open, setOpen] = useState(false);
  const wrapper = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => setOpen(false), [location.pathname]);
  useEffect(() => {
    if (!open) return;
    const away = (e: MouseEvent) => {
      if (wrapper.current && !wrapper.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', away);
    return () => document.removeEventListener('mousedown', away);
  }, [open]);
  const account = status.account;
  if (!account) return null;
  const initials = account.name.split(/\s+/).filter(Boolean).slice(0, 2).map((w) => w.charAt(0).toUpperCase()).join('');
  const close = () => {
    setOpen(false);
    button.current?.focus();
  };
  return (
    <div
      className="account-menu"
      ref={wrapper}
      onKeyDown={(e) => {
        if (open && e.key === 'Escape') {
          e.preventDefault();
          close();
        }
      }}
    >
      <button type="button" ref={button} className="account-button" aria-expanded={open} aria-controls="account-menu-panel" onClick={() => setOpen((o) => !o)}>
        <span className="account-avatar" aria-hidden="true">{initials}</span>
        <span className="account-text">
          <span className="visually-hidden">{t('auth.menu.label')} </span>
          <span className="account-name">{account.name}</span>
          <span className="account-role">{roleLabel(account.role)}</span>
        </span>
        <span className="account-caret" aria-hidden="true">▾</span>
      </button>
      {open ? (
        <div id="account-menu-panel" className="account-panel">
          <ul>
            <li>
              <Link to="/compte" onClick={() => setOpen(false)}>{t('auth.menu.myAccount')}</Link>
            </li>
            <li>
              <button type="button" onClick={() => void lock()}>{t('auth.menu.lock')}</button>
            </li>
            <li>
              <button type="button" onClick={() => void signOut()}>{t('auth.menu.signOut')}</button>
            </li>
          </ul>
        </div>
      ) : null}
    </div>
  );
}

/** A screen the role cannot use, reached by an old link or a typed address: says so rather than showing refusals. */
function NoAccess() {
  const { t } = useTranslation();
  const { status } = useAuth();
  return (
    <div>
      <PageHeader title={t('auth.noAccess.title')} />
      <p className="notice">{t('auth.noAccess.text', { role: status.account ? roleLabel(status.account.role) : '' })}</p>
      <p>
        <Link to="/">{t('auth.noAccess.home')}</Link>
      </p>
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
