import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { AttendanceKind } from '../../../../shared/schemas/attendance';
import { api, asApiError } from '../../api';
import { SegmentedControl } from '../../components/SegmentedControl';
import { isPieceType, readAsBase64 } from '../../lib/files';
import { CATEGORY_FIELDS } from '../../../../shared/domain/marks';
import { fieldId, isAbsence, PRESENCE_METHODS, type Draft, type Piece, type PresenceMethod, type RowErrors, type RowField } from './model';
import { FileInput } from '../../components/FileInput';

/** A labelled input of a row, with its error wired for screen readers. */
function RowInput({ prefix, field, label, error, hint, children, className }: {
  prefix: string;
  field: RowField;
  label: ReactNode;
  error: string | undefined;
  hint?: ReactNode;
  className?: string;
  children: (p: { id: string; 'aria-invalid': true | undefined; 'aria-describedby': string | undefined }) => ReactNode;
}) {
  const id = fieldId(prefix, field);
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={['field', 'row-field', error ? 'has-error' : '', className ?? ''].filter(Boolean).join(' ')}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy })}
      {hint ? <p className="hint" id={`${id}-hint`}>{hint}</p> : null}
      {error ? <p className="field-error" id={`${id}-error`}>{error}</p> : null}
    </div>
  );
}

/**
 * A file input that uploads the piece at once (`attendance.uploadDocument`) and keeps its id: absence
 * justification or scan of a paper sheet. Shows the upload while it runs; refuses what the backend refuses.
 */
export function PieceInput({ prefix, field, label, hint, piece, onChange, error }: {
  prefix: string;
  field: RowField;
  label: string;
  hint?: string;
  piece: Piece | null;
  onChange: (piece: Piece | null) => void;
  error: string | undefined;
}) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [own, setOwn] = useState<string | undefined>();
  const id = fieldId(prefix, field);
  async function upload(file: File | undefined) {
    setOwn(undefined);
    if (!file) return;
    if (!isPieceType(file.type)) {
      setOwn(t('attendance.piece.badType'));
      return;
    }
    if (file.size > 10 * 1024 * 1024) {
      setOwn(t('attendance.piece.tooBig'));
      return;
    }
    setBusy(true);
    try {
      const base64 = await readAsBase64(file);
      const saved = await api['attendance.uploadDocument']({ name: file.name, mime: file.type, base64 });
      onChange({ id: saved.id, name: file.name });
    } catch (e) {
      setOwn(asApiError(e).message);
    } finally {
      setBusy(false);
    }
  }
  const shown = own ?? error;
  const describedBy = [hint ? `${id}-hint` : '', shown ? `${id}-error` : '', `${id}-status`].filter(Boolean).join(' ');
  return (
    <div className={`field row-field piece-field${shown ? ' has-error' : ''}`} aria-busy={busy || undefined}>
      <label htmlFor={id}>{label}</label>
      <FileInput
        id={id}
        accept="application/pdf,image/png,image/jpeg"
        aria-invalid={shown ? true : undefined}
        aria-describedby={describedBy}
        disabled={busy}
        onChange={(e) => void upload(e.target.files?.[0])}
      />
      <p className="hint piece-status" id={`${id}-status`} aria-live="polite">
        {busy ? (
          <>
            <span className="spinner spinner-dark" aria-hidden="true" /> {t('attendance.piece.uploading')}
          </>
        ) : piece ? (
          <>
            <span className="piece-ok">{t('attendance.piece.attached', { name: piece.name || t('attendance.piece.previous') })}</span>{' '}
            <button type="button" className="link-button" onClick={() => onChange(null)}>{t('attendance.piece.remove')}</button>
          </>
        ) : null}
      </p>
      {hint ? <p className="hint" id={`${id}-hint`}>{hint}</p> : null}
      {shown ? <p className="field-error" id={`${id}-error`}>{shown}</p> : null}
    </div>
  );
}

