import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { useBlocker, type BlockerFunction } from 'react-router-dom';

/*
 * « Des saisies ne sont pas enregistrées » before leaving a screen: any component with unsaved input calls
 * `useUnsavedGuard(dirty)`; the one <UnsavedGuardHost/> of the router asks before a navigation inside the
 * app (react-router's blocker, which allows one blocker at a time: hence the registry) and the browser asks
 * before a reload or closing the window (beforeunload).
 */

const dirtyOnes = new Set<symbol>();
const listeners = new Set<() => void>();
const notify = () => listeners.forEach((l) => l());
const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};
const anyDirty = () => dirtyOnes.size > 0;

/** Warns before leaving the screen while `dirty` is true (unsaved input in this component). */
export function useUnsavedGuard(dirty: boolean): void {
  const [key] = useState(() => Symbol('unsaved'));
  useEffect(() => {
    if (!dirty) return;
    dirtyOnes.add(key);
    notify();
    return () => {
      dirtyOnes.delete(key);
      notify();
    };
  }, [dirty, key]);
}

/** Mounted once inside the router: asks before leaving while any component says it has unsaved input. */
export function UnsavedGuardHost() {
  const { t } = useTranslation();
  const dirty = useSyncExternalStore(subscribe, anyDirty);
  const shouldBlock = useCallback<BlockerFunction>(
    ({ currentLocation, nextLocation }) => anyDirty() && (currentLocation.pathname !== nextLocation.pathname || currentLocation.search !== nextLocation.search),
    [],
  );
  const blocker = useBlocker(shouldBlock);
  useEffect(() => {
    if (blocker.state !== 'blocked') return;
    if (window.confirm(t('unsaved.leave'))) blocker.proceed();
    else blocker.reset();
  }, [blocker, t]);
  useEffect(() => {
    if (!dirty) return;
    const ask = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', ask);
    return () => window.removeEventListener('beforeunload', ask);
  }, [dirty]);
  return null;
}
