import { useNavigate } from '@solidjs/router';
import { api, unwrap } from '../../api/client.ts';
import { useSession } from '../../app/session.tsx';
import { t } from '../../i18n/index.ts';
import { AuthForm } from './AuthForm.tsx';

export default function LoginPage() {
  const session = useSession();
  const navigate = useNavigate();
  const signIn = async (credentials: { username: string; password: string }) => {
    const { user } = await unwrap(api.auth.login.$post({ json: credentials }));
    session.setStatus({ setupRequired: false, user });
    navigate('/', { replace: true });
  };
  return (
    <section class="card narrow">
      <h1>{t('login.title')}</h1>
      <AuthForm submitLabel={t('login.submit')} newAccount={false} onSubmit={signIn} />
    </section>
  );
}
