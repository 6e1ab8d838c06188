import type { Role } from '../../../shared/permissions';
import type { Ctx } from '../context';
import { withRaw } from '../db/raw';

/** Set once the demo's accounts exist (their password is « demo »): the sign-in page then says so. */
export const DEMO_ACCOUNTS_SETTING = 'demo_accounts';

/**
 * One account per role for the demo, all with the password « demo » (said on the demo's home page and in the
 * README; demo data only — real accounts follow the password rule). A login already taken (an account made before
 * the demo was loaded) is left as it is. The trainer is Martine Klein, who teaches the
 * cuisine and HCR sessions; the tutor is Patrick L., tutor of the Parcours TPME AFEST at the Menuiserie du Bocage.
 */
export async function demoAccounts(tx: Ctx, links: { trainerId: string; tutorAfestId: string }, passwordHash: string): Promise<void> {
  const at = tx.now().toISOString();
  const accounts: { login: Role; name: string }[] = [
    { login: 'admin', name: 'Claire Vasseur (administratrice, démo)' },
    { login: 'manager', name: 'Hugo Martin (responsable, démo)' },
    { login: 'staff', name: 'Nadia Benali (accueil du centre, démo)' },
    { login: 'trainer', name: 'Martine Klein (formatrice, démo)' },
    { login: 'tutor', name: 'Patrick L. (tuteur, démo)' },
    { login: 'auditor', name: 'Inès Roux (auditrice, démo)' },
  ];
  await withRaw(tx.db, (raw) => {
    const tutorId = raw.get<{ tutor_id: string }>('SELECT tutor_id FROM afests WHERE id = ?', links.tutorAfestId)!.tutor_id;
    for (const a of accounts) {
      raw.run(
        `INSERT INTO users (id, name, login, active, created_at, updated_at, role, email, password_hash, trainer_id, tutor_id, failed_attempts, password_changed_at, created_by, updated_by, version)
         VALUES (?, ?, ?, 1, ?, ?, ?, NULL, ?, ?, ?, 0, ?, NULL, NULL, 1)
         ON CONFLICT (login) DO NOTHING`,
        tx.newId(), a.name, a.login, at, at, a.login, passwordHash, a.login === 'trainer' ? links.trainerId : null, a.login === 'tutor' ? tutorId : null, at,
      );
    }
    raw.run('INSERT INTO sync_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', DEMO_ACCOUNTS_SETTING, '1');
  });
}
