import { createBrowserRouter } from 'react-router';
import { RequireSession } from './require-session';
import { Layout } from './layout';
import { SignInPage } from '../pages/sign-in.page';
import { SignUpPage } from '../pages/sign-up.page';
import { ProjectsPage } from '../pages/projects.page';

/** The entry route (projects) and sign-in ship in the first load; every other page loads when opened. */
const page = (load: () => Promise<{ Page: React.ComponentType }>) => async () => ({ Component: (await load()).Page });

export const router = createBrowserRouter([
  { path: '/sign-in', element: <SignInPage /> },
  { path: '/sign-up', element: <SignUpPage /> },
  { path: '/invite/:code', element: <SignUpPage /> },
  { path: '/status', lazy: page(() => import('../pages/status.page')) },
  {
    element: (
      <RequireSession>
        <Layout />
      </RequireSession>
    ),
    children: [
      { path: '/', element: <ProjectsPage /> },
      { path: '/projects/:projectId', lazy: page(() => import('../pages/project.page')) },
      { path: '/projects/:projectId/members', lazy: page(() => import('../pages/members.page')) },
      { path: '/projects/:projectId/audit', lazy: page(() => import('../pages/audit.page')) },
      { path: '/services/:serviceId', lazy: page(() => import('../pages/service.page')) },
      { path: '/deployments/:deploymentId', lazy: page(() => import('../pages/deployment.page')) },
      { path: '/environment', lazy: page(() => import('../pages/environment.page')) },
      { path: '/tokens', lazy: page(() => import('../pages/tokens.page')) },
      { path: '/previews', lazy: page(() => import('../pages/previews.page')) },
      { path: '/projects/:projectId/previews', lazy: page(() => import('../pages/previews.page')) },
      { path: '/projects/:projectId/alerts', lazy: page(() => import('../pages/alerts.page')) },
      { path: '/metrics', lazy: page(() => import('../pages/metrics.page')) },
      { path: '/cleanup', lazy: page(() => import('../cleanup/cleanup.page')) },
      { path: '*', lazy: page(() => import('../pages/not-found.page')) },
    ],
  },
]);
