import type { Permission } from '../../../shared/permissions';

/**
 * The menu, by what people come to do. A group with no screen yet is not shown: a menu of promises that lead
 * nowhere is noise, and its entries appear here when their screens exist. « Mode tuteur » opens a screen of
 * its own, without this menu (a tutor's tablet).
 *
 * Each entry names the permission its screen needs to open (what it loads first, shared/contract): the menu shows
 * only what the signed-in role can use, and the same permission guards the route and the pages under it (a
 * bookmarked /demandes/… opened by a tutor says so instead of showing refusals). The backend decides anyway.
 */
export const NAV_GROUPS = [
  {
    key: 'attendance',
    entries: [
      { to: '/emargement', key: 'attendance.nav.day', permission: 'attendance.read' },
      { to: '/sessions', key: 'nav.sessions', permission: 'sessions.read' },
    ],
  },
  {
    key: 'afest',
    entries: [
      { to: '/afest', key: 'nav.afest', permission: 'afest.read' },
      // Tutor mode records sequences: an auditor, who only reads, has nothing to do there.
      { to: '/tuteur', key: 'nav.tutorMode', permission: 'afest.write' },
    ],
  },
  {
    key: 'funding',
    entries: [
      { to: '/demandes', key: 'nav.claims', permission: 'claims.read' },
      { to: '/financeurs', key: 'nav.funders', permission: 'funding.read' },
      { to: '/contrats', key: 'nav.contracts', permission: 'funding.read' },
      { to: '/synchronisation', key: 'nav.sync', permission: 'sync.read' },
    ],
  },
  {
    key: 'steering',
    entries: [
      { to: '/controles', key: 'attendance.nav.checks', permission: 'attendance.read' },
      { to: '/verifier', key: 'nav.verifyDocument', permission: 'attendance.read' },
    ],
  },
  {
    key: 'referentials',
    entries: [
      { to: '/actions', key: 'nav.actions', permission: 'catalogue.read' },
      { to: '/stagiaires', key: 'nav.trainees', permission: 'people.read' },
      { to: '/entreprises', key: 'nav.companies', permission: 'people.read' },
      { to: '/formateurs', key: 'nav.trainers', permission: 'people.read' },
      { to: '/lieux', key: 'nav.places', permission: 'catalogue.read' },
    ],
  },
  {
    key: 'admin',
    entries: [
      // The profile is a form to fill and its documents to sign: for those who may change it.
      { to: '/organisme', key: 'nav.organisation', permission: 'organisation.write' },
      // The attendance statuses and the lock delay: only an administrator saves them.
      { to: '/parametres', key: 'attendance.nav.settings', permission: 'system.admin' },
      { to: '/comptes', key: 'nav.accounts', permission: 'system.admin' },
      { to: '/journal', key: 'nav.audit', permission: 'system.admin' },
      { to: '/sauvegardes', key: 'nav.backups', permission: 'system.admin' },
    ],
  },
] as const satisfies readonly { key: string; entries: readonly { to: string; key: string; permission: Permission }[] }[];

export type NavGroup = (typeof NAV_GROUPS)[number];
export type NavEntry = NavGroup['entries'][number];

/** The permission a path needs: its menu entry's, for the entry's own path and every path under it. */
export function permissionFor(pathname: string): Permission | null {
  for (const group of NAV_GROUPS) {
    for (const entry of group.entries) {
      if (pathname === entry.to || pathname.startsWith(`${entry.to}/`)) return entry.permission;
    }
  }
  return null;
}

/**
 * The menu a set of permissions shows: the entries it may open, a group left empty not shown.
 *
 * @example menuFor(ROLE_PERMISSIONS.tutor) // [{ key: 'afest', entries: [/afest, /tuteur] }]
 */
export function menuFor(permissions: readonly Permission[]): { key: NavGroup['key']; entries: NavEntry[] }[] {
  const may = new Set(permissions);
  return NAV_GROUPS.map((g) => ({ key: g.key, entries: (g.entries as readonly NavEntry[]).filter((e) => may.has(e.permission)) })).filter((g) => g.entries.length > 0);
}
