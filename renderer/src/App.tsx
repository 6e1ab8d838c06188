import { useState } from 'react';
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
import { UnsavedGuardHost } from './lib/useUnsavedGuard';

/**
 * A hash router: Electron loads the renderer from file://, where only the hash can carry the route. A data
 * router (createHashRouter), so a screen with unsaved input can hold a navigation (lib/useUnsavedGuard.ts);
 * the routes below stay declared as elements under its one catch-all route.
 */
export function App() {
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
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
    </>
  );
}
