import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../../../shared/errors';
import { ROLES } from '../../../../shared/permissions';
import { signInInput } from '../../../../shared/schemas/accounts';
import { api, asApiError } from '../../api';
import { Field } from '../../components/Field';
import { ErrorBanner, SubmitButton } from '../../components/Feedback';
import { useAuth } from '../../lib/auth';
import { formResolver } from '../../lib/forms';
import { roleLabel } from '../../lib/labels';
import { AuthScreen } from './AuthScreen';

interface SignInValues {
  login: string;
  password: string;
}

/** The demo's accounts (electron/backend/demo/demo-accounts.ts): one per role, each login the role's own name. */
const DEMO_LOGINS = ROLES;

/**
 * The sign-in page: identifiant and mot de passe; the backend's refusal (wrong password, too many attempts, account
 * disabled) shows next to the field it names and takes the focus. On the demo, a box lists its six accounts and
 * their password. After a session ended elsewhere (account disabled, password changed, expired), it says so.
 */
export function SignInPage() {
  const { t } = useTranslation();
  const { status, apply, sessionEnded } = useAuth();
  const form = useForm<SignInValues>({ defaultValues: { login: '', password: '' }, resolver: formResolver<SignInValues>(signInInput, (v) => v) });
  const { register, setValue, setError, setFocus, formState: { errors, isSubmitting } } = form;
  const [failure, setFailure] = useState<ApiError | null>(null);

  const signIn = form.handleSubmit(async (v) => {
    setFailure(null);
    try {
      apply((await api['auth.signIn'](v)).status);
    } catch (e) {
      const error = asApiError(e);
      if (!error.issues?.length) {
        setFailure(error);
        return;
      }
      setValue('password', '');
      error.issues.forEach((issue, i) => {
        const name: keyof SignInValues = issue.path === 'login' ? 'login' : 'password';
        setError(name, { type: 'server', message: issue.message }, { shouldFocus: i === 0 });
      });
    }
  });

  const fillDemo = (login: string) => {
    setValue('login', login, { shouldValidate: false });
    setValue('password', 'demo');
    setFocus('password');
  };

  return (
    <AuthScreen title={t('auth.signIn.title')} intro={<p>{t('auth.signIn.intro')}</p>}>
      {sessionEnded ? <p className="notice" role="status">{t('auth.signIn.ended')}</p> : null}
      <form className="form auth-form" onSubmit={(e) => void signIn(e)} noValidate aria-busy={isSubmitting || undefined}>
        <ErrorBanner error={failure} />
        <Field label={t('auth.fields.login')} error={errors.login} required>
          {(p) => <input {...p} type="text" autoComplete="username" autoCapitalize="none" spellCheck={false} {...register('login')} />}
        </Field>
        <Field label={t('auth.fields.password')} error={errors.password} required>
          {(p) => <input {...p} type="password" autoComplete="current-password" {...register('password')} />}
        </Field>
        <SubmitButton busy={isSubmitting} className="btn btn-primary btn-block">{t('auth.signIn.submit')}</SubmitButton>
      </form>
      <p className="muted auth-help">{t('auth.signIn.help')}</p>
      {status.demoAccounts ? (
        <section className="demo-accounts" aria-labelledby="demo-accounts-title">
          <h2 id="demo-accounts-title">{t('auth.demo.title')}</h2>
          <p>{t('auth.demo.text')}</p>
          <ul className="demo-account-list">
            {DEMO_LOGINS.map((login) => (
              <li key={login}>
                <button type="button" className="btn btn-small btn-secondary demo-login" onClick={() => fillDemo(login)}>
                  <span className="mono">{login}</span>
                  <span className="visually-hidden"> — </span>
                  <span className="demo-role">{roleLabel(login)}</span>
                </button>
              </li>
            ))}
          </ul>
          <p className="demo-password">{t('auth.demo.password')}</p>
        </section>
      ) : null}
    </AuthScreen>
  );
}
