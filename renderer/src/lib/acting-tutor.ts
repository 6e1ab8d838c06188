import { useCallback, useSyncExternalStore } from 'react';

/**
 * Who is using tutor mode (*mode tuteur*, /tuteur) on this tablet: the tutor chosen at « Qui êtes-vous ? »,
 * kept in localStorage so the tablet left in the workshop reopens on the same tutor's learners.
 *
 * **Temporary, and the only place that knows it**: there is no sign-in yet, so this is a choice, not an
 * identity — anyone holding the tablet can pick any tutor, and the backend records the sequence under the
 * AFEST's designated tutor whatever the screen says. Sign-in (issue #12) replaces this module: the signed-in
 * user *is* the tutor, and the screens that call {@link useActingTutor} take it from the session instead.
 *
 * @example
 * const { tutorId, choose, forget } = useActingTutor();
 * if (!tutorId) return <WhoAreYou onChoose={choose} />;
 */

const STORAGE_KEY = 'sillon.actingTutor';
const listeners = new Set<() => void>();

function read(): string | null {
  try {
    const v = window.localStorage.getItem(STORAGE_KEY);
    return v && /^[0-9a-f-]{36}$/i.test(v) ? v : null;
  } catch {
    return null; // private mode, locked profile: tutor mode asks again
  }
}

function write(tutorId: string | null): void {
  try {
    if (tutorId) window.localStorage.setItem(STORAGE_KEY, tutorId);
    else window.localStorage.removeItem(STORAGE_KEY);
  } catch {
    // The choice then lasts as long as the page: nothing else to do.
  }
  memory = tutorId;
  listeners.forEach((l) => l());
}

/** What the page holds when storage is refused, so the choice still lasts until the page closes. */
let memory: string | null | undefined;

function snapshot(): string | null {
  return memory === undefined ? read() : (read() ?? memory);
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  // Another window of the app (or the menu's mode tuteur link in another tab) changed the choice.
  const onStorage = (e: StorageEvent) => {
    if (e.key === STORAGE_KEY) listener();
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}

/** The tutor chosen on this device (or null), and how to choose or forget one. */
export function useActingTutor(): { tutorId: string | null; choose: (tutorId: string) => void; forget: () => void } {
  const tutorId = useSyncExternalStore(subscribe, snapshot, () => null);
  const choose = useCallback((id: string) => write(id), []);
  const forget = useCallback(() => write(null), []);
  return { tutorId, choose, forget };
}
