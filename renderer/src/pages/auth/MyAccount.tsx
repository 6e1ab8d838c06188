import { useRef } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { changePasswordInput, setPinInput } from '../../../../shared/schemas/accounts';
import { api } from '../../api';
import { Field } from '../../components/Field';
import { ErrorBanner, SubmitButton, SuccessBanner } from '../../components/Feedback';
import { PageHeader } from '../../components/Layout';
import { useAuth } from '../../lib/auth';
import { formatDateTime } from '../../lib/format';
import { passwordError, roleLabel } from '../../lib/labels';
import { formResolver, useSubmitState } from '../../lib/forms';
import { useTimeZone } from '../../lib/timeZone';
import { PasswordRule } from './AuthScreen';
import '../../accounts.css';

/**
 * « Mon compte »: who is signed in and with which role, the PIN that unlocks a locked session on a shared tablet
 * (set, replaced or removed, the password confirming it), and a new password (the rule shown live; the account's
 * other sessions end).
 */
export function MyAccountPage() {
  const { t } = useTranslation();
  const { status } = useAuth();
  const zone = useTimeZone();
  const account = status.account;
  if (!account) return null;
  return (
    <div>
      <PageHeader title={t('account.title')} intro={t('account.intro')} />
      <section className="panel" aria-labelledby="account-who">
        <h2 id="account-who">{account.name}</h2>
        <dl className="facts account-facts">
          <div>
            <dt>{t('auth.fields.login')}</dt>
            <dd className="mono">{account.login}</dd>
          </div>
          <div>
            <dt>{t('accounts.fields.role')}</dt>
            <dd>
              {roleLabel(account.role)}
              <span className="cell-sub">{t(`accounts.roleHelp.${account.role}`)}</span>
            </dd>
          </div>
          <div>
            <dt>{t('auth.fields.email')}</dt>
            <dd>{account.email ?? '—'}</dd>
          </div>
          <div>
            <dt>{t('accounts.columns.lastSignIn')}</dt>
            <dd>{formatDateTime(account.lastSignInAt, zone)}</dd>
          </div>
        </dl>
      </section>
      <div className="two-col">
        <PinPanel hasPin={account.hasPin} />
        <PasswordPanel login={account.login} />
      </div>
    </div>
  );
}

interface PinValues {
  pin: string;
  password: string;
}

function PinPanel({ hasPin }: { hasPin: boolean }) {
  const { t } = useTranslation();
  const { apply } = useAuth();
  // « Retirer » sends no PIN: the same form, the same password check.
  const removing = useRef(false);
  const toInput = (v: PinValues) => ({ pin: removing.current ? null : v.pin, password: v.password });
  const form = useForm<PinValues>({ defaultValues: { pin: '', password: '' }, resolver: formResolver<PinValues>(setPinInput, toInput) });
  const submit = useSubmitState(form);
  const { register, reset, formState: { errors, isSubmitting } } = form;
  const save = form.handleSubmit(
    (v) =>
      submit.run(async () => {
        const wasRemoving = removing.current;
        apply(await api['auth.setPin'](toInput(v)));
        reset();
        return wasRemoving ? t('account.pin.removed') : t('account.pin.saved');
      }),
    submit.invalid,
  );
  return (
    <section className="panel" aria-labelledby="account-pin-title">
      <h2 id="account-pin-title">{t('account.pin.title')}</h2>
      <p className="muted">{t('account.pin.help')}</p>
      <p data-testid="account-pin-status">{hasPin ? t('account.pin.set') : t('account.pin.none')}</p>
      <SuccessBanner>{submit.done}</SuccessBanner>
      <form className="form" onSubmit={(e) => { removing.current = false; void save(e); }} noValidate aria-busy={isSubmitting || undefined}>
        <ErrorBanner error={submit.error} />
        <Field label={hasPin ? t('account.pin.newPin') : t('account.pin.pin')} error={errors.pin} hint={t('account.pin.format')}>
          {(p) => <input {...p} className="pin-input" type="password" inputMode="numeric" pattern="[0-9]*" autoComplete="off" maxLength={8} {...register('pin')} />}
        </Field>
        <Field label={t('account.currentPassword')} error={errors.password} required hint={t('account.pin.passwordHint')}>
          {(p) => <input {...p} type="password" autoComplete="current-password" {...register('password')} />}
        </Field>
        <div className="form-footer">
          {hasPin ? (
            <button type="button" className="btn btn-ghost" disabled={isSubmitting} onClick={(e) => { removing.current = true; void save(e); }}>
              {t('account.pin.remove')}
            </button>
          ) : <span />}
          <SubmitButton busy={isSubmitting}>{hasPin ? t('account.pin.replace') : t('account.pin.submit')}</SubmitButton>
        </div>
      </form>
    </section>
  );
}

interface PasswordValues {
  current: string;
  next: string;
  confirm: string;
}

function PasswordPanel({ login }: { login: string }) {
  const { t } = useTranslation();
  const { apply } = useAuth();
  const toInput = (v: PasswordValues) => ({ current: v.current, next: v.next });
  const form = useForm<PasswordValues>({
    defaultValues: { current: '', next: '', confirm: '' },
    resolver: formResolver<PasswordValues>(changePasswordInput, toInput, {
      check: (v) => {
        return {
          next: passwordError(v.next, login),
          confirm: v.confirm === v.next ? undefined : t('auth.password.mismatch'),
        };
      },
    }),
  });
  const submit = useSubmitState(form);
  const { register, reset, watch, formState: { errors, isSubmitting } } = form;
  const next = watch('next');
  const save = form.handleSubmit(
    (v) =>
      submit.run(async () => {
        apply(await api['auth.changePassword'](toInput(v)));
        reset();
        return t('account.password.saved');
      }),
    submit.invalid,
  );
  return (
    <section className="panel" aria-labelledby="account-password-title">
      <h2 id="account-password-title">{t('account.password.title')}</h2>
      <p className="muted">{t('account.password.help')}</p>
      <SuccessBanner>{submit.done}</SuccessBanner>
      <form className="form" onSubmit={(e) => void save(e)} noValidate aria-busy={isSubmitting || undefined}>
        <ErrorBanner error={submit.error} />
        <Field label={t('account.currentPassword')} error={errors.current} required>
          {(p) => <input {...p} type="password" autoComplete="current-password" {...register('current')} />}
        </Field>
        <Field label={t('account.password.next')} error={errors.next} required hint={<PasswordRule password={next} login={login} />}>
          {(p) => <input {...p} type="password" autoComplete="new-password" {...register('next')} />}
        </Field>
        <Field label={t('auth.fields.confirm')} error={errors.confirm} required>
          {(p) => <input {...p} type="password" autoComplete="new-password" {...register('confirm')} />}
        </Field>
        <div className="form-footer">
          <span />
          <SubmitButton busy={isSubmitting}>{t('account.password.submit')}</SubmitButton>
        </div>
      </form>
    </section>
  );
}
