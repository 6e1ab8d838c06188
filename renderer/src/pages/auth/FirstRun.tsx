import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../../../shared/errors';
import { setupInput } from '../../../../shared/schemas/accounts';
import { api, asApiError } from '../../api';
import { Field } from '../../components/Field';
import { ErrorBanner, SubmitButton } from '../../components/Feedback';
import { useAuth } from '../../lib/auth';
import { passwordError } from '../../lib/labels';
import { formResolver, orNull, useSubmitState } from '../../lib/forms';
import { AuthScreen, PasswordRule } from './AuthScreen';

interface SetupValues {
  name: string;
  login: string;
  email: string;
  password: string;
  confirm: string;
}

const toInput = (v: SetupValues) => ({ login: v.login, name: v.name, email: orNull(v.email), password: v.password });
/** The login as the backend will keep it, for the « not the login » part of the password rule. */
const loginOf = (v: { login: string }) => v.login.trim().toLowerCase();

/**
 * The first run (no account yet): « Bienvenue dans Sillon » — the administrator creates their own account (the
 * password rule shown live), or discovers Sillon with the demo data, signed in as its administrator.
 */
export function FirstRunPage() {
  const { t } = useTranslation();
  const { apply, refresh } = useAuth();
  const form = useForm<SetupValues>({
    defaultValues: { name: '', login: '', email: '', password: '', confirm: '' },
    resolver: formResolver<SetupValues>(setupInput, toInput, {
      check: (v) => {
        return {
          password: passwordError(v.password, loginOf(v)),
          confirm: v.confirm === v.password ? undefined : t('auth.password.mismatch'),
        };
      },
    }),
  });
  const submit = useSubmitState(form);
  const { register, watch, formState: { errors, isSubmitting } } = form;
  const [password, login] = watch(['password', 'login']);
  const [demoBusy, setDemoBusy] = useState(false);
  const [demoError, setDemoError] = useState<ApiError | null>(null);

  const save = form.handleSubmit(
    (v) =>
      submit.run(async () => {
        try {
          apply((await api['auth.setup'](toInput(v))).status);
        } catch (e) {
          // Someone created the first account meanwhile (another window): the status now leads to the sign-in page.
          if (asApiError(e).code === 'business') void refresh();
          throw e;
        }
      }),
    submit.invalid,
  );

  async function loadDemo() {
    setDemoBusy(true);
    setDemoError(null);
    try {
      apply((await api['auth.loadDemo']()).status);
    } catch (e) {
      setDemoError(asApiError(e));
      setDemoBusy(false);
    }
  }

  return (
    <AuthScreen title={t('auth.firstRun.title')} intro={<p>{t('auth.firstRun.intro')}</p>} wide>
      <div className="first-run">
        <section aria-labelledby="first-run-admin" className="first-run-part">
          <h2 id="first-run-admin">{t('auth.firstRun.adminTitle')}</h2>
          <p className="muted">{t('auth.firstRun.adminText')}</p>
          <form className="form" onSubmit={(e) => void save(e)} noValidate aria-busy={isSubmitting || undefined}>
            <p className="form-note">{t('common.requiredNote')}</p>
            <ErrorBanner error={submit.error} />
            <Field label={t('auth.fields.name')} error={errors.name} required>
              {(p) => <input {...p} type="text" autoComplete="name" {...register('name')} />}
            </Field>
            <Field label={t('auth.fields.login')} error={errors.login} required hint={t('auth.hints.login')}>
              {(p) => <input {...p} type="text" autoComplete="username" autoCapitalize="none" spellCheck={false} {...register('login')} />}
            </Field>
            <Field label={t('auth.fields.email')} error={errors.email}>
              {(p) => <input {...p} type="email" autoComplete="email" {...register('email')} />}
            </Field>
            <Field label={t('auth.fields.password')} error={errors.password} required hint={<PasswordRule password={password} login={loginOf({ login })} />}>
              {(p) => <input {...p} type="password" autoComplete="new-password" {...register('password')} />}
            </Field>
            <Field label={t('auth.fields.confirm')} error={errors.confirm} required>
              {(p) => <input {...p} type="password" autoComplete="new-password" {...register('confirm')} />}
            </Field>
            <div className="form-footer">
              <SubmitButton busy={isSubmitting}>{t('auth.firstRun.create')}</SubmitButton>
            </div>
          </form>
        </section>
        <section aria-labelledby="first-run-demo" className="first-run-part first-run-demo">
          <h2 id="first-run-demo">{t('auth.firstRun.demoTitle')}</h2>
          <p>{t('auth.firstRun.demoText')}</p>
          <p className="muted">{t('auth.firstRun.demoAccounts')}</p>
          <ErrorBanner error={demoError} />
          <button type="button" className="btn btn-secondary" onClick={() => void loadDemo()} disabled={demoBusy} aria-busy={demoBusy || undefined}>
            {demoBusy ? <span className="spinner spinner-small spinner-dark" aria-hidden="true" /> : null}
            {demoBusy ? t('auth.firstRun.demoLoading') : t('auth.firstRun.demo')}
          </button>
        </section>
      </div>
    </AuthScreen>
  );
}
