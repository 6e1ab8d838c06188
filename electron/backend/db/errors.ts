import { AppError, fieldLabel } from '../../../shared/errors';

/** What a person reads when another process kept the database's write lock past the busy timeout (open.ts). */
export const SQLITE_BUSY_MESSAGE =
  "Sillon est déjà ouvert ailleurs (une autre fenêtre, l'aperçu ou la ligne de commande) et la base de données est restée occupée : rien n'a été enregistré. Fermez l'autre Sillon ou attendez qu'il ait fini, puis réessayez.";

/**
 * SQLite's own messages ("UNIQUE constraint failed: companies.siret", "database is locked") are for
 * developers: this turns each family into a French sentence that names the field when SQLite names a
 * column. Returns null for errors that are not SQLite's.
 */
export function fromSqliteError(e: unknown): AppError | null {
  if (!(e instanceof Error) || !('code' in e) || typeof e.code !== 'string' || !e.code.startsWith('SQLITE_')) return null;
  const code = e.code;
  const message = e.message;
  const column = /failed: (?:\w+\.)?(\w+)/.exec(message)?.[1];
  const field = column ? camel(column) : undefined;
  // The sentence also stands as the field's own issue, so a form can show it beside the field.
  const named = (text: string) => (field ? [{ path: field, message: text }] : undefined);
  switch (code) {
    case 'SQLITE_CONSTRAINT_UNIQUE':
    case 'SQLITE_CONSTRAINT_PRIMARYKEY': {
      const text = field ? `Un enregistrement a déjà ce ${fieldLabel([field])} : doublon refusé.` : 'Cet enregistrement existe déjà : doublon refusé.';
      return new AppError('conflict', text, named(text));
    }
    case 'SQLITE_CONSTRAINT_FOREIGNKEY':
      return new AppError('validation', 'Référence inconnue : un enregistrement lié (session, stagiaire, lieu…) est introuvable ou a été supprimé.');
    case 'SQLITE_CONSTRAINT_NOTNULL': {
      const text = `${capitalise(field ? fieldLabel([field]) : 'une donnée')} : champ obligatoire.`;
      return new AppError('validation', text, named(text));
    }
    case 'SQLITE_CONSTRAINT_CHECK': {
      const text = field ? `${capitalise(fieldLabel([field]))} : valeur hors des limites permises.` : 'Donnée refusée : une valeur est hors des limites permises.';
      return new AppError('validation', text, named(text));
    }
    case 'SQLITE_CONSTRAINT_TRIGGER':
      if (/countersigned slot/.test(message)) {
        return new AppError('business', 'Ce créneau est contresigné par le formateur : ses horaires, son lieu et ses formateurs ne changent que par une correction motivée (bouton « Corriger » du planning).');
      }
      if (/erased under RGPD/.test(message)) {
        return new AppError('business', 'Ce stagiaire a fait effacer ses données (RGPD) : ses coordonnées, son NIR, ses données sensibles, un PIN ou une nouvelle inscription ne peuvent plus être enregistrés.');
      }
      if (/append-only|evidence/.test(message)) {
        return new AppError('business', "Une preuve enregistrée ne se modifie ni ne s'efface : faites une correction, qui s'ajoute et remplace la précédente.");
      }
      if (/never deleted/.test(message)) return new AppError('business', "Un enregistrement de la file de synchronisation ne s'efface pas.");
      return new AppError('business', 'Opération refusée par une règle de la base.');
    case 'SQLITE_BUSY':
    case 'SQLITE_BUSY_SNAPSHOT':
    case 'SQLITE_LOCKED':
      return new AppError('business', SQLITE_BUSY_MESSAGE);
    case 'SQLITE_FULL':
      return new AppError('business', "Le disque est plein : libérez de la place ; rien n'a été enregistré.");
    case 'SQLITE_READONLY':
    case 'SQLITE_READONLY_DBMOVED':
      return new AppError('business', "La base de données est en lecture seule (droits du dossier de données ?) : rien n'a été enregistré.");
    case 'SQLITE_CORRUPT':
    case 'SQLITE_NOTADB':
      return new AppError('business', "La base de données est endommagée : rien n'a été enregistré. Restaurez la dernière sauvegarde.");
    default:
      if (code.startsWith('SQLITE_CONSTRAINT')) return new AppError('validation', 'Donnée refusée par la base : vérifiez la saisie.');
      if (code.startsWith('SQLITE_IOERR')) return new AppError('business', "Erreur d'écriture sur le disque : rien n'a été enregistré. Vérifiez le disque ou le dossier de données.");
      return null;
  }
}

function camel(column: string): string {
  return column.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
