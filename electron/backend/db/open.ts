import Database from 'better-sqlite3';
import { CamelCasePlugin, CompiledQuery, Kysely, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver } from 'kysely';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AppError } from '../../../shared/errors';
import { LATEST_SCHEMA_VERSION, migrations, type Migration } from '../../../migrations';
import { systemClock } from '../context';
import { BACKGROUND_CHECK_FROM_BYTES, checkInBackground, quickCheck } from './integrity';
import { registerConnection } from './raw';
import type { DB } from './schema';

export interface OpenedDatabase {
  /** The file's handle, for the host and tests (tampering, EXPLAIN); services reach SQL through `db` or `withRaw`. */
  raw: Database.Database;
  db: Kysely<DB>;
  schemaVersion: number;
  /** Path of the backup taken before migrating, if one was needed. */
  backupPath: string | null;
  close(): Promise<void>;
  /**
   * Set when `PRAGMA quick_check` found the file damaged: it was opened read-only (reads, export), and this
   * French sentence is the answer to every write (dispatch.ts). Null for a sound file.
   */
  damaged: string | null;
  /**
   * The verdict of the integrity check: null for a sound file, the same sentence as `damaged` otherwise. Settled
   * at once for a file checked before opening; for a big one (`backgroundCheckFromBytes`), the answer of a worker
   * thread that runs quick_check while the app opens and reads — nothing may write before it (backend.ts,
   * dispatch.ts). On a damaged verdict the connection is made query-only (`PRAGMA query_only`).
   */
  integrity: Promise<string | null>;
  /** Whether `integrity` comes from the background check (false: checked before opening, or never needed). */
  checkedInBackground: boolean;
}

/** The answer to every write on a damaged file (a file open read-only after a failed quick_check). */
export function damagedMessage(file: string, detail: string): string {
  return `La base ${file} est endommagée (${detail}) : Sillon l'a ouverte en lecture seule et rien n'a été enregistré. Vous pouvez encore consulter et exporter les données ; restaurez ensuite une sauvegarde (dossier « backups » du dossier de données).`;
}

export interface OpenOptions {
  /** Where pre-migration backups go; defaults to `<db folder>/backups`. */
  backupDir?: string;
  /** Override the migration list (tests of the migrator itself). */
  migrations?: readonly Migration[];
  now?: () => Date;
  /** How long a statement waits for another process's write lock before giving up (ms); see BUSY_TIMEOUT_MS. */
  busyTimeoutMs?: number;
  /**
   * Files from this size on (bytes) are checked in a worker thread while the app opens (db/integrity.ts);
   * BACKGROUND_CHECK_FROM_BYTES by default. Tests lower it to check a small file in the background.
   */
  backgroundCheckFromBytes?: number;
}

/**
 * How long any connection waits for the file's write lock held by another process (the app, the CLI, the
 * preview, a backup tool) before failing with "Sillon est déjà ouvert ailleurs" (db/errors.ts).
 */
export const BUSY_TIMEOUT_MS = 5000;

/**
 * Kysely's SQLite driver opens transactions with a plain (deferred) BEGIN: the transaction starts as a reader
 * and becomes a writer at its first write. If another process holds the write lock at that moment, SQLite
 * does not wait (waiting could deadlock two upgrading readers) and fails at once with "database is locked",
 * whatever the busy timeout. BEGIN IMMEDIATE takes the write lock up front, where SQLite does wait.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: ConstructorParameters<typeof SqliteDialect>[0];
  constructor(config: ConstructorParameters<typeof SqliteDialect>[0]) {
    super(config);
    this.#config = config;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}

/**
 * Opens (or creates) a Sillon database: refuses a corrupt file or one written by a newer version without
 * touching it, sets WAL / synchronous=FULL / foreign keys / busy timeout, takes an online backup, then
 * runs the pending migrations, each setting `PRAGMA user_version`, all in one transaction with foreign keys
 * off and checked before commit: a failing step or a broken reference rolls every pending step back and the
 * connection is closed.
 */
