import { Route, Router, useLocation, useNavigate, type RouteSectionProps } from '@solidjs/router';
import { createEffect, ErrorBoundary, lazy, Show } from 'solid-js';
import { api, unwrap } from '../api/client.ts';
import { t } from '../i18n/index.ts';
import { ErrorAlert } from './ErrorAlert.tsx';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import { SessionProvider, useSession } from './session.tsx';

const SetupPage = lazy(() => import('../features/auth/SetupPage.tsx'));
const LoginPage = lazy(() => import('../features/auth/LoginPage.tsx'));
const ProjectListPage = lazy(() => import('../features/projects/ProjectListPage.tsx'));
const ProjectPage = lazy(() => import('../features/projects/ProjectPage.tsx'));
const ImportPage = lazy(() => import('../features/import/ImportPage.tsx'));
const HistoryPage = lazy(() => import('../features/history/HistoryPage.tsx'));
const MemosPage = lazy(() => import('../features/memos/MemosPage.tsx'));
const ParticipantsPage = lazy(() => import('../features/participants/ParticipantsPage.tsx'));
const CodingPage = lazy(() => import('../features/coding/CodingPage.tsx'));
const UsersPage = lazy(() => import('../features/admin/UsersPage.tsx'));
const ExportPage = lazy(() => import('../features/export/ExportPage.tsx'));
const SettingsPage = lazy(() => import('../features/settings/SettingsPage.tsx'));
const ReviewDashboardPage = lazy(() => import('../features/review/ReviewDashboardPage.tsx'));
const FrequenciesPage = lazy(() => import('../features/review/FrequenciesPage.tsx'));
const CooccurrencePage = lazy(() => import('../features/review/CooccurrencePage.tsx'));
const RetrievalPage = lazy(() => import('../features/review/RetrievalPage.tsx'));
const AgreementPage = lazy(() => import('../features/review/AgreementPage.tsx'));
const SearchPage = lazy(() => import('../features/search/SearchPage.tsx'));
const AccountPage = lazy(() => import('../features/account/AccountPage.tsx'));

const PUBLIC_PATHS = new Set(['/setup', '/login']);

/**
 * Where a visitor belongs: set-up until the instance has an admin, sign-in until they have a
 * session, and never back to those pages once signed in. Returns whether the current page may show.
 */
function useAuthRedirects(): () => boolean {
  const session = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const destination = (): string | undefined => {
    if (session.status.state !== 'ready') return undefined;
    const status = session.status();
    const path = location.pathname;
    if (status.setupRequired) return path === '/setup' ? undefined : '/setup';
    if (!status.user) return path === '/login' ? undefined : '/login';
    return PUBLIC_PATHS.has(path) ? '/' : undefined;
  };
  createEffect(() => {
    const to = destination();
    if (to !== undefined) navigate(to, { replace: true });
  });
  return () => session.status.state === 'ready' && destination() === undefined;
}

function Header() {
  const session = useSession();
  const navigate = useNavigate();
  const logout = async () => {
    await unwrap(api.auth.logout.$post()).catch(() => undefined);
    session.setStatus({ setupRequired: false, user: null });
    navigate('/login');
  };
  return (
    <header class="app-header">
      <a class="brand" href="/">
        {t('app.name')}
      </a>
      <nav aria-label={t('nav.main')} class="main-nav">
        <Show when={session.user()}>
          {(user) => (
            <>
              <a href="/">{t('nav.projects')}</a>
              <Show when={user().isAdmin}>
                <a href="/admin/users">{t('nav.users')}</a>
              </Show>
            </>
          )}
        </Show>
      </nav>
      <div class="header-tools">
        <Show when={session.user()}>
          {(user) => (
            <>
              <a class="signed-in" href="/account" title={t('nav.account')}>
                {t('nav.signedInAs', { name: user().displayName || user().username })}
              </a>
              <button type="button" class="link-button" onClick={() => void logout()}>
                {t('nav.logout')}
              </button>
            </>
          )}
        </Show>
        <LanguageSwitch />
      </div>
    </header>
  );
}

function Layout(props: RouteSectionProps) {
  const mayShow = useAuthRedirects();
  const session = useSession();
  return (
    <>
      <a class="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <Header />
      <main id="main" tabindex="-1">
        <ErrorBoundary fallback={(error) => <ErrorAlert error={error} />}>
          <Show when={session.status.error}>
            <ErrorAlert error={session.status.error} />
          </Show>
          <Show when={mayShow()} fallback={<p class="muted">{t('app.loading')}</p>}>
            {props.children}
          </Show>
        </ErrorBoundary>
      </main>
    </>
  );
}

export function App() {
  return (
    <SessionProvider>
      <Router root={Layout}>
        <Route path="/setup" component={SetupPage} />
        <Route path="/login" component={LoginPage} />
        <Route path="/" component={ProjectListPage} />
        <Route path="/admin/users" component={UsersPage} />
        <Route path="/account" component={AccountPage} />
        <Route path="/projects/:projectId" component={ProjectPage} />
        <Route path="/projects/:projectId/import" component={ImportPage} />
        <Route path="/projects/:projectId/participants" component={ParticipantsPage} />
        <Route path="/projects/:projectId/export" component={ExportPage} />
        <Route path="/projects/:projectId/documents/:documentId" component={CodingPage} />
        <Route path="/projects/:projectId/settings" component={SettingsPage} />
        <Route path="/projects/:projectId/history" component={HistoryPage} />
        <Route path="/projects/:projectId/memos" component={MemosPage} />
        <Route path="/projects/:projectId/review" component={ReviewDashboardPage} />
        <Route path="/projects/:projectId/review/frequencies" component={FrequenciesPage} />
        <Route path="/projects/:projectId/review/cooccurrence" component={CooccurrencePage} />
        <Route path="/projects/:projectId/review/retrieval" component={RetrievalPage} />
        <Route path="/projects/:projectId/review/agreement" component={AgreementPage} />
        <Route path="/projects/:projectId/search" component={SearchPage} />
      </Router>
    </SessionProvider>
  );
}
