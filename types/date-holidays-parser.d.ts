// date-holidays-parser ships its typings as an ambient `declare module`, but its package.json "exports"
// hides them from TypeScript's resolution and no import can name the file: a reference brings them in.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="../node_modules/date-holidays-parser/types/index.d.ts" />
