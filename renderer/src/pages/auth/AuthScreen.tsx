import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../../components/Layout';
import { passwordError } from '../../lib/labels';
import '../../accounts.css';
import { BrandMark } from '../../components/BrandMark';

/**
 * The frame of the screens shown before the app (first run, sign-in, lock): the brand and the language switch on
 * top, one centred card, no menu. The heading takes the focus when the screen appears, so a screen reader and a
 * keyboard start there.
 */
export function AuthScreen({ title, intro, children, wide }: { title: string; intro?: ReactNode; children: ReactNode; wide?: boolean }) {
  const { t } = useTranslation();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus({ preventScroll: true });
  }, [title]);
  return (
    <div className="auth-page">
      <header className="app-header">
        <div className="brand">
          <BrandMark />
          <span className="brand-name">Sillon</span>
          <span className="brand-tagline">{t('app.tagline')}</span>
        </div>
        <LanguageSwitch />
      </header>
      <main id="auth-main" className="auth-screen" tabIndex={-1}>
        <div className={`auth-card${wide ? ' auth-card-wide' : ''}`}>
          <h1 ref={heading} tabIndex={-1}>{title}</h1>
          {intro ? <div className="auth-intro">{intro}</div> : null}
          {children}
        </div>
      </main>
    </div>
  );
}

/**
 * What the new password still lacks, live as it is typed (shared/domain/accounts.ts, the rule the backend applies
 * again): the hint of the password field, read politely, « conforme » once it holds. Empty field: the rule itself
 * (or `empty`).
 *
 * @example
 * <Field label="Mot de passe" hint={<PasswordRule password={pw} login={login} />}>…</Field>
 */
export function PasswordRule({ password, login, empty }: { password: string; login: string; empty?: string | undefined }) {
  const { t } = useTranslation();
  const problem = password === '' ? null : (passwordError(password, login) ?? 'ok');
  return (
    <span className={`password-rule${problem === 'ok' ? ' is-ok' : problem ? ' is-wrong' : ''}`} aria-live="polite" data-testid="password-rule">
      {problem === null ? (empty ?? t('auth.password.rule')) : problem === 'ok' ? t('auth.password.ok') : problem}
    </span>
  );
}
