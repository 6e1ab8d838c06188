import { v7 as uuidv7 } from 'uuid';

const STORAGE_KEY = 'sillon.deviceId';

/**
 * The name of this workstation or tablet, kept with every signature and mark (evidence says where it was
 * captured). Made once and remembered; without storage (private mode) it lasts as long as the window.
 */
let fallback: string | null = null;
export function deviceId(): string {
  try {
    const saved = window.localStorage.getItem(STORAGE_KEY);
    if (saved) return saved;
    const made = `poste-${uuidv7().slice(-12)}`;
    window.localStorage.setItem(STORAGE_KEY, made);
    return made;
  } catch {
    fallback ??= `poste-${uuidv7().slice(-12)}`;
    return fallback;
  }
}