export interface MarkFieldsProps {
  /** Id prefix of the row's fields (`rc-<enrolmentId>`). */
  prefix: string;
  traineeName: string;
  kinds: readonly AttendanceKind[];
  shortcuts: ReadonlyMap<string, string>;
  /** The status shown (draft or recorded mark); '' when none yet. */
  kind: string;
  draft: Draft | null;
  onKind: (kind: string) => void;
  onChange: (next: Draft) => void;
  errors: RowErrors;
  slotMinutes: number;
  /** Opens the signature pad for this trainee. */
  onSign: () => void;
  /** Corrections: the recorded signature stands when the method stays « signature ». */
  keepsSignature?: boolean;
  /** A warning under the signature, e.g. signed far outside the slot's hours. */
  signWarning?: string;
  /** Hides the capture part (e.g. a recorded row not being changed). */
  summary?: ReactNode;
  /** The trainee has a PIN: only then is the PIN method offered. */
  hasPin: boolean;
  /** Method qr: sends the code the trainee typed (`attendance.scanQr`); absent where no code can be shown (a closed slot). */
  onScan?: (code: string) => Promise<void>;
  /** Corrections: the recorded PIN or QR scan stands when the method stays. */
  keepsProof?: boolean;
  /** Formats the instant of a scan for people (HH:MM in the training body's zone). */
  formatScan?: (iso: string) => string;
}

/** The code under the slot's QR code, typed by the trainee, sent at once so the backend checks it while valid. */
function QrCodeInput({ prefix, traineeName, error, onScan }: { prefix: string; traineeName: string; error: string | undefined; onScan: (code: string) => Promise<void> }) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [own, setOwn] = useState<string | undefined>();
  const id = fieldId(prefix, 'qrCode');
  const shown = own ?? error;
  async function send() {
    setOwn(undefined);
    if (!code.trim()) {
      setOwn(t('attendance.errors.qrCode'));
      return;
    }
    setBusy(true);
    try {
      await onScan(code);
      setCode('');
    } catch (e) {
      setOwn(asApiError(e).message);
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className={`field row-field field-qr${shown ? ' has-error' : ''}`} aria-busy={busy || undefined}>
      <label htmlFor={id}>{t('attendance.qr.codeOf', { name: traineeName })}</label>
      <div className="inline-input">
        <input
          id={id}
          type="text"
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          maxLength={12}
          value={code}
          aria-invalid={shown ? true : undefined}
          aria-describedby={[`${id}-hint`, shown ? `${id}-error` : ''].filter(Boolean).join(' ')}
          onChange={(e) => setCode(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              void send();
            }
          }}
        />
        <button type="button" className="btn btn-small btn-secondary" onClick={() => void send()} disabled={busy}>
          {t('attendance.qr.check')}
          <span className="visually-hidden"> — {traineeName}</span>
        </button>
      </div>
      <p className="hint" id={`${id}-hint`}>{t('attendance.qr.typeHint')}</p>
      {shown ? <p className="field-error" id={`${id}-error`}>{shown}</p> : null}
    </div>
  );
}

