/**
 * Fallback types for the few Electron APIs the shell uses, for machines where the optional `electron`
 * package could not install (its binary download is unreachable). tsconfig's `paths` prefers the real
 * package's electron.d.ts whenever it is present, so these never hide a real type error there.
 */
declare module 'electron' {
  interface WebContents {
    id: number;
    on(event: 'will-navigate', listener: (event: { preventDefault(): void }, url: string) => void): void;
    setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' | 'allow' }): void;
  }
  export class BrowserWindow {
    constructor(options: object);
    webContents: WebContents;
    once(event: 'ready-to-show', listener: () => void): void;
    show(): void;
    loadURL(url: string): Promise<void>;
    isMinimized(): boolean;
    restore(): void;
    focus(): void;
    static getAllWindows(): BrowserWindow[];
  }
  export interface UtilityProcess {
    on(event: 'message', listener: (message: never) => void): this;
    on(event: 'exit', listener: (code: number) => void): this;
    postMessage(message: unknown): void;
    kill(): boolean;
  }
  export const utilityProcess: { fork(modulePath: string, args?: string[], options?: { serviceName?: string }): UtilityProcess };
  export const app: {
    getPath(name: 'userData'): string;
    enableSandbox(): void;
    whenReady(): Promise<void>;
    on(event: 'window-all-closed' | 'second-instance', listener: () => void): void;
    requestSingleInstanceLock(): boolean;
    quit(): void;
  };
  export const ipcMain: {
    handle(channel: string, listener: (event: { senderFrame: { url: string } | null; sender: WebContents }, ...args: never[]) => unknown): void;
  };
  export const ipcRenderer: { invoke(channel: string, ...args: unknown[]): Promise<unknown> };
  export const contextBridge: { exposeInMainWorld(key: string, api: unknown): void };
  export const shell: { openExternal(url: string): Promise<void> };
  export const safeStorage: {
    isEncryptionAvailable(): boolean;
    encryptString(plain: string): Buffer;
    decryptString(encrypted: Buffer): string;
  };
  export const session: {
    defaultSession: {
      webRequest: {
        onHeadersReceived(listener: (details: { responseHeaders?: Record<string, string[] | string> }, callback: (response: { responseHeaders: Record<string, string[] | string> }) => void) => void): void;
      };
      setPermissionRequestHandler(handler: (webContents: WebContents, permission: string, callback: (granted: boolean) => void) => void): void;
    };
  };
}