export async function openDatabase(file: string, options: OpenOptions = {}): Promise<OpenedDatabase> {
  const list = options.migrations ?? migrations;
  const latest = list.at(-1)?.version ?? 0;
  const existed = existsSync(file);
  if (!existed) mkdirSync(dirname(file), { recursive: true });

  // The timeout applies from the first statement on (a migration may meet another process's lock too).
  const busyTimeout = options.busyTimeoutMs ?? BUSY_TIMEOUT_MS;
  const raw = new Database(file, { timeout: busyTimeout });
  let version: number;
  try {
    // Read before any pragma that writes: a refused file must stay byte-for-byte untouched.
    version = raw.pragma('user_version', { simple: true }) as number;
    raw.pragma('schema_version', { simple: true });
  } catch (e) {
    raw.close();
    throw new AppError(
      'business',
      `Le fichier ${file} n'est pas une base de données Sillon lisible (fichier corrompu ou d'un autre type) ; il n'a pas été modifié. Détail : ${(e as Error).message}`,
    );
  }
  if (version > latest) {
    raw.close();
    throw new AppError(
      'business',
      `Cette base a été écrite par une version plus récente de Sillon (schéma ${version}, cette version connaît le ${latest}). Mettez Sillon à jour ; le fichier n'a pas été modifié.`,
    );
  }

  // Integrity on every open, before anything writes (issue #9 §2): a damaged file is not written to. Up to
  // date, it is reopened read-only — its data can still be read and exported — and every write is refused
  // with `damaged`; one that needs migrating is refused altogether (migrating would write).
  const pending = list.filter((m) => m.version > version);
  const background = existed && version > 0 && pending.length === 0 && checksInBackground(file, raw, options.backgroundCheckFromBytes ?? BACKGROUND_CHECK_FROM_BYTES);
  if (existed && version > 0 && !background) {
    const quick = quickCheck(raw);
    if (quick !== 'ok') {
      raw.close();
      if (pending.length > 0) {
        throw new AppError('business', `La base ${file} est endommagée (${quick}) ; migration annulée, le fichier n'a pas été modifié. Restaurez une sauvegarde (dossier « backups » du dossier de données).`);
      }
      return openDamaged(file, quick, latest, busyTimeout);
    }
  }

  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  raw.pragma('foreign_keys = ON');
  raw.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeout))}`);

  let backupPath: string | null = null;
  if (pending.length > 0 && version > 0) {
    const stamp = (options.now ?? systemClock)().toISOString().replace(/[:.]/g, '-');
    const dir = options.backupDir ?? join(dirname(file), 'backups');
    mkdirSync(dir, { recursive: true });
    backupPath = join(dir, `sillon-schema${version}-${stamp}.db`);
    await raw.backup(backupPath);
  }
  // All pending steps in one transaction: the file ends at the latest version or stays exactly as it was.
  // Foreign keys are off while the steps run (a no-op inside a transaction, hence before BEGIN): rebuilding a
  // table drops it, which with them on would delete its rows one by one through triggers and children.
  // They are all checked before COMMIT instead, so a step cannot leave a broken reference behind.
  // Nothing pending, nothing to check: foreign_key_check reads every reference of the file (about 1 s on the
  // 550 MB bench file), which would make every open that slow.
  if (pending.length > 0) {
    let running: Migration | undefined;
    raw.pragma('foreign_keys = OFF');
    try {
      raw.transaction(() => {
        for (const m of pending) {
          running = m;
          raw.exec(m.sql);
          m.data?.(raw);
          raw.pragma(`user_version = ${m.version}`);
        }
        const broken = raw.pragma('foreign_key_check') as { table: string; rowid: number | null; parent: string; fkid: number }[];
        if (broken.length > 0) {
          const pairs = [...new Set(broken.map((b) => `${b.table} → ${b.parent}`))];
          running = undefined;
          throw new Error(
            `${broken.length} référence(s) vers un enregistrement introuvable après migration (${pairs.slice(0, 5).join(', ')}${pairs.length > 5 ? '…' : ''}).`,
          );
        }
      })();
    } catch (e) {
      raw.close();
      const step = running ? `La migration ${running.version} (${running.name})` : `La migration vers le schéma ${latest}`;
      throw new AppError(
        'internal',
        `${step} de la base ${file} a échoué ; elle a été annulée et la base est restée au schéma ${version}. Détail : ${(e as Error).message}`,
      );
    }
    raw.pragma('foreign_keys = ON');
  }

  const db = new Kysely<DB>({
    dialect: new ImmediateSqliteDialect({ database: raw, onCreateConnection: async (connection) => registerConnection(connection, raw) }),
    plugins: [new CamelCasePlugin()],
  });
  let integrity: Promise<string | null> = Promise.resolve(null);
  let stopCheck = async () => {};
  if (background) {
    let closed = false;
    const check = checkInBackground(file, busyTimeout, () => (closed ? 'ok' : quickCheck(raw)));
    stopCheck = async () => {
      closed = true;
      await check.stop();
    };
    integrity = check.verdict.then((quick) => {
      if (quick === 'ok' || closed) return null;
      // From now on SQLite itself refuses any write on this connection, whatever slips past the dispatcher.
      raw.pragma('query_only = ON');
      return damagedMessage(file, quick);
    });
  }
  return {
    raw,
    db,
    schemaVersion: latest,
    backupPath,
    damaged: null,
    integrity,
    checkedInBackground: background,
    close: async () => {
      await stopCheck();
      await db.destroy();
    },
  };
}

/**
 * Whether this file's quick_check runs in the background: big enough for the check to be felt, and nothing
 * the opening itself would write. Opening a WAL file whose -wal is empty writes nothing to the file (and
 * closing it neither); a -wal left with frames (a crash) would be checkpointed into the file at close, and a
 * file in another journal mode would be rewritten by `journal_mode = WAL`: those are checked first, as before.
 */
function checksInBackground(file: string, raw: Database.Database, fromBytes: number): boolean {
  try {
    if (statSync(file).size < fromBytes) return false;
    if (existsSync(`${file}-wal`) && statSync(`${file}-wal`).size > 0) return false;
    return raw.pragma('journal_mode', { simple: true }) === 'wal';
  } catch {
    return false;
  }
}

/** A damaged file, open read-only: SQLite itself refuses any write, the dispatcher answers in French first. */
function openDamaged(file: string, detail: string, latest: number, busyTimeout: number): OpenedDatabase {
  const raw = new Database(file, { readonly: true, fileMustExist: true, timeout: busyTimeout });
  const db = new Kysely<DB>({
    dialect: new SqliteDialect({ database: raw, onCreateConnection: async (connection) => registerConnection(connection, raw) }),
    plugins: [new CamelCasePlugin()],
  });
  return {
    raw,
    db,
    schemaVersion: latest,
    backupPath: null,
    damaged: damagedMessage(file, detail),
    integrity: Promise.resolve(damagedMessage(file, detail)),
    checkedInBackground: false,
    close: async () => {
      await db.destroy();
    },
  };
}

export { LATEST_SCHEMA_VERSION };