/** The status of one trainee as a segmented control, then what that status and the capture method need. */
export function MarkFields({ prefix, traineeName, kinds, shortcuts, kind, draft, onKind, onChange, errors, slotMinutes, onSign, keepsSignature, signWarning, summary, hasPin, onScan, keepsProof, formatScan }: MarkFieldsProps) {
  const { t } = useTranslation();
  const category = kinds.find((k) => k.code === kind)?.category;
  const set = (patch: Partial<Draft>) => draft && onChange({ ...draft, ...patch });
  const statusLabelId = `${prefix}-kind-label`;

  // Which fields this status takes: the shared rules of a mark (shared/domain/marks.ts).
  const fields = category ? CATEGORY_FIELDS[category] : undefined;

  return (
    <div className="mark-fields">
      <span className="visually-hidden" id={statusLabelId}>{t('attendance.rollCall.statusOf', { name: traineeName })}</span>
      <SegmentedControl
        id={fieldId(prefix, 'kind')}
        labelledBy={statusLabelId}
        options={kinds.map((k) => ({ value: k.code, label: k.label, shortcut: shortcuts.get(k.code), tone: k.category }))}
        value={kind}
        onChange={onKind}
        invalid={Boolean(errors.kind)}
        describedBy={errors.kind ? `${fieldId(prefix, 'kind')}-error` : undefined}
      />
      {errors.kind ? <p className="field-error" id={`${fieldId(prefix, 'kind')}-error`}>{errors.kind}</p> : null}

      {draft && category && fields ? (
        <div className="mark-details">
          {fields.lateMinutes !== 'refused' ? (
            <RowInput prefix={prefix} field="lateMinutes" label={t('attendance.fields.lateMinutes')} error={errors.lateMinutes} className="field-minutes">
              {(p) => <input {...p} type="number" inputMode="numeric" min={1} max={slotMinutes} step={1} value={draft.lateMinutes} onChange={(e) => set({ lateMinutes: e.target.value })} />}
            </RowInput>
          ) : null}
          {fields.earlyMinutes !== 'refused' ? (
            <RowInput prefix={prefix} field="earlyMinutes" label={t('attendance.fields.earlyMinutes')} error={errors.earlyMinutes} className="field-minutes">
              {(p) => <input {...p} type="number" inputMode="numeric" min={1} max={slotMinutes} step={1} value={draft.earlyMinutes} onChange={(e) => set({ earlyMinutes: e.target.value })} />}
            </RowInput>
          ) : null}
          {fields.remoteMinutes !== 'refused' ? (
            <RowInput prefix={prefix} field="remoteMinutes" label={t('attendance.fields.remoteMinutes')} error={errors.remoteMinutes} hint={t('attendance.fields.remoteMinutesHint')} className="field-minutes">
              {(p) => <input {...p} type="number" inputMode="numeric" min={0} max={slotMinutes} step={1} value={draft.remoteMinutes} onChange={(e) => set({ remoteMinutes: e.target.value })} />}
            </RowInput>
          ) : null}
          {fields.reason !== 'refused' ? (
            <RowInput
              prefix={prefix}
              field="reason"
              label={<>{t('attendance.fields.reason')}{fields.reason === 'required' ? <span className="required" aria-hidden="true"> *</span> : null}</>}
              error={errors.reason}
              className="field-reason"
            >
              {(p) => <input {...p} type="text" maxLength={300} aria-required={fields.reason === 'required' || undefined} value={draft.reason} onChange={(e) => set({ reason: e.target.value })} />}
            </RowInput>
          ) : null}
          {fields.justification !== 'refused' ? (
            <PieceInput prefix={prefix} field="document" label={t('attendance.fields.document')} hint={t('attendance.fields.documentHint')} piece={draft.document} onChange={(document) => set({ document })} error={errors.document} />
          ) : null}

          {isAbsence(category) ? (
            <p className="method-none muted">{t('attendance.rollCall.noSignatureForAbsence')}</p>
          ) : (
            <div className="capture">
              <RowInput prefix={prefix} field="method" label={t('attendance.fields.method')} error={errors.method} className="field-method">
                {(p) => (
                  <select {...p} value={draft.method} onChange={(e) => set({ method: e.target.value as PresenceMethod })}>
                    {/* PIN: offered only to a trainee who has one (or a row already on it, to change it). */}
                    {PRESENCE_METHODS.filter((m) => m !== 'pin' || hasPin || draft.method === 'pin').map((m) => (
                      <option key={m} value={m}>{t(`attendance.methods.${m}`)}</option>
                    ))}
                  </select>
                )}
              </RowInput>
              {draft.method === 'signature' ? (
                <div className={`sign-slot${errors.signature ? ' has-error' : ''}`}>
                  {draft.signature ? (
                    <span className="signed-chip">
                      <img src={`data:image/png;base64,${draft.signature.pngBase64}`} alt={t('attendance.signature.thumbAlt', { name: traineeName })} className="signature-thumb" />
                      <span className="visually-hidden">{t('attendance.signature.signed')}</span>
                    </span>
                  ) : keepsSignature ? (
                    <span className="muted sign-kept">{t('attendance.correct.keepsSignature')}</span>
                  ) : null}
                  <button
                    type="button"
                    id={fieldId(prefix, 'signature')}
                    className={draft.signature ? 'btn btn-small btn-secondary' : 'btn btn-primary btn-sign'}
                    onClick={onSign}
                    aria-invalid={errors.signature ? true : undefined}
                    aria-describedby={errors.signature ? `${fieldId(prefix, 'signature')}-error` : undefined}
                  >
                    {draft.signature ? t('attendance.signature.redo') : t('attendance.signature.sign')}
                    <span className="visually-hidden"> — {traineeName}</span>
                  </button>
                  {errors.signature ? <p className="field-error" id={`${fieldId(prefix, 'signature')}-error`}>{errors.signature}</p> : null}
                  {signWarning ? <p className="field-warning" id={`${fieldId(prefix, 'signature')}-warning`}>{signWarning}</p> : null}
                </div>
              ) : null}
              {!hasPin ? <p className="hint method-hint">{t('attendance.pin.noneHint')}</p> : null}
              {draft.method === 'pin' && keepsProof && !draft.pin ? <span className="muted sign-kept">{t('attendance.pin.kept')}</span> : null}
              {draft.method === 'pin' ? (
                <RowInput prefix={prefix} field="pin" label={t('attendance.pin.of', { name: traineeName })} error={errors.pin} hint={t('attendance.methodHints.pin')} className="field-pin">
                  {(p) => <input {...p} type="password" inputMode="numeric" autoComplete="off" maxLength={6} pattern="[0-9]*" value={draft.pin} onChange={(e) => set({ pin: e.target.value.replace(/\D/g, '') })} />}
                </RowInput>
              ) : null}
              {draft.method === 'qr' ? (
                draft.qrScan ? (
                  <p className="piece-ok" id={`${fieldId(prefix, 'qrCode')}-done`}>
                    {t('attendance.qr.scanned', { time: formatScan ? formatScan(draft.qrScan.scannedAt) : draft.qrScan.scannedAt })}{' '}
                    <button type="button" className="link-button" onClick={() => set({ qrScan: null })}>{t('attendance.qr.again')}</button>
                  </p>
                ) : keepsProof ? (
                  <span className="muted sign-kept">{t('attendance.qr.kept')}</span>
                ) : onScan ? (
                  <QrCodeInput prefix={prefix} traineeName={traineeName} error={errors.qrCode} onScan={onScan} />
                ) : (
                  <p className="field-error" id={`${fieldId(prefix, 'qrCode')}-error`}>{errors.qrCode ?? t('attendance.qr.closed')}</p>
                )
              ) : null}
              {draft.method === 'paper' ? (
                <>
                  <PieceInput prefix={prefix} field="scan" label={t('attendance.fields.scan')} piece={draft.scan} onChange={(scan) => set({ scan })} error={errors.scan} />
                  <RowInput prefix={prefix} field="checkedBy" label={t('attendance.fields.checkedBy')} hint={t('attendance.fields.checkedByHint')} error={errors.checkedBy}>
                    {(p) => <input {...p} type="text" maxLength={120} autoComplete="off" value={draft.checkedBy} onChange={(e) => set({ checkedBy: e.target.value })} />}
                  </RowInput>
                </>
              ) : null}
              {draft.method === 'proxy' ? (
                <RowInput prefix={prefix} field="proxyName" label={t('attendance.fields.proxyName')} error={errors.proxyName}>
                  {(p) => <input {...p} type="text" maxLength={120} autoComplete="off" value={draft.proxyName} onChange={(e) => set({ proxyName: e.target.value })} />}
                </RowInput>
              ) : null}
            </div>
          )}
        </div>
      ) : summary ? (
        <div className="mark-details">{summary}</div>
      ) : null}
    </div>
  );
}
