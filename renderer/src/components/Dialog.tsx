import { useEffect, useId, useRef, type ReactNode } from 'react';
import '../dialog.css';

const FOCUSABLE = 'a[href], button, input:not([type=hidden]), select, textarea, [tabindex]:not([tabindex="-1"])';

/**
 * A modal dialog on the native `<dialog>` opened with `showModal()`, as the signature pad's: the rest of the page is
 * inert and screen readers see only the dialog; Tab and Shift+Tab go round its controls (the focus trap). Escape asks
 * `onClose`, except while `busy` (a restore under way must not lose its answer). The first focus goes to the element
 * marked `data-autofocus`, else to the first control; on close the focus goes back to what opened it.
 *
 * @example
 * {open ? <Dialog title="Restaurer la sauvegarde" onClose={() => setOpen(false)}>…</Dialog> : null}
 */
export function Dialog({ title, onClose, busy = false, children, describedBy }: {
  title: string;
  onClose: () => void;
  busy?: boolean;
  children: ReactNode;
  /** The id of the text that says what the dialog is about (read with its title). */
  describedBy?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const busyRef = useRef(busy);
  busyRef.current = busy;

  useEffect(() => {
    const dialog = ref.current;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (dialog && !dialog.open) dialog.showModal();
    dialog?.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    return () => {
      dialog?.close();
      // Back to the button that opened it, if it is still on the page (a reloaded list may have replaced it).
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      className="modal-dialog"
      aria-labelledby={titleId}
      aria-describedby={describedBy}
      aria-busy={busy || undefined}
      onCancel={(e) => {
        e.preventDefault();
        if (!busyRef.current) onClose();
      }}
      onKeyDown={(e) => {
        // The native modal lets Tab leave for the browser's own controls after the last button: wrap it round.
        if (e.key !== 'Tab' || !ref.current) return;
        const focusable = [...ref.current.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => !el.hasAttribute('disabled') && el.getClientRects().length > 0);
        const first = focusable[0];
        const last = focusable.at(-1);
        if (!first || !last) return;
        if (e.shiftKey && (document.activeElement === first || document.activeElement === ref.current)) {
          e.preventDefault();
          last.focus();
        } else if (!e.shiftKey && document.activeElement === last) {
          e.preventDefault();
          first.focus();
        }
      }}
      onClose={() => {
        // Chromium closes a dialog anyway on a second Escape in a row: while busy it is shown again.
        const dialog = ref.current;
        if (dialog?.isConnected && busyRef.current) dialog.showModal();
      }}
    >
      <div className="modal-body">
        <h2 id={titleId}>{title}</h2>
        {children}
      </div>
    </dialog>
  );
}

/** The dialog's row of buttons, the main one last (on the right). */
export function DialogActions({ children }: { children: ReactNode }) {
  return <div className="modal-actions">{children}</div>;
}
