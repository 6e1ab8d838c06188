import { useEffect, useState } from 'react';
import { api } from '../api';

/** Until the profile answers (or when none is saved yet): metropolitan France, the backend's default too. */
const DEFAULT_TIME_ZONE = 'Europe/Paris';

let loading: Promise<string> | null = null;
let known: string | null = null;

function loadTimeZone(): Promise<string> {
  loading ??= api['organisation.get']().then(
    (o) => (known = o?.timeZone || DEFAULT_TIME_ZONE),
    () => {
      loading = null; // try again next time
      return DEFAULT_TIME_ZONE;
    },
  );
  return loading;
}

/** After the profile is saved: the next screen reads the zone again. */
export function forgetTimeZone(): void {
  loading = null;
  known = null;
}

/**
 * The training body's IANA time zone (organisation.get), for "today" and the times shown: a roll call in
 * Cayenne reads Cayenne's clock, whatever the computer's zone. Loaded once, shared by every screen.
 */
export function useTimeZone(): string {
  const [zone, setZone] = useState(known ?? DEFAULT_TIME_ZONE);
  useEffect(() => {
    let live = true;
    void loadTimeZone().then((z) => {
      if (live) setZone(z);
    });
    return () => {
      live = false;
    };
  }, []);
  return zone;
}
