import type Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { GENESIS, LEDGER_TIP_SQL, type LedgerTip } from './hash';
import { writeHeadFile, type SealedHead } from './head-file';
import { bindLedgerKey, bindSameLedgerKey, fileLedgerKey, keptByTheApp, LEDGER_KEY_FILE, ledgerSealOf, type LedgerSeal } from './key';
import { verifyLedger } from './verify';

/**
 * The ledger's side of backups (electron/backend/backup/): the head recorded in a backup's manifest, the
 * verification of a backup's copy under this data folder's key, and the head file following a restored chain.
 * Here because the ledger key never leaves evidence/.
 */

type Handle = { prepare(sql: string): Database.Statement };

/**
 * The ledger's head in a backup's manifest: the copy's last entry, and a tag under the ledger key over
 * (count, seal, time) exactly as `ledger.head` has (head-file.ts). Without the key nobody can make a manifest
 * whose head a cut or rewritten chain would match.
 */
export interface BackupLedgerHead {
  seq: number;
  hash: string;
  mac: string;
  at: string;
  /** The key's public name and the tag; null when the backup was taken without the key (a CLI beside an app-kept key). */
  keyId: string | null;
  tag: string | null;
}

/** Where the key to check a backup comes from; the data folder's `ledger.key` file when neither is given. */
export interface LedgerKeySource {
  /** The running backend's handle (`backend.raw`): the key bound to it. */
  keyedHandle?: Handle | undefined;
  /** The key itself, as handed to startBackend (`ledgerKey`: the app's, unsealed by safeStorage). */
  ledgerKey?: Buffer | undefined;
}

