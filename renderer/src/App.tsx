import { lazy, useState } from 'react';
import { createHashRouter, Route, RouterProvider, Routes } from 'react-router-dom';
import { Layout } from './components/Layout';
import { HomePage } from './pages/Home';
import { NotFoundPage } from './pages/NotFound';
import { UnsavedGuardHost } from './lib/useUnsavedGuard';

/**
 * Every page but the home page is its own chunk, loaded on first visit (Layout shows « Chargement… » meanwhile):
 * the main chunk holds the shell, and the list table, date picker and PDF/XLSX helpers come with the pages
 * that use them.
 */
const ActionsPage = lazy(() => import('./pages/Actions').then((m) => ({ default: m.ActionsPage })));
const AttendanceDayPage = lazy(() => import('./pages/attendance/AttendanceDay').then((m) => ({ default: m.AttendanceDayPage })));
const ChecksPage = lazy(() => import('./pages/attendance/Checks').then((m) => ({ default: m.ChecksPage })));
const RollCallPage = lazy(() => import('./pages/attendance/RollCallPage').then((m) => ({ default: m.RollCallPage })));
const SettingsPage = lazy(() => import('./pages/attendance/Settings').then((m) => ({ default: m.SettingsPage })));
const CompaniesPage = lazy(() => import('./pages/Companies').then((m) => ({ default: m.CompaniesPage })));
const OrganisationPage = lazy(() => import('./pages/Organisation').then((m) => ({ default: m.OrganisationPage })));
const PlacesPage = lazy(() => import('./pages/Places').then((m) => ({ default: m.PlacesPage })));
const SessionPage = lazy(() => import('./pages/SessionPage').then((m) => ({ default: m.SessionPage })));
const SessionsPage = lazy(() => import('./pages/Sessions').then((m) => ({ default: m.SessionsPage })));
const SyncPage = lazy(() => import('./pages/Sync').then((m) => ({ default: m.SyncPage })));
const TraineesPage = lazy(() => import('./pages/Trainees').then((m) => ({ default: m.TraineesPage })));
const TrainersPage = lazy(() => import('./pages/Trainers').then((m) => ({ default: m.TrainersPage })));

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
        <Route element={<Layout />}>
          <Route index element={<HomePage />} />
          <Route path="organisme" element={<OrganisationPage />} />
          <Route path="actions" element={<ActionsPage />} />
          <Route path="sessions" element={<SessionsPage />} />
          <Route path="sessions/:id" element={<SessionPage />} />
          <Route path="emargement" element={<AttendanceDayPage />} />
          <Route path="emargement/:slotId" element={<RollCallPage />} />
          <Route path="controles" element={<ChecksPage />} />
          <Route path="parametres" element={<SettingsPage />} />
          <Route path="stagiaires" element={<TraineesPage />} />
          <Route path="entreprises" element={<CompaniesPage />} />
          <Route path="formateurs" element={<TrainersPage />} />
          <Route path="lieux" element={<PlacesPage />} />
          <Route path="synchronisation" element={<SyncPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
    </>
  );
}
