import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../../shared/errors';
import type { Permission } from '../../../shared/permissions';
import type { AuthStatus } from '../../../shared/schemas/accounts';
import { api, asApiError, onSessionLoss } from '../api';

/**
 * Who is signed in (issue #12), for the whole renderer: the sign-in gate (App.tsx) shows the first-run page, the
 * sign-in page, the lock screen or the app from it, and the screens ask `can(permission)` to hide what the role
 * cannot do. Hiding is a courtesy: the backend checks every call again and is what refuses.
 *
 * The status is read from `auth.status` at start, after every sign-in method, and again whenever a call comes back
 * `unauthenticated` or `locked` (api.ts `onSessionLoss`): an account disabled elsewhere lands on the sign-in page at
 * its next call. An inactivity timer (pointer, keys, touch) locks the session after `lockAfterMinutes`.
 *
 * @example
 * const { status, can } = useAuth();
 * if (can('claims.read')) …
 */
export interface Auth {
  status: AuthStatus;
  /** Reads `auth.status` again (a single request however many callers ask at once). */
  refresh: () => Promise<void>;
  /** Takes the status a sign-in method answered (`auth.signIn`, `auth.unlock`, `auth.setPin`…). */
  apply: (status: AuthStatus) => void;
  can: (permission: Permission) => boolean;
  /** Ends the session on purpose (« Se déconnecter », « Changer d'utilisateur ») and goes back to the home route. */
  signOut: () => Promise<void>;
  /** Locks the session now (« Verrouiller », or the inactivity timer). */
  lock: () => Promise<void>;
  /** The session ended without a sign-out here (disabled account, password changed, expired): the sign-in page says so. */
  sessionEnded: boolean;
}

const AuthContext = createContext<Auth | null>(null);

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth() hors de <AuthProvider>.');
  return auth;
}

/** The signed-in account, when there is one (null on the sign-in pages). */
export function useAccount() {
  return useAuth().status.account;
}

/**
 * While the person works in the page without calling the backend (typing a long form), the backend would count
 * the session idle; a light call at most this often keeps it open. Any signed-in method counts as activity
 * (electron/backend/auth/sessions.ts); `auth.settings` is the cheapest.
 */
const KEEP_ALIVE_MS = 60_000;
const ACTIVITY_EVENTS = ['pointerdown', 'pointermove', 'keydown', 'touchstart', 'wheel'] as const;

export function AuthProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<AuthStatus | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [sessionEnded, setSessionEnded] = useState(false);
  const inFlight = useRef<Promise<void> | null>(null);
  const signedIn = useRef(false);

  const apply = useCallback((next: AuthStatus) => {
    // Signed in before, not now, and nobody here signed out: the session ended elsewhere.
    if (signedIn.current && !next.signedIn) setSessionEnded(true);
    if (next.signedIn) setSessionEnded(false);
    signedIn.current = next.signedIn;
    setStatus(next);
    setError(null);
  }, []);

  const refresh = useCallback(() => {
    inFlight.current ??= api['auth.status']()
      .then(apply, (e: unknown) => setError(asApiError(e)))
      .finally(() => {
        inFlight.current = null;
      });
    return inFlight.current;
  }, [apply]);

  useEffect(() => {
    void refresh();
    return onSessionLoss(() => void refresh());
  }, [refresh]);

  const signOut = useCallback(async () => {
    signedIn.current = false;
    try {
      apply(await api['auth.signOut']());
    } catch {
      await refresh();
    }
    // The next person starts from the home page, not from the screen the last one left open.
    if (window.location.hash && window.location.hash !== '#/') window.location.hash = '#/';
  }, [apply, refresh]);

  const lock = useCallback(async () => {
    try {
      apply(await api['auth.lock']());
    } catch {
      await refresh();
    }
  }, [apply, refresh]);

  const active = Boolean(status?.signedIn && !status.locked);
  const lockAfterMs = (status?.lockAfterMinutes ?? 15) * 60_000;
  useEffect(() => {
    if (!active) return;
    let last = Date.now();
    let lastKeepAlive = last;
    let timer = 0;
    // One timer to the deadline, moved on when it fires early: no clearTimeout on every mouse move.
    const check = () => {
      const idle = Date.now() - last;
      if (idle >= lockAfterMs) void lock();
      else timer = window.setTimeout(check, lockAfterMs - idle);
    };
    const activity = () => {
      last = Date.now();
      if (last - lastKeepAlive >= KEEP_ALIVE_MS) {
        lastKeepAlive = last;
        // A refusal here (session ended or locked elsewhere) reaches the gate through onSessionLoss.
        api['auth.settings']().catch(() => undefined);
      }
    };
    for (const e of ACTIVITY_EVENTS) window.addEventListener(e, activity, { capture: true, passive: true });
    timer = window.setTimeout(check, lockAfterMs);
    return () => {
      window.clearTimeout(timer);
      for (const e of ACTIVITY_EVENTS) window.removeEventListener(e, activity, { capture: true });
    };
  }, [active, lockAfterMs, lock]);

  const permissions = useMemo(() => new Set(status?.permissions ?? []), [status]);
  const value = useMemo<Auth | null>(
    () => (status ? { status, refresh, apply, can: (p) => permissions.has(p), signOut, lock, sessionEnded } : null),
    [status, refresh, apply, permissions, signOut, lock, sessionEnded],
  );
  if (!value) return <StartScreen error={error} onRetry={() => void refresh()} />;
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

/** Before the first status: a spinner, or why the local service does not answer and a way to try again. */
function StartScreen({ error, onRetry }: { error: ApiError | null; onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <main id="auth-main" className="auth-screen">
      {/* Busy inside the main landmark, where the e2e helpers' `settled` looks for it. */}
      <div className="auth-card" aria-busy={!error}>
        {error ? (
          <>
            <h1>{t('auth.start.errorTitle')}</h1>
            <div className="banner banner-error" role="alert">
              <span className="banner-text">{error.message}</span>
            </div>
            <button type="button" className="btn btn-primary" onClick={onRetry}>{t('auth.start.retry')}</button>
          </>
        ) : (
          <div className="loading" role="status" aria-live="polite">
            <span className="spinner" aria-hidden="true" />
            <span>{t('common.loading')}</span>
          </div>
        )}
      </div>
    </main>
  );
}
