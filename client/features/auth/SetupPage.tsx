import { useNavigate } from '@solidjs/router';
import { api, unwrap } from '../../api/client.ts';
import { useSession } from '../../app/session.tsx';
import { t } from '../../i18n/index.ts';
import { AuthForm } from './AuthForm.tsx';

/** First visit of a new instance: create the administrator, who is then signed in. */
export default function SetupPage() {
  const session = useSession();
  const navigate = useNavigate();
  const setUp = async (credentials: { username: string; password: string }) => {
    const { user } = await unwrap(api.auth.setup.$post({ json: credentials }));
    session.setStatus({ setupRequired: false, user });
    navigate('/', { replace: true });
  };
  return (
    <section class="card narrow">
      <h1>{t('setup.title')}</h1>
      <p>{t('setup.intro')}</p>
      <AuthForm submitLabel={t('setup.submit')} newAccount onSubmit={setUp} />
    </section>
  );
}
