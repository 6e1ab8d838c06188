import { describe, expect, it } from 'vitest';
import { gate } from '../../electron/main/ipc-gate';

const APP = 'file:///opt/Sillon/resources/app.asar/dist/renderer/index.html';

describe('IPC gate', () => {
  it('forwards a known method with its parsed payload from the app window', () => {
    const r = gate(`${APP}#/sessions`, APP, 'trainees.list', { search: ' Mar ' });
    expect(r).toEqual({ ok: true, method: 'trainees.list', payload: { search: 'Mar', limit: 10_000, offset: 0 } });
  });

  it('refuses a sender that is not the app page', () => {
    const r = gate('https://evil.example/', APP, 'trainees.list', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(gate('file:///tmp/other.html', APP, 'trainees.list', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('refuses an unknown method', () => {
    expect(gate(APP, APP, 'system.exec', {})).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    expect(gate(APP, APP, { toString: () => 'x' }, {})).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
  });

  it('refuses a malformed payload with a French message naming the field', () => {
    const r = gate(APP, APP, 'actions.save', { title: '', plannedMinutes: -3, modality: 'presentiel' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('validation');
    expect(r.error.message).toMatch(/intitulé/);
    expect(r.error.issues?.map((i) => i.path)).toEqual(expect.arrayContaining(['title', 'plannedMinutes']));
  });
});
