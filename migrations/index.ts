import { initial } from './0001_initial';
import { attendance } from './0002_attendance';
import { sync } from './0003_sync';
import { devices } from './0004_devices';
import { rollcallDrafts } from './0005_rollcall_drafts';
import { searchKeys } from './0006_search_keys';
import { plannedMinutes } from './0007_planned_minutes';
import { receiverArchive } from './0008_receiver_archive';
import { keyedLedger } from './0009_keyed_ledger';
import { clockDevice } from './0010_clock_device';
import { pinQr } from './0011_pin_qr';
import { slotCorrections } from './0012_slot_corrections';
import { signingCertificates } from './0013_signing_certificates';
import { funding } from './0014_funding';
import { afest } from './0015_afest';
import { accounts } from './0016_accounts';
import { sealedFields } from './0017_sealed_fields';
import { rgpd } from './0018_rgpd';

/**
 * A forward-only schema step, run in one transaction that also sets `PRAGMA user_version`. Steps run with
 * foreign keys off (so tables can be rebuilt, see helpers.ts) and every foreign key is checked before commit.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
  /**
   * A data step in JavaScript after `sql`, in the same transaction (e.g. filling a column with a value only
   * shared/ can compute). It sees the raw connection through this narrow interface.
   */
  data?: (db: MigrationDb) => void;
}

/** What a migration's data step may do: prepared statements, nothing else. */
export interface MigrationDb {
  prepare(sql: string): { all(...params: unknown[]): unknown[]; run(...params: unknown[]): unknown };
}

/** The static list of migrations, in order. Never edit a landed migration: add the next one. */
export const migrations: readonly Migration[] = [initial, attendance, sync, devices, rollcallDrafts, searchKeys, plannedMinutes, receiverArchive, keyedLedger, clockDevice, pinQr, slotCorrections, signingCertificates, funding, afest, accounts, sealedFields, rgpd];

export const LATEST_SCHEMA_VERSION = migrations.at(-1)!.version;
