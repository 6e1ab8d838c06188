import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import SignaturePad from 'signature_pad';
import type { SignatureInput } from '../../../shared/schemas/attendance';

/** What the contract keeps of a drawn signature: strokes `[[x, y, t], …]` and the PNG, base64 without prefix. */
export type SignatureValue = SignatureInput & { strokes: [number, number, number][][] };

/** The contract's limits (shared/schemas/attendance.ts): beyond them the backend refuses the signature. */
const MAX_STROKES = 200;
const MAX_POINTS = 5000;

const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * The pad's drawing as the contract wants it: one array per stroke, points in CSS pixels of the pad and
 * milliseconds since the first point (the pad's own clock is epoch time).
 */
export function toSignatureValue(pad: SignaturePad): SignatureValue | 'empty' | 'too-complex' {
  const groups = pad.toData().filter((g) => g.points.length > 0);
  if (groups.length === 0 || pad.isEmpty()) return 'empty';
  if (groups.length > MAX_STROKES || groups.some((g) => g.points.length > MAX_POINTS)) return 'too-complex';
  const t0 = groups[0]!.points[0]!.time;
  const strokes = groups.map((g) => g.points.map((p): [number, number, number] => [round1(p.x), round1(p.y), Math.max(0, Math.round(p.time - t0))]));
  const pngBase64 = pad.toDataURL('image/png').replace(/^data:image\/png;base64,/, '');
  return { strokes, pngBase64 };
}

interface Props {
  /** Who signs, for the label: « Signature de BENALI Nadia ». */
  label: string;
  /** Called after every stroke (the drawing so far) and with null when cleared. */
  onChange: (value: SignatureValue | null) => void;
  error?: string | undefined;
  /** What the hint says while nothing is drawn (default: the roll call's, which offers other capture methods). */
  hint?: string;
  /** Fixed id of the drawing surface, so a field error can move the focus to it. */
  id?: string;
  height?: number;
  autoFocus?: boolean;
}

/**
 * A signature drawn with a finger, a stylus or the mouse (signature_pad). The canvas follows the
 * device's pixel ratio so the PNG is sharp; the strokes are kept as vectors too. Keyboard users cannot
 * draw: the capture method offers PIN, QR code, paper or proxy instead, and the hint says so.
 */
export function SignatureField({ label, onChange, error, hint, id, height = 200, autoFocus }: Props) {
  const { t } = useTranslation();
  const autoId = useId();
  const canvasId = id ?? `${autoId}-pad`;
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const padRef = useRef<SignaturePad | null>(null);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  const [status, setStatus] = useState<'empty' | 'signed' | 'too-complex'>('empty');

  const emit = useCallback(() => {
    const pad = padRef.current;
    if (!pad) return;
    const value = toSignatureValue(pad);
    if (value === 'empty') {
      setStatus('empty');
      onChangeRef.current(null);
    } else if (value === 'too-complex') {
      setStatus('too-complex');
      onChangeRef.current(null);
    } else {
      setStatus('signed');
      onChangeRef.current(value);
    }
  }, []);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const pad = new SignaturePad(canvas, { penColor: '#14286e', minWidth: 0.8, maxWidth: 2.6, backgroundColor: 'rgba(0,0,0,0)' });
    padRef.current = pad;
    // The canvas backing store follows its CSS size × pixel ratio; strokes (CSS pixels) are redrawn after a resize.
    const fit = () => {
      const ratio = Math.max(window.devicePixelRatio || 1, 1);
      const width = canvas.offsetWidth;
      if (!width) return;
      const data = pad.toData();
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
      canvas.getContext('2d')?.scale(ratio, ratio);
      pad.clear();
      if (data.length) pad.fromData(data);
    };
    fit();
    const observer = typeof ResizeObserver !== 'undefined' ? new ResizeObserver(() => fit()) : null;
    observer?.observe(canvas);
    pad.addEventListener('endStroke', emit);
    if (autoFocus) canvas.focus();
    return () => {
      observer?.disconnect();
      pad.removeEventListener('endStroke', emit);
      pad.off();
      padRef.current = null;
    };
  }, [emit, height, autoFocus]);

  function clear() {
    padRef.current?.clear();
    emit();
    canvasRef.current?.focus();
  }

  const hintId = `${canvasId}-hint`;
  const errorId = error ? `${canvasId}-error` : undefined;
  return (
    <div className={`signature-field${error ? ' has-error' : ''}`}>
      <div className="signature-head">
        <span className="signature-label" id={`${canvasId}-label`}>{label}</span>
        <button type="button" className="btn btn-small btn-ghost" onClick={clear} disabled={status === 'empty'}>
          {t('attendance.signature.clear')}
        </button>
      </div>
      <div className="signature-frame">
        <canvas
          ref={canvasRef}
          id={canvasId}
          className="signature-canvas"
          style={{ height }}
          role="img"
          tabIndex={-1}
          aria-labelledby={`${canvasId}-label`}
          aria-describedby={[hintId, errorId].filter(Boolean).join(' ')}
          aria-invalid={error ? true : undefined}
          data-testid="signature-canvas"
        />
        <span className="signature-baseline" aria-hidden="true">{t('attendance.signature.signHere')}</span>
      </div>
      <p className="hint" id={hintId}>
        <span aria-live="polite">
          {status === 'signed' ? t('attendance.signature.captured') : status === 'too-complex' ? t('attendance.signature.tooComplex') : (hint ?? t('attendance.signature.hint'))}
        </span>
      </p>
      {error ? <p className="field-error" id={errorId}>{error}</p> : null}
    </div>
  );
}

/**
 * The signature pad in a modal dialog, for a trainee signing on the tablet: « Valider » hands the drawing
 * back; Escape or « Annuler » leaves without it. The native dialog keeps the focus inside.
 */
export function SignatureDialog({ title, intro, onDone, onCancel }: { title: string; intro?: string; onDone: (value: SignatureValue) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [value, setValue] = useState<SignatureValue | null>(null);
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  function confirm() {
    if (!value) {
      setError(t('attendance.signature.empty'));
      return;
    }
    onDone(value);
  }
  return (
    <dialog
      ref={ref}
      className="signature-dialog"
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
    >
      <div className="dialog-body">
        <h2 id={titleId}>{title}</h2>
        {intro ? <p className="muted">{intro}</p> : null}
        <SignatureField
          label={t('attendance.signature.padLabel')}
          onChange={(v) => {
            setValue(v);
            if (v) setError(undefined);
          }}
          error={error}
          height={240}
          autoFocus
        />
        <div className="dialog-actions">
          <button type="button" className="btn btn-ghost" onClick={onCancel}>{t('common.cancel')}</button>
          <button type="button" className="btn btn-primary" onClick={confirm}>{t('attendance.signature.confirm')}</button>
        </div>
      </div>
    </dialog>
  );
}
