/**
 * Who is signed in, and whether the instance still needs its administrator. Read once from
 * GET /api/auth/status and shared with every page through a context.
 */
import { createContext, createResource, useContext, type JSX, type Resource } from 'solid-js';
import { api, unwrap } from '../api/client.ts';

async function fetchStatus() {
  return unwrap(api.auth.status.$get());
}

export type AuthStatus = Awaited<ReturnType<typeof fetchStatus>>;
export type SessionUser = NonNullable<AuthStatus['user']>;

interface Session {
  status: Resource<AuthStatus>;
  /** The signed-in user, once known. */
  user: () => SessionUser | undefined;
  /** Set the status after signing in or out, without another round trip. */
  setStatus: (status: AuthStatus) => void;
  refresh: () => void;
}

const SessionContext = createContext<Session>();

export function SessionProvider(props: { children: JSX.Element }) {
  const [status, { mutate, refetch }] = createResource(fetchStatus);
  const session: Session = {
    status,
    user: () => (status.state === 'ready' ? (status().user ?? undefined) : undefined),
    setStatus: (next) => mutate(next),
    refresh: () => void refetch(),
  };
  return <SessionContext.Provider value={session}>{props.children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession: no SessionProvider above this component');
  return session;
}
