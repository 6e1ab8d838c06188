import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { v7 as uuidv7 } from 'uuid';
import type { ApiError } from '../../../../shared/errors';
import type { RollCall } from '../../../../shared/schemas/attendance';
import type { RowDraft } from '../../../../shared/schemas/rollcall-draft';
import { SIGNATURE_WINDOW_MINUTES, signedOutsideWindow } from '../../../../shared/domain/signature-window';
import { useUnsavedGuard } from '../../lib/useUnsavedGuard';
import { api, asApiError } from '../../api';
import { ErrorBanner, SuccessBanner } from '../../components/Feedback';
import { SignatureDialog } from '../../components/SignaturePad';
import { formatDate, formatLongDate, formatMinutes } from '../../lib/format';
import { Countersign } from './Countersign';
import { QrPanel } from './QrPanel';
import { useDraftKeeper } from './useDraftKeeper';
import { MarkFields } from './MarkFields';
import {
  checkDraft,
  draftFromMark,
  emptyDraft,
  fieldId,
  firstErrorField,
  formatTime,
  issuesToRows,
  resumedDraft,
  shortcutsByKind,
  toMarkFields,
  type Category,
  type Draft,
  type RowErrors,
} from './model';
import { useTimeZone } from '../../lib/timeZone';
import { ABSENCE_CATEGORIES, PRESENCE_CATEGORIES } from '../../../../shared/domain/categories';

type Row = RollCall['rows'][number];

const rowPrefix = (enrolmentId: string) => `rc-${enrolmentId}`;

/** Keys typed into a field are text, not shortcuts. */
function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.tagName === 'INPUT' || el.tagName === 'SELECT' || el.tagName === 'TEXTAREA' || el.isContentEditable);
}

/**
 * An open slot: everyone expected, « Tous présents » then the exceptions, a capture method per present
 * row, one submission (`attendance.record`) with an id made once per screen — a double click records
 * nothing twice — then the trainer's countersignature.
 */