const hasTable = (db: Handle, name: string) => db.prepare("SELECT 1 AS x FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;

function headOf(db: Handle, sealedOnly: boolean): SealedHead & { hash: string } {
  const tip = db.prepare(sealedOnly ? 'SELECT seq, hash, mac, created_at FROM ledger WHERE mac IS NOT NULL ORDER BY seq DESC LIMIT 1' : LEDGER_TIP_SQL).get() as LedgerTip | undefined;
  return { count: tip?.seq ?? 0, hash: tip?.hash ?? GENESIS, mac: tip?.mac ?? GENESIS, at: tip?.created_at ?? '' };
}

/** The head of a fresh backup `copy`, tagged under the key of the live handle it was copied from (if it has one). */
export function backupLedgerHead(live: Handle, copy: Handle): BackupLedgerHead | null {
  if (!hasTable(copy, 'ledger')) return null;
  const head = headOf(copy, false);
  const seal = ledgerSealOf(live);
  return { seq: head.count, hash: head.hash, mac: head.mac, at: head.at, keyId: seal?.keyId ?? null, tag: seal ? seal.headTag(head.count, head.mac, head.at) : null };
}

export interface BackupLedgerCheck {
  ok: boolean;
  /** French sentences, the first the most telling. */
  problems: string[];
  notes: string[];
  entries: number;
  /**
   * Makes `dataDir`'s `ledger.head` follow this copy's chain (call it once the copy is installed as the database).
   * Null when the copy was refused.
   */
  adoptHead: ((dataDir: string) => void) | null;
}

/** The sentence for a backup sealed under another key: it comes from another data folder. */
export const FOREIGN_KEY_MESSAGE =
  "Cette sauvegarde est scellée avec la clé du registre d'un autre dossier de données (ou ses sceaux ont été modifiés) : elle ne peut être ni vérifiée ni restaurée ici. Restaurez-la dans le dossier de données d'où elle vient.";

/**
 * Binds this data folder's key to `copy`, with `scratchDir` as the folder of its head file. Never creates a key:
 * a folder without one cannot check anything.
 */
function bindKey(copy: Database.Database, dataDir: string, scratchDir: string, keys: LedgerKeySource): LedgerSeal | string {
  const fromHandle = keys.keyedHandle ? bindSameLedgerKey(keys.keyedHandle, copy, scratchDir) : null;
  if (fromHandle) return fromHandle;
  if (keys.ledgerKey) return bindLedgerKey(copy, keys.ledgerKey, scratchDir);
  if (existsSync(join(dataDir, LEDGER_KEY_FILE))) return bindLedgerKey(copy, fileLedgerKey(dataDir), scratchDir);
  if (keptByTheApp(dataDir)) {
    return "La clé du registre de ce dossier de données est gardée par l'application Sillon (trousseau du système) : vérifiez et restaurez cette sauvegarde depuis l'application (Administration › Sauvegardes).";
  }
  return `Ce dossier de données n'a pas de clé du registre (fichier ${LEDGER_KEY_FILE}) : aucune sauvegarde ne peut y être vérifiée. Restaurez-la dans le dossier de données d'où elle vient.`;
}

/**
 * Verifies the ledger of a backup's private copy (`copy`, already through integrity_check) under this data folder's
 * key, reusing verify.ts: every entry's hash and seal, every evidence row, the validated claims — and the head:
 * the one the manifest recorded when the backup was taken (its tag checked under the key), so a backup whose
 * tail was cut afterwards is caught too. The folder's own `ledger.head` is not used: it belongs to the current
 * database, whose chain has moved on since the backup. The head is written in `scratchDir`, beside the copy.
 */
export function verifyBackupLedger(copy: Database.Database, options: { dataDir: string; scratchDir: string; keys: LedgerKeySource; manifestHead: BackupLedgerHead | null }): BackupLedgerCheck {
  const refused = (problem: string, entries = 0): BackupLedgerCheck => ({ ok: false, problems: [problem], notes: [], entries, adoptHead: null });
  if (!hasTable(copy, 'ledger')) return refused("Cette sauvegarde n'a pas de registre des preuves : ce n'est pas une base Sillon complète.");
  if (!hasTable(copy, 'ledger_keying')) {
    // Schema < 9: its chain has no seals, and the upgrade that seals it refuses a folder that already has a head.
    return refused("Cette sauvegarde précède le registre scellé (version de Sillon antérieure au schéma 9) : elle ne peut pas être restaurée dans un dossier dont le registre est scellé.");
  }
  const seal = bindKey(copy, options.dataDir, options.scratchDir, options.keys);
  if (typeof seal === 'string') return refused(seal);

  const notes: string[] = [];
  const m = options.manifestHead;
  if (m?.keyId && m.keyId !== seal.keyId) return refused(FOREIGN_KEY_MESSAGE);
  if (m?.tag) {
    if (!seal.same(seal.headTag(m.seq, m.mac, m.at), m.tag)) {
      return refused("Le manifeste de cette sauvegarde a été modifié : l'en-tête du registre qu'il a relevé ne porte plus son sceau.");
    }
    writeHeadFile(seal, { count: m.seq, mac: m.mac, at: m.at });
  } else {
    // No sealed head to compare with (no manifest, or a backup taken without the key): the seals alone are checked,
    // up to the last sealed entry; a tail cut from this file could not be seen.
    writeHeadFile(seal, headOf(copy, true));
    notes.push("Sauvegarde sans en-tête de registre scellé : les sceaux de toutes les entrées sont vérifiés, mais la fin du registre n'a pas pu être comparée à celle relevée lors de la sauvegarde.");
  }

  const report = verifyLedger(copy);
  notes.push(...report.notes);
  if (!report.ok) {
    // Every seal broken from the first sealed entry on: another key sealed this chain.
    const first = copy.prepare('SELECT min(seq) AS seq FROM ledger WHERE mac IS NOT NULL').get() as { seq: number | null };
    const foreign = report.problems.some((p) => p.problem === 'seal-broken' && p.seq === first.seq);
    const problems = report.problems.map((p) => p.message);
    return { ok: false, problems: foreign ? [FOREIGN_KEY_MESSAGE, ...problems.slice(0, 4)] : problems, notes, entries: report.entries, adoptHead: null };
  }
  const tip = headOf(copy, false);
  return {
    ok: true,
    problems: [],
    notes,
    entries: report.entries,
    // Safe because the chain up to `tip` has just been verified under this folder's key: every seal from the first
    // entry to the last chains under it, so this head is one this folder's own Sillon wrote. Moving the head back
    // to it forgets only the entries made after the backup, which is what restoring means; the database that
    // holds them is kept aside by the restore.
    adoptHead: (dataDir) => writeHeadFile({ ...seal, dataDir }, { count: tip.count, mac: tip.mac, at: tip.at }),
  };
}
