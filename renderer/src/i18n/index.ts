import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json';
import fr from './fr.json';

export const LANGUAGES = ['fr', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
const STORAGE_KEY = 'sillon.language';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof fr };
  }
}

// Both files must carry the same keys: a missing English string is a compile error, not a blank label.
const _sameShape: [typeof fr, typeof en] = [en, fr];
void _sameShape;

function storedLanguage(): Language {
  try {
    const saved = window.localStorage.getItem(STORAGE_KEY);
    return saved === 'en' ? 'en' : 'fr';
  } catch {
    return 'fr';
  }
}

void i18n.use(initReactI18next).init({
  resources: { fr: { translation: fr }, en: { translation: en } },
  lng: storedLanguage(),
  fallbackLng: 'fr',
  supportedLngs: [...LANGUAGES],
  interpolation: { escapeValue: false },
  returnNull: false,
});

function syncDocument(lng: string) {
  document.documentElement.lang = lng;
  document.title = lng === 'en' ? 'Sillon — training management' : 'Sillon — gestion des formations';
}
syncDocument(i18n.language);
i18n.on('languageChanged', (lng) => {
  syncDocument(lng);
  try {
    window.localStorage.setItem(STORAGE_KEY, lng);
  } catch {
    // Private mode or a locked profile: the choice simply lasts until the window closes.
  }
});

export default i18n;
