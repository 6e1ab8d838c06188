/**
 * A failure of the operating system (a file, a folder, a disk) as a French sentence: people never read
 * « ENOENT: no such file or directory, open '…' ». Null when `e` is no system error.
 */
const SYSTEM: Record<string, string> = {
  ENOENT: 'Fichier ou dossier introuvable : vérifiez le chemin, ou que le disque est bien branché.',
  ENOTDIR: 'Fichier ou dossier introuvable : vérifiez le chemin, ou que le disque est bien branché.',
  EACCES: 'Accès refusé au fichier ou au dossier : vérifiez les droits, ou choisissez un autre emplacement.',
  EPERM: 'Accès refusé au fichier ou au dossier : vérifiez les droits, ou choisissez un autre emplacement.',
  ENOSPC: 'Le disque est plein : libérez de la place puis recommencez.',
  EDQUOT: 'Le disque est plein : libérez de la place puis recommencez.',
  EBUSY: 'Le fichier est utilisé par un autre programme : fermez-le puis recommencez.',
  EROFS: 'Le disque est en lecture seule : choisissez un autre emplacement.',
  EEXIST: 'Le fichier ou le dossier existe déjà.',
};

export function systemErrorMessage(e: unknown): string | null {
  const err = e as { code?: unknown; syscall?: unknown } | null;
  if (!err || typeof err !== 'object' || typeof err.code !== 'string' || !/^E[A-Z]+$/.test(err.code)) return null;
  // Only errors of the system (they carry the failed call); an E-something code of a library is not one.
  if (typeof err.syscall !== 'string') return null;
  return SYSTEM[err.code] ?? `Opération système impossible (${err.syscall}).`;
}