export function OpenRollCall({ data, reload, resumed }: { data: RollCall; reload: () => Promise<void>; resumed: readonly { enrolmentId: string; draft: RowDraft }[] }) {
  const { t, i18n } = useTranslation();
  const timeZone = useTimeZone();
  const { slot, rows } = data;
  const kinds = useMemo(() => data.kinds.filter((k) => k.active).sort((a, b) => a.sort - b.sort || a.code.localeCompare(b.code)), [data.kinds]);
  const categoryOf = useMemo(() => new Map(data.kinds.map((k) => [k.code, k.category as Category])), [data.kinds]);
  const labelOf = useMemo(() => new Map(data.kinds.map((k) => [k.code, k.label])), [data.kinds]);
  const shortcuts = useMemo(() => shortcutsByKind(kinds, t), [kinds, t]);
  const byShortcut = useMemo(() => new Map([...shortcuts].map(([code, key]) => [key.toUpperCase(), code])), [shortcuts]);
  const presentKind = kinds.find((k) => k.category === 'present')?.code;

  // The rows in progress, resumed from the drafts the backend kept (a reload, a crash, a flat battery).
  const [drafts, setDrafts] = useState<Map<string, Draft>>(() => new Map(resumed.filter((d) => rows.some((r) => r.enrolmentId === d.enrolmentId)).map((d) => [d.enrolmentId, resumedDraft(d.draft)])));
  const [resumedCount] = useState(() => drafts.size);
  const [errors, setErrors] = useState<Map<string, RowErrors>>(new Map());
  const [submitError, setSubmitError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [signing, setSigning] = useState<Row | null>(null);
  const [announce, setAnnounce] = useState('');
  const keeper = useDraftKeeper(slot.id);
  // A draft not yet kept by the backend is the only input a reload could lose: warn before leaving then.
  useUnsavedGuard(keeper.unsaved);
  // One id per screen state: a second click (or a retry after a lost answer) replays, never doubles.
  const submissionId = useRef(uuidv7());
  const focusNext = useRef<string | null>(null);

  useEffect(() => {
    if (!focusNext.current) return;
    const el = document.getElementById(focusNext.current);
    focusNext.current = null;
    el?.focus();
    el?.scrollIntoView({ block: 'center' });
  });

  const kindOf = (r: Row) => drafts.get(r.enrolmentId)?.kind ?? r.mark?.kind ?? '';

  function update(enrolmentId: string, next: Draft) {
    setDrafts((prev) => new Map(prev).set(enrolmentId, next));
    keeper.keep(enrolmentId, next);
    if (errors.has(enrolmentId)) {
      const rest = new Map(errors);
      rest.delete(enrolmentId);
      setErrors(rest);
      // Every row the refusal named is being fixed: its banner has served.
      if (rest.size === 0) setSubmitError(null);
    }
    setDone(null);
  }

  function setKind(row: Row, kind: string) {
    const current = drafts.get(row.enrolmentId) ?? (row.mark ? draftFromMark(row.mark) : emptyDraft());
    update(row.enrolmentId, { ...current, kind });
  }

  function discard(row: Row) {
    keeper.keep(row.enrolmentId, null);
    setDrafts((prev) => {
      const copy = new Map(prev);
      copy.delete(row.enrolmentId);
      return copy;
    });
    setErrors((prev) => {
      const copy = new Map(prev);
      copy.delete(row.enrolmentId);
      return copy;
    });
  }

  function allPresent() {
    if (!presentKind) return;
    const next = new Map(drafts);
    let n = 0;
    for (const r of rows) {
      if (next.has(r.enrolmentId) || r.mark) continue;
      next.set(r.enrolmentId, emptyDraft(presentKind));
      keeper.keep(r.enrolmentId, next.get(r.enrolmentId)!);
      n++;
    }
    setDrafts(next);
    setDone(null);
    setAnnounce(t('attendance.rollCall.allPresentDone', { count: n }));
  }

  function onRowKey(event: KeyboardEvent<HTMLLIElement>, row: Row) {
    if (event.altKey || event.ctrlKey || event.metaKey || typing(event.target) || event.key.length !== 1) return;
    const code = byShortcut.get(event.key.toUpperCase());
    if (!code) return;
    event.preventDefault();
    setKind(row, code);
    setAnnounce(t('attendance.rollCall.shortcutDone', { name: row.traineeName, status: labelOf.get(code) ?? code }));
  }

  const pending = rows.filter((r) => drafts.has(r.enrolmentId));
  const counts = useMemo(() => {
    const c: Record<string, number> = { none: 0 };
    for (const r of rows) {
      const k = drafts.get(r.enrolmentId)?.kind ?? r.mark?.kind ?? '';
      const cat = k ? (categoryOf.get(k) ?? 'present') : 'none';
      c[cat] = (c[cat] ?? 0) + 1;
    }
    return c;
  }, [rows, drafts, categoryOf]);

  async function submit() {
    setSubmitError(null);
    setDone(null);
    const found = new Map<string, RowErrors>();
    for (const r of pending) {
      const d = drafts.get(r.enrolmentId)!;
      const e = checkDraft(d, categoryOf.get(d.kind), slot.minutes, t);
      if (Object.keys(e).length) found.set(r.enrolmentId, e);
    }
    if (found.size) {
      setErrors(found);
      setSubmitError({ code: 'validation', message: t('attendance.rollCall.rowsInvalid', { count: found.size }) });
      const first = pending.find((r) => found.has(r.enrolmentId))!;
      focusNext.current = fieldId(rowPrefix(first.enrolmentId), firstErrorField(found.get(first.enrolmentId)!) ?? 'kind');
      return;
    }
    const sent = pending.map((r) => r.enrolmentId);
    const marks = pending.map((r) => {
      const d = drafts.get(r.enrolmentId)!;
      return { enrolmentId: r.enrolmentId, ...toMarkFields(d, categoryOf.get(d.kind)) };
    });
    setBusy(true);
    try {
      // Drafts still on their way must land before the record that consumes them, not after it.
      await keeper.flush();
      const result = await api['attendance.record']({ slotId: slot.id, submissionId: submissionId.current, marks });
      submissionId.current = uuidv7();
      setDrafts(new Map());
      setErrors(new Map());
      setAnnounce(''); // « Signature … saisie, à enregistrer » no longer holds
      setDone(result.replayed ? t('attendance.rollCall.replayed') : t('attendance.rollCall.recorded', { count: result.recorded }));
      await reload();
    } catch (e) {
      const error = asApiError(e);
      const perRow = issuesToRows(error.issues ?? [], sent, drafts);
      setErrors(perRow);
      setSubmitError(error);
      const first = pending.find((r) => perRow.has(r.enrolmentId));
      if (first) focusNext.current = fieldId(rowPrefix(first.enrolmentId), firstErrorField(perRow.get(first.enrolmentId)!) ?? 'kind');
    } finally {
      setBusy(false);
    }
  }

  const missing = rows.filter((r) => !r.mark);

  /** Method qr: the code a trainee typed, checked by the backend now (while valid) and kept as a scan on the row. */
  async function scan(row: Row, code: string) {
    const result = await api['attendance.scanQr']({ slotId: slot.id, enrolmentId: row.enrolmentId, code });
    const current = drafts.get(row.enrolmentId) ?? (row.mark ? draftFromMark(row.mark) : emptyDraft(presentKind ?? ''));
    update(row.enrolmentId, { ...current, method: 'qr', qrScan: { id: result.scanId, scannedAt: result.scannedAt } });
    setAnnounce(t('attendance.qr.scanned', { time: formatTime(result.scannedAt, i18n.language, timeZone) }));
  }

  /** A signature taken far outside the slot's hours, flagged as it is taken (the rule Contrôles applies later). */
  function outsideWindow(signedAt: string | null | undefined): string | undefined {
    const local = signedAt ? signedOutsideWindow(signedAt, timeZone, slot) : null;
    return local ? t('rollcall.signedOutsideWindow', { date: formatDate(local.date), time: local.time, start: slot.start, end: slot.end, window: SIGNATURE_WINDOW_MINUTES }) : undefined;
  }

  return (
    <>
      <QrPanel slotId={slot.id} />
      <section className="panel rc-panel" aria-labelledby="rc-list-title">
        <div className="panel-header rc-toolbar">
          <div>
            <h2 id="rc-list-title">{t('attendance.rollCall.listTitle', { count: rows.length })}</h2>
            <p className="muted">{t('attendance.rollCall.help')}</p>
          </div>
          <button type="button" className="btn btn-primary btn-large" onClick={allPresent} disabled={!presentKind || rows.every((r) => r.mark || drafts.has(r.enrolmentId))}>
            <span aria-hidden="true">✓</span> {t('attendance.rollCall.allPresent')}
          </button>
        </div>
        <p className="shortcut-legend" id="rc-shortcuts">
          <span>{t('attendance.rollCall.shortcutsIntro')}</span>
          {kinds.filter((k) => shortcuts.has(k.code)).map((k) => (
            <span key={k.code} className="shortcut-item">
              <kbd>{shortcuts.get(k.code)}</kbd> {k.label}
            </span>
          ))}
        </p>
        <p className="rc-counts" aria-live="polite">
          {[...PRESENCE_CATEGORIES, ...ABSENCE_CATEGORIES]
            .filter((c) => counts[c])
            .map((c) => (
              <span key={c} className={`count-chip tone-${c}`}>{t(`attendance.categories.${c}`)} : {counts[c]}</span>
            ))}
          <span className={`count-chip${counts.none ? ' tone-none' : ''}`}>{t('attendance.rollCall.unset', { count: counts.none ?? 0 })}</span>
        </p>
        <p className="visually-hidden" aria-live="polite">{announce}</p>
        {resumedCount > 0 && pending.length > 0 ? <p className="notice" role="status">{t('rollcall.draftsResumed', { count: pending.length })}</p> : null}
        <ErrorBanner error={keeper.error} title={t('rollcall.draftError')} />

        {rows.length === 0 ? (
          <p className="empty">{t('attendance.rollCall.noTrainee')}</p>
        ) : (
          <ol className="rc-list" aria-describedby="rc-shortcuts">
            {rows.map((r) => {
              const kind = kindOf(r);
              const draft = drafts.get(r.enrolmentId) ?? null;
              const cat = categoryOf.get(kind);
              const rowErrors = errors.get(r.enrolmentId) ?? {};
              const hasErrors = Object.keys(rowErrors).length > 0;
              return (
                <li
                  key={r.enrolmentId}
                  className={`rc-row${cat ? ` tone-${cat}` : ''}${draft ? ' is-dirty' : ''}${hasErrors ? ' has-error' : ''}`}
                  onKeyDown={(e) => onRowKey(e, r)}
                  data-enrolment-id={r.enrolmentId}
                >
                  <div className="rc-who">
                    <span className="rc-name">{r.traineeName}</span>
                    {r.mark ? (
                      <span className="rc-saved">
                        {t('attendance.rollCall.saved', {
                          status: labelOf.get(r.mark.kind) ?? r.mark.kind,
                          method: t(`attendance.methods.${r.mark.method}`),
                          time: formatTime(r.mark.signedAt ?? r.mark.createdAt, i18n.language, timeZone),
                        })}
                      </span>
                    ) : (
                      <span className="rc-saved muted">{t('attendance.rollCall.notSaved')}</span>
                    )}
                    {draft ? (
                      <span className="rc-dirty">
                        <span className="badge badge-dirty">{t('attendance.rollCall.dirty')}</span>
                        <button type="button" className="link-button" onClick={() => discard(r)}>
                          {t('attendance.rollCall.discard')}
                          <span className="visually-hidden"> — {r.traineeName}</span>
                        </button>
                      </span>
                    ) : null}
                  </div>
                  <MarkFields
                    prefix={rowPrefix(r.enrolmentId)}
                    traineeName={r.traineeName}
                    kinds={kinds}
                    shortcuts={shortcuts}
                    kind={kind}
                    draft={draft}
                    onKind={(k) => setKind(r, k)}
                    onChange={(d) => update(r.enrolmentId, d)}
                    errors={rowErrors}
                    slotMinutes={slot.minutes}
                    onSign={() => setSigning(r)}
                    signWarning={draft?.method === 'signature' && draft.signature ? outsideWindow(draft.signedAt) : undefined}
                    hasPin={r.hasPin}
                    onScan={(code) => scan(r, code)}
                    formatScan={(iso) => formatTime(iso, i18n.language, timeZone)}
                    summary={r.mark && r.mark.minutes !== slot.minutes ? <span className="muted">{t('attendance.rollCall.attended', { hours: formatMinutes(r.mark.minutes) })}</span> : undefined}
                  />
                </li>
              );
            })}
          </ol>
        )}

        <div className="rc-submit" aria-busy={busy || undefined}>
          <ErrorBanner error={submitError} title={t('attendance.rollCall.refused')} />
          <SuccessBanner>{done}</SuccessBanner>
          <div className="form-footer">
            <p className="muted" aria-live="polite">
              {pending.length ? t('attendance.rollCall.pending', { count: pending.length }) : t('attendance.rollCall.nothingPending')}
              {pending.length ? <span className="cell-sub">{t('rollcall.draftsKept')}</span> : null}
            </p>
            <button type="button" className="btn btn-primary btn-large" onClick={() => void submit()} disabled={busy || pending.length === 0} aria-busy={busy || undefined}>
              {busy ? <span className="spinner spinner-small" aria-hidden="true" /> : null}
              {busy ? t('common.saving') : t('attendance.rollCall.submit', { count: pending.length })}
            </button>
          </div>
        </div>
      </section>

      <Countersign data={data} missing={missing} unsaved={pending.length} onClosed={reload} />

      {signing ? (
        <SignatureDialog
          title={t('attendance.signature.titleFor', { name: signing.traineeName })}
          intro={t('attendance.signature.intro', { date: formatLongDate(slot.date), start: slot.start, end: slot.end, session: slot.sessionLabel })}
          onCancel={() => {
            const id = fieldId(rowPrefix(signing.enrolmentId), 'signature');
            setSigning(null);
            focusNext.current = id;
          }}
          onDone={(value) => {
            const row = signing;
            const current = drafts.get(row.enrolmentId) ?? (row.mark ? draftFromMark(row.mark) : emptyDraft(presentKind ?? ''));
            const signedAt = new Date().toISOString();
            update(row.enrolmentId, { ...current, method: 'signature', signature: value, signedAt });
            setSigning(null);
            focusNext.current = fieldId(rowPrefix(row.enrolmentId), 'signature');
            setAnnounce([t('attendance.signature.doneFor', { name: row.traineeName }), outsideWindow(signedAt)].filter(Boolean).join(' '));
          }}
        />
      ) : null}
    </>
  );
}
