import { useEffect, useState } from 'react';
import { createHashRouter, Route, RouterProvider, Routes } from 'react-router-dom';
import { Layout } from './components/Layout';
import { ActionsPage } from './pages/Actions';
import { AfestListPage } from './pages/afest/AfestList';
import { AfestPage } from './pages/afest/AfestPage';
import { TutorModePage } from './pages/afest/TutorMode';
import { AttendanceDayPage } from './pages/attendance/AttendanceDay';
import { ChecksPage } from './pages/attendance/Checks';
import { RollCallPage } from './pages/attendance/RollCallPage';
import { SettingsPage } from './pages/attendance/Settings';
import { ClaimPage } from './pages/claims/ClaimPage';
import { ClaimsPage } from './pages/claims/Claims';
import { CompaniesPage } from './pages/Companies';
import { ContractsPage } from './pages/Contracts';
import { FundersPage } from './pages/Funders';
import { HomePage } from './pages/Home';
import { NotFoundPage } from './pages/NotFound';
import { OrganisationPage } from './pages/Organisation';
import { PlacesPage } from './pages/Places';
import { SessionPage } from './pages/SessionPage';
import { SessionsPage } from './pages/Sessions';
import { SyncPage } from './pages/Sync';
import { TraineesPage } from './pages/Trainees';
import { TrainersPage } from './pages/Trainers';
import { VerifyDocumentPage } from './pages/VerifyDocument';
import { AccountsPage } from './pages/admin/Accounts';
import { BackupsPage } from './pages/backups/Backups';
import { AuditLogPage } from './pages/admin/AuditLog';
import { FirstRunPage } from './pages/auth/FirstRun';
import { LockScreen } from './pages/auth/LockScreen';
import { MyAccountPage } from './pages/auth/MyAccount';
import { SignInPage } from './pages/auth/SignIn';
import { AuthProvider, useAuth } from './lib/auth';
import { UnsavedGuardHost } from './lib/useUnsavedGuard';

/**
 * The sign-in gate (issue #12) around the app: no account yet → the first run; signed out → the sign-in page;
 * locked → the lock screen; otherwise the app, as the signed-in account (lib/auth.tsx). The backend refuses what the
 * account may not do whatever the screens show.
 */
export function App() {
  return (
    <AuthProvider>
      <Gate />
    </AuthProvider>
  );
}

function Gate() {
  const { status } = useAuth();
  const accountId = status.signedIn ? (status.account?.id ?? null) : null;
  // A lock that falls while the app is open keeps it mounted underneath, hidden and inert: unlocking returns to the
  // same screen with what was typed. A page opened already locked mounts the app only once unlocked.
  const [opened, setOpened] = useState<string | null>(null);
  const unlockedAs = accountId && !status.locked ? accountId : null;
  useEffect(() => {
    if (unlockedAs) setOpened(unlockedAs);
  }, [unlockedAs]);
  if (status.setupNeeded) return <FirstRunPage />;
  if (!accountId) return <SignInPage />;
  const showApp = opened === accountId || !status.locked;
  return (
    <>
      {showApp ? (
        <div className="app-shell" hidden={status.locked} inert={status.locked}>
          {/* Another account is another app: nothing of the last one's screens survives. */}
          <SignedInApp key={accountId} />
        </div>
      ) : null}
      {status.locked ? <LockScreen /> : null}
    </>
  );
}

/**
 * A hash router: Electron loads the renderer from file://, where only the hash can carry the route. A data
 * router (createHashRouter), so a screen with unsaved input can hold a navigation (lib/useUnsavedGuard.ts);
 * the routes below stay declared as elements under its one catch-all route.
 */
function SignedInApp() {
  const [router] = useState(() => createHashRouter([{ path: '*', element: <AppRoutes /> }]));
  return <RouterProvider router={router} />;
}

function AppRoutes() {
  return (
    <>
      <UnsavedGuardHost />
      <Routes>
        {/* Tutor mode: a tablet screen of its own, no menu (pages/afest/TutorMode.tsx). */}
        <Route path="tuteur" element={<TutorModePage />} />
        <Route element={<Layout />}>
          <Route index element={<HomePage />} />
          <Route path="organisme" element={<OrganisationPage />} />
          <Route path="actions" element={<ActionsPage />} />
          <Route path="sessions" element={<SessionsPage />} />
          <Route path="sessions/:id" element={<SessionPage />} />
          <Route path="emargement" element={<AttendanceDayPage />} />
          <Route path="emargement/:slotId" element={<RollCallPage />} />
          <Route path="controles" element={<ChecksPage />} />
          <Route path="verifier" element={<VerifyDocumentPage />} />
          <Route path="parametres" element={<SettingsPage />} />
          <Route path="stagiaires" element={<TraineesPage />} />
          <Route path="entreprises" element={<CompaniesPage />} />
          <Route path="formateurs" element={<TrainersPage />} />
          <Route path="lieux" element={<PlacesPage />} />
          <Route path="demandes" element={<ClaimsPage />} />
          <Route path="demandes/:id" element={<ClaimPage />} />
          <Route path="financeurs" element={<FundersPage />} />
          <Route path="synchronisation" element={<SyncPage />} />
          <Route path="contrats" element={<ContractsPage />} />
          <Route path="afest" element={<AfestListPage />} />
          <Route path="afest/:id" element={<AfestPage />} />
          <Route path="compte" element={<MyAccountPage />} />
          <Route path="comptes" element={<AccountsPage />} />
          <Route path="journal" element={<AuditLogPage />} />
          <Route path="sauvegardes" element={<BackupsPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
    </>
  );
}
