import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import QRCode from 'qrcode';
import { QR_CODE_VALIDITY_MINUTES } from '../../../../shared/domain/capture-proof';
import type { ApiError } from '../../../../shared/errors';
import type { IssuedQrCode } from '../../../../shared/schemas/pins';
import { api, asApiError } from '../../api';
import { ErrorBanner } from '../../components/Feedback';

/** « 2:05 »: minutes and seconds left. */
function left(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/**
 * The slot's short-lived QR code (`attendance.issueQr`), shown by the trainer: the QR code, the same code in
 * clear (typing it is enough: no camera needed) and a countdown. The backend's expiry is the one that
 * counts; the countdown only says when to renew.
 */
export function QrPanel({ slotId }: { slotId: string }) {
  const { t } = useTranslation();
  const [issued, setIssued] = useState<(IssuedQrCode & { image: string; offsetMs: number }) | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    if (!issued) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [issued]);

  async function issue() {
    setError(null);
    setBusy(true);
    try {
      const code = await api['attendance.issueQr']({ slotId });
      const image = await QRCode.toDataURL(code.code, { margin: 1, width: 220 });
      // The countdown runs on this screen's clock, set against the backend's issue instant.
      setIssued({ ...code, image, offsetMs: Date.now() - Date.parse(code.issuedAt) });
      setNow(Date.now());
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  }

  const remaining = issued ? Date.parse(issued.expiresAt) + issued.offsetMs - now : 0;
  return (
    <section className="panel qr-panel" aria-labelledby="qr-panel-title" aria-busy={busy || undefined}>
      <div className="panel-header">
        <div>
          <h2 id="qr-panel-title">{t('attendance.qrPanel.title')}</h2>
          <p className="muted">{t('attendance.qrPanel.help', { minutes: QR_CODE_VALIDITY_MINUTES })}</p>
        </div>
        <div className="panel-actions">
          <button type="button" className="btn btn-secondary" onClick={() => void issue()} disabled={busy}>
            {issued ? t('attendance.qrPanel.renew') : t('attendance.qrPanel.show')}
          </button>
          {issued ? (
            <button type="button" className="btn btn-small btn-secondary" onClick={() => setIssued(null)}>{t('attendance.qrPanel.hide')}</button>
          ) : null}
        </div>
      </div>
      <ErrorBanner error={error} />
      {issued ? (
        <div className="qr-display">
          <img src={issued.image} alt={t('attendance.qrPanel.alt', { code: issued.code })} width={220} height={220} />
          <div>
            <p className="field-label">{t('attendance.qrPanel.code')}</p>
            <p className="qr-code-clear" data-testid="qr-code">{issued.code}</p>
            <p className={remaining > 0 ? 'muted' : 'field-error'} aria-live="polite">
              {remaining > 0 ? t('attendance.qrPanel.left', { time: left(remaining) }) : t('attendance.qrPanel.expired')}
            </p>
          </div>
        </div>
      ) : null}
    </section>
  );
}
