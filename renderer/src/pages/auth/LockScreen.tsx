import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ACCOUNT_PIN_PATTERN } from '../../../../shared/domain/accounts';
import type { ApiError } from '../../../../shared/errors';
import { api, asApiError } from '../../api';
import { Field } from '../../components/Field';
import { ErrorBanner, SubmitButton } from '../../components/Feedback';
import { useAuth } from '../../lib/auth';
import { AuthScreen } from './AuthScreen';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

/**
 * « Session verrouillée — <name> », after inactivity or « Verrouiller »: the account's PIN (a keypad for a shared
 * tablet, the system's numeric keyboard too) when it has one and it has not failed too often here, else the
 * password. « Changer d'utilisateur » signs out. The app stays where it was underneath (App.tsx): unlocking
 * returns to the same screen, what was typed still there.
 */
export function LockScreen() {
  const { t } = useTranslation();
  const { status, apply, refresh, signOut } = useAuth();
  const [mode, setMode] = useState<'pin' | 'password'>(status.pinUnlock ? 'pin' : 'password');
  const [value, setValue] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  // Too many wrong PINs here: the backend now wants the password (its message stays on the field).
  useEffect(() => {
    if (!status.pinUnlock) setMode('password');
  }, [status.pinUnlock]);

  const switchTo = (next: 'pin' | 'password') => {
    setMode(next);
    setValue('');
    setFieldError(undefined);
    window.setTimeout(() => input.current?.focus());
  };

  async function unlock(e?: FormEvent) {
    e?.preventDefault();
    setFailure(null);
    if (mode === 'pin' && !ACCOUNT_PIN_PATTERN.test(value)) {
      setFieldError(t('auth.lock.pinFormat'));
      input.current?.focus();
      return;
    }
    if (mode === 'password' && value === '') {
      setFieldError(t('auth.lock.passwordMissing'));
      input.current?.focus();
      return;
    }
    setBusy(true);
    try {
      apply(await api['auth.unlock'](mode === 'pin' ? { pin: value } : { password: value }));
    } catch (err) {
      const error = asApiError(err);
      setValue('');
      if (error.issues?.length) setFieldError(error.issues[0]!.message);
      else setFailure(error);
      // A wrong PIN may have been the last one allowed: the status says whether the PIN still unlocks.
      if (mode === 'pin') await refresh();
      input.current?.focus();
    } finally {
      setBusy(false);
    }
  }

  const name = status.account?.name ?? '';
  const id = 'unlock-secret';
  return (
    <AuthScreen title={t('auth.lock.title', { name })} intro={<p>{t('auth.lock.intro', { count: status.lockAfterMinutes })}</p>}>
      <form className="form auth-form" onSubmit={(e) => void unlock(e)} noValidate aria-busy={busy || undefined}>
        <ErrorBanner error={failure} />
        <Field id={id} label={mode === 'pin' ? t('auth.lock.pin') : t('auth.fields.password')} error={fieldError ? { message: fieldError } : undefined} hint={mode === 'pin' ? t('auth.lock.pinHint') : undefined}>
          {(p) =>
            mode === 'pin' ? (
              <input
                {...p}
                ref={input}
                className="pin-input"
                type="password"
                inputMode="numeric"
                pattern="[0-9]*"
                autoComplete="off"
                maxLength={8}
                value={value}
                onChange={(e) => {
                  setValue(e.target.value.replace(/\D/g, '').slice(0, 8));
                  setFieldError(undefined);
                }}
              />
            ) : (
              <input
                {...p}
                ref={input}
                type="password"
                autoComplete="current-password"
                value={value}
                onChange={(e) => {
                  setValue(e.target.value);
                  setFieldError(undefined);
                }}
              />
            )
          }
        </Field>
        {mode === 'pin' ? (
          <div className="keypad" role="group" aria-label={t('auth.lock.keypad')}>
            {KEYS.map((k) => (
              <button key={k} type="button" className="keypad-key" onClick={() => { setValue((v) => (v + k).slice(0, 8)); setFieldError(undefined); }}>{k}</button>
            ))}
            <button type="button" className="keypad-key keypad-erase" onClick={() => setValue((v) => v.slice(0, -1))} aria-label={t('auth.lock.erase')}>
              <span aria-hidden="true">⌫</span>
            </button>
            <button type="button" className="keypad-key" onClick={() => { setValue((v) => (v + '0').slice(0, 8)); setFieldError(undefined); }}>0</button>
            <span aria-hidden="true" />
          </div>
        ) : null}
        <SubmitButton busy={busy} className="btn btn-primary btn-block">{t('auth.lock.submit')}</SubmitButton>
      </form>
      <div className="auth-links">
        {mode === 'pin' ? (
          <button type="button" className="btn btn-ghost" onClick={() => switchTo('password')}>{t('auth.lock.usePassword')}</button>
        ) : status.pinUnlock ? (
          <button type="button" className="btn btn-ghost" onClick={() => switchTo('pin')}>{t('auth.lock.usePin')}</button>
        ) : null}
        <button type="button" className="btn btn-secondary" onClick={() => void signOut()}>{t('auth.lock.switchUser')}</button>
      </div>
    </AuthScreen>
  );
}
