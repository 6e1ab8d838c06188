import { contextBridge, ipcRenderer } from 'electron';
import { METHOD_NAMES } from '../../shared/contract';

// window.api: one function per contract method, each resolving to an ApiResult. Nothing else is exposed.
const IPC_CHANNEL = 'sillon:call';
const api = Object.fromEntries(METHOD_NAMES.map((name) => [name, (input?: unknown) => ipcRenderer.invoke(IPC_CHANNEL, name, input)]));
contextBridge.exposeInMainWorld('api', Object.freeze(api));
