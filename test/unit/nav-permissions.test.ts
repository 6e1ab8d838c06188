import { describe, expect, it } from 'vitest';
import { contract, type MethodName } from '../../shared/contract';
import { ROLE_PERMISSIONS, ROLES, type Role } from '../../shared/permissions';
import { menuFor, NAV_GROUPS, permissionFor } from '../../renderer/src/lib/nav';

/**
 * The menu by role (renderer/src/lib/nav.ts, issue #12): each entry shows only to a role that can use its screen.
 * Two checks: the menus worked out by hand from the roles of shared/permissions.ts, and — whatever the entries'
 * permissions — every role that sees an entry may call every method its screen loads on opening (read from the
 * pages), so no menu entry leads a role to a screen of refusals.
 */

/** What each screen calls as it opens (its useQuery loaders), from the pages in renderer/src/pages. */
const OPENS: Record<string, MethodName[]> = {
  '/emargement': ['attendance.day'],
  '/sessions': ['sessions.list', 'actions.list', 'places.list'],
  '/afest': ['afest.list'],
  '/tuteur': ['afest.tutors', 'afest.tutorHome', 'afest.get', 'afest.recordSequence'],
  '/demandes': ['claims.list', 'contracts.list', 'funders.list', 'programmes.list'],
  '/financeurs': ['funders.list', 'programmes.list'],
  '/contrats': ['contracts.list', 'companies.list', 'places.list', 'sessions.list', 'funders.list', 'fundings.list'],
  '/synchronisation': ['sync.status', 'sync.records', 'sync.batches'],
  '/controles': ['checks.run', 'ledger.verify', 'sessions.list'],
  '/verifier': ['documents.check'],
  '/actions': ['actions.list'],
  '/stagiaires': ['trainees.list'],
  '/entreprises': ['companies.list'],
  '/formateurs': ['trainers.list', 'pins.status'],
  '/lieux': ['places.list'],
  '/organisme': ['organisation.get', 'organisation.funderDocuments', 'documents.certificate', 'organisation.save'],
  '/parametres': ['attendance.kinds', 'attendance.saveKind', 'auth.settings', 'auth.saveSettings'],
  '/comptes': ['accounts.list', 'accounts.save'],
  '/journal': ['audit.list', 'accounts.list', 'audit.exportCsv'],
  '/sauvegardes': ['backups.list', 'backups.take', 'backups.check', 'backups.restore', 'backups.export'],
};

const paths = (role: Role) => menuFor(ROLE_PERMISSIONS[role]).flatMap((g) => g.entries.map((e) => e.to));

describe('the menu by role', () => {
  it('shows each role the entries its permissions open (worked out by hand from shared/permissions.ts)', () => {
    const all = NAV_GROUPS.flatMap((g) => g.entries.map((e) => e.to));
    expect(paths('admin')).toEqual(all);
    // Everything but system.admin: the settings, accounts and audit log.
    expect(paths('manager')).toEqual(all.filter((p) => !['/parametres', '/comptes', '/journal', '/sauvegardes'].includes(p)));
    // No funding.write nor claims.write, but funding.read, claims.read and sync.read; no organisation.write.
    expect(paths('staff')).toEqual([
      '/emargement', '/sessions', '/afest', '/tuteur', '/demandes', '/financeurs', '/contrats', '/synchronisation', '/controles', '/verifier',
      '/actions', '/stagiaires', '/entreprises', '/formateurs', '/lieux',
    ]);
    // Sessions, attendance, catalogue and AFEST; no person record, no funding.
    expect(paths('trainer')).toEqual(['/emargement', '/sessions', '/afest', '/tuteur', '/controles', '/verifier', '/actions', '/lieux']);
    expect(paths('tutor')).toEqual(['/afest', '/tuteur']);
    // Reads everything it may read, writes nothing: no tutor mode, no settings.
    expect(paths('auditor')).toEqual([
      '/emargement', '/sessions', '/afest', '/demandes', '/financeurs', '/contrats', '/synchronisation', '/controles', '/verifier',
      '/actions', '/stagiaires', '/entreprises', '/formateurs', '/lieux',
    ]);
  });

  it('never shows a group left empty', () => {
    expect(menuFor(ROLE_PERMISSIONS.tutor).map((g) => g.key)).toEqual(['afest']);
    expect(menuFor([])).toEqual([]);
  });

  it('leads no role to a screen it may not open: every method the screen loads is granted to every role that sees it', () => {
    for (const group of NAV_GROUPS) {
      for (const entry of group.entries) {
        const methods = OPENS[entry.to];
        expect(methods, `${entry.to}: what it loads`).toBeDefined();
        for (const role of ROLES) {
          if (!paths(role).includes(entry.to)) continue;
          // 'signed-in': any account (its own settings, PIN, password).
          const granted = new Set<string>([...ROLE_PERMISSIONS[role], 'signed-in', 'anyone']);
          // The screen's reads must be open to the role; its writes may be refused (the backend decides), but not its first load.
          const refused = methods!.filter((m) => !contract[m].write && !granted.has(contract[m].permission));
          expect(refused, `${role} on ${entry.to}`).toEqual([]);
        }
      }
    }
  });

  it('guards a route and every path under it with its entry’s permission', () => {
    expect(permissionFor('/demandes')).toBe('claims.read');
    expect(permissionFor('/demandes/0190c6a4-0000-7000-8000-000000000000')).toBe('claims.read');
    expect(permissionFor('/sessions/abc')).toBe('sessions.read');
    expect(permissionFor('/journal')).toBe('system.admin');
    // A path that merely starts like an entry is not under it; the home page and « Mon compte » need no permission.
    expect(permissionFor('/comptesx')).toBeNull();
    expect(permissionFor('/')).toBeNull();
    expect(permissionFor('/compte')).toBeNull();
  });
});
