import { contract, isMethodName } from '../../shared/contract';
import { AppError, LINK_TO_NOTHING, validationError, type ApiError } from '../../shared/errors';
import { localiseError, type Locale } from '../../shared/messages';
import { isAllowedNavigation } from './security';

export const IPC_CHANNEL = 'sillon:call';

/** Who sent an IPC call: the frame's URL, and whether it is the top frame of the app's own window. */
export interface IpcSender {
  url: string;
  topFrameOfAppWindow: boolean;
}

/**
 * The parts of Electron's IpcMainInvokeEvent the gate reads, typed structurally so tests build them by hand.
 * `senderFrame` is null when the frame navigated away or was destroyed before the call was handled.
 */
export interface IpcEventLike {
  sender: { id: number };
  senderFrame: { url: string; parent: unknown } | null;
}

/**
 * Describes the sender of `event`: only the top frame (no parent) of the app window's own webContents counts
 * as the app. An iframe — even one showing an app URL — or another window's page does not.
 */
export function ipcSender(event: IpcEventLike, appContentsId: number | undefined): IpcSender {
  const frame = event.senderFrame;
  return { url: frame?.url ?? '', topFrameOfAppWindow: frame !== null && frame.parent === null && appContentsId !== undefined && event.sender.id === appContentsId };
}

/**
 * The IPC gate, free of 'electron' imports so it is tested in plain Node: the sender must be the top frame
 * of the app window showing the app's own page, the method must be in the contract and the payload must parse
 * against its input schema. Returns the parsed payload to forward, or the error to answer with.
 */
export function gate(sender: IpcSender, appUrl: string, method: unknown, payload: unknown, locale: Locale = 'fr'): { ok: true; method: string; payload: unknown } | { ok: false; error: ApiError } {
  if (!sender.topFrameOfAppWindow || !isAllowedNavigation(sender.url, appUrl)) {
    return { ok: false, error: localiseError(new AppError('forbidden', "Appel refusé : il ne vient pas de la fenêtre de l'application.").toJSON(), locale) };
  }
  if (!isMethodName(method)) return { ok: false, error: localiseError(new AppError('unknown_method', `Méthode inconnue : ${String(method)}.`).toJSON(), locale) };
  const parsed = contract[method].input.safeParse(payload ?? undefined);
  if (!parsed.success) {
    const invalid = validationError(parsed.error);
    // As in dispatch: a query's id that matches nothing came from a link.
    const error = !contract[method].write && parsed.error.issues[0]?.message === LINK_TO_NOTHING ? new AppError('not_found', LINK_TO_NOTHING, invalid.issues) : invalid;
    return { ok: false, error: localiseError(error.toJSON(), locale) };
  }
  return { ok: true, method, payload: parsed.data };
}
