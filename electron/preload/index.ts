import { contextBridge, ipcRenderer } from 'electron';
import { METHOD_NAMES } from '../../shared/contract';

// window.api: one function per contract method, each resolving to an ApiResult. Nothing else is exposed.
const IPC_CHANNEL = 'sillon:call';
// Each call carries the page's language (<html lang>, set by the i18n module) so messages come back in it.
// The preload is compiled without the DOM library: the page's document is reached through globalThis.
const pageLanguage = () => (globalThis as { document?: { documentElement?: { lang?: string } } }).document?.documentElement?.lang ?? 'fr';
const api = Object.fromEntries(METHOD_NAMES.map((name) => [name, (input?: unknown) => ipcRenderer.invoke(IPC_CHANNEL, name, input, pageLanguage())]));
contextBridge.exposeInMainWorld('api', Object.freeze(api));
