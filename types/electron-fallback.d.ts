/**
 * Fallback types for the few Electron APIs the shell uses, for machines where the optional `electron`
 * package could not install (its binary download is unreachable). tsconfig's `paths` prefers the real
 * package's electron.d.ts whenever it is present, so these never hide a real type error there.
 */
declare module 'electron' {
  interface WebContents {
    id: number;
    on(event: 'will-navigate' | 'will-frame-navigate' | 'will-redirect', listener: (details: { url: string; preventDefault(): void }) => void): void;
    on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): void;
    setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' | 'allow' }): void;
  }
  export class BrowserWindow {
    constructor(options: object);
    webContents: WebContents;
    once(event: 'ready-to-show', listener: () => void): void;
    on(event: 'closed', listener: () => void): void;
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
    on(event: 'web-contents-created', listener: (event: unknown, contents: WebContents) => void): void;
    requestSingleInstanceLock(): boolean;
    quit(): void;
  };
  export const ipcMain: {
    handle(channel: string, listener: (event: { senderFrame: { url: string; parent: unknown } | null; sender: WebContents }, ...args: never[]) => unknown): void;
  };
  export const ipcRenderer: { invoke(channel: string, ...args: unknown[]): Promise<unknown> };
  export const contextBridge: { exposeInMainWorld(key: string, api: unknown): void };
  export const shell: { openExternal(url: string): Promise<void> };
  export const protocol: {
    registerSchemesAsPrivileged(schemes: { scheme: string; privileges?: Record<string, boolean> }[]): void;
    handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void;
  };
  export const safeStorage: {
    isEncryptionAvailable(): boolean;
    encryptString(plain: string): Buffer;
    decryptString(encrypted: Buffer): string;
  };
  export const session: {
    defaultSession: {
      webRequest: {
        onBeforeRequest(filter: { urls: string[] }, listener: (details: { url: string }, callback: (response: { cancel?: boolean }) => void) => void): void;
      };
      setPermissionRequestHandler(handler: (webContents: WebContents, permission: string, callback: (granted: boolean) => void) => void): void;
      setPermissionCheckHandler(handler: (webContents: WebContents | null, permission: string) => boolean): void;
    };
  };
}
