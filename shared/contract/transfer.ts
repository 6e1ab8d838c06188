import { z } from 'zod';
import { mutation, none, query } from './define';

/** The whole file (JSON Lines, docs/import-format.md) travels as text: 64 MiB is ~ 200 000 lines. */
const MAX_IMPORT_CHARS = 64 * 1024 * 1024;

export const importReport = z.object({ lines: z.number().int(), created: z.record(z.string(), z.number().int()) });

/** Import and export of the training body's records (JSON Lines), whole or not at all. */
export const transferContract = {
  'data.import': mutation(
    'data.import',
    z.object({ text: z.string().max(MAX_IMPORT_CHARS, { error: 'Fichier trop volumineux (64 Mo au plus) : découpez-le.' }) }),
    importReport,
  ),
  'data.export': query('data.export', none, z.object({ text: z.string(), lines: z.number().int() })),
} as const;
