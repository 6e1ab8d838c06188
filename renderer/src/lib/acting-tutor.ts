import { useCallback, useSyncExternalStore } from 'react';
import { useAccount } from './auth';

/**
 * Who is using tutor mode (*mode tuteur*, /tuteur). Signed in with a tutor's account (issue #12), it is that
 * account's tutor, fixed: the person is the tutor, and the backend keeps the account to its own learners whatever
 * the screen sends. Signed in as centre staff or a facilitator (who help tutors on a shared tablet), it is the tutor
 * chosen at « Qui êtes-vous ? », kept in localStorage so the tablet left in the workshop reopens on the same
 * tutor's learners — a choice, not an identity: the backend records the sequence under the AFEST's designated tutor.
 *
 * @example
 * const { tutorId, fixed, choose, forget } = useActingTutor();
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

/**
 * The tutor acting in tutor mode (or null), whether it is `fixed` by the signed-in tutor account, and how to choose
 * or forget one (no effect when fixed).
 */
export function useActingTutor(): { tutorId: string | null; fixed: boolean; choose: (tutorId: string) => void; forget: () => void } {
  const account = useAccount();
  const chosen = useSyncExternalStore(subscribe, snapshot, () => null);
  const choose = useCallback((id: string) => write(id), []);
  const forget = useCallback(() => write(null), []);
  if (account?.role === 'tutor') return { tutorId: account.tutorId, fixed: true, choose: () => undefined, forget: () => undefined };
  return { tutorId: chosen, fixed: false, choose, forget };
}
