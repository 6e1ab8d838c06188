import { describe, expect, it } from 'vitest';
import { APP_URL } from '../../electron/main/app-protocol';
import { gate, ipcSender, type IpcEventLike } from '../../electron/main/ipc-gate';

const APP = APP_URL;
const WINDOW = 7; // the app window's webContents id
const top = (url: string) => ({ url, topFrameOfAppWindow: true });

describe('IPC gate', () => {
  it('forwards a known method with its parsed payload from the app window', () => {
    const r = gate(top(`${APP}#/sessions`), APP, 'trainees.list', { search: ' Mar ' });
    expect(r).toEqual({ ok: true, method: 'trainees.list', payload: { search: 'Mar', limit: 10_000, offset: 0 } });
  });

  it('refuses a sender that is not the app page', () => {
    const r = gate(top('https://evil.example/'), APP, 'trainees.list', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(gate(top('file:///tmp/other.html'), APP, 'trainees.list', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(gate(top('sillon://evil/index.html'), APP, 'trainees.list', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(gate(top(''), APP, 'trainees.list', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('refuses the app page itself when it is not the top frame of the app window', () => {
    const r = gate({ url: APP, topFrameOfAppWindow: false }, APP, 'trainees.list', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden', message: "Appel refusé : il ne vient pas de la fenêtre de l'application." } });
  });

  it('refuses an unknown method', () => {
    expect(gate(top(APP), APP, 'system.exec', {})).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    expect(gate(top(APP), APP, { toString: () => 'x' }, {})).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
  });

  it('refuses a malformed payload with a French message naming the field', () => {
    const r = gate(top(APP), APP, 'actions.save', { title: '', plannedMinutes: -3, modality: 'presentiel' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('validation');
    expect(r.error.message).toMatch(/intitulé/);
    expect(r.error.issues?.map((i) => i.path)).toEqual(expect.arrayContaining(['title', 'plannedMinutes']));
  });
});

describe('ipcSender: only the top frame of the app window is the app', () => {
  const event = (senderId: number, frame: IpcEventLike['senderFrame']): IpcEventLike => ({ sender: { id: senderId }, senderFrame: frame });

  it('recognises the main frame of the app window', () => {
    expect(ipcSender(event(WINDOW, { url: APP, parent: null }), WINDOW)).toEqual({ url: APP, topFrameOfAppWindow: true });
  });

  it.each([
    ['an iframe of the app page, even one showing an app URL', event(WINDOW, { url: APP, parent: { url: APP } })],
    ['the top frame of another web contents (a devtools or stray window)', event(WINDOW + 1, { url: APP, parent: null })],
    ['a frame that navigated away or was destroyed before the call was handled', event(WINDOW, null)],
  ])('refuses %s', (_what, e) => {
    const sender = ipcSender(e, WINDOW);
    expect(sender.topFrameOfAppWindow).toBe(false);
    expect(gate(sender, APP, 'trainees.list', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('refuses every call while the app window does not exist (before it opens, after it closed)', () => {
    expect(ipcSender(event(WINDOW, { url: APP, parent: null }), undefined).topFrameOfAppWindow).toBe(false);
  });
});
