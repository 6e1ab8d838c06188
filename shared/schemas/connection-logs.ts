import { z } from 'zod';
import { requiredText } from './common';

export const importLogInput = z.object({
  fileName: requiredText(200),
  source: requiredText(80).default('LMS'),
  csv: z.string().min(1, { error: 'Fichier vide.' }).max(20_000_000, { error: 'Journal trop lourd (20 Mo au plus).' }),
});
