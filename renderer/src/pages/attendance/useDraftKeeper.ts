import { useCallback, useMemo, useRef, useState } from 'react';
import type { ApiError } from '../../../../shared/errors';
import { api, asApiError } from '../../api';
import { keptDraft, type Draft } from './model';

interface Entry {
  latest: Draft | null;
  queued: boolean;
  failed: boolean;
  running: Promise<void> | null;
}

/**
 * Keeps each row of a roll call in progress with the backend as it is taken (`attendance.saveDraft`), so a
 * reload, a crash or a flat battery loses nothing. One request at a time per row, the latest value winning:
 * a burst of typing sends what is needed, in order. `unsaved` while a row is on its way or was refused;
 * `flush` waits for every row on its way (before recording the roll call, which consumes the drafts).
 */
export function useDraftKeeper(slotId: string) {
  const entries = useRef(new Map<string, Entry>());
  const [pending, setPending] = useState(0);
  const [error, setError] = useState<ApiError | null>(null);
  const count = useCallback(() => setPending(entries.current.size), []);

  const run = useCallback(
    async (enrolmentId: string, entry: Entry) => {
      while (entry.queued) {
        entry.queued = false;
        try {
          // The PIN is write-only: it travels with the mark, never in a draft.
          await api['attendance.saveDraft']({ slotId, enrolmentId, draft: entry.latest ? keptDraft(entry.latest) : null });
          entry.failed = false;
          setError(null);
        } catch (e) {
          entry.failed = true;
          setError(asApiError(e));
        }
      }
      entry.running = null;
      if (!entry.failed && entries.current.get(enrolmentId) === entry) entries.current.delete(enrolmentId);
      count();
    },
    [slotId, count],
  );

  const keep = useCallback(
    (enrolmentId: string, draft: Draft | null) => {
      const entry = entries.current.get(enrolmentId) ?? { latest: null, queued: false, failed: false, running: null };
      entry.latest = draft;
      entry.queued = true;
      entries.current.set(enrolmentId, entry);
      entry.running ??= run(enrolmentId, entry);
      count();
    },
    [run, count],
  );

  const flush = useCallback(async () => {
    await Promise.all([...entries.current.values()].map((e) => e.running));
  }, []);

  return useMemo(() => ({ keep, flush, unsaved: pending > 0, error }), [keep, flush, pending, error]);
}
