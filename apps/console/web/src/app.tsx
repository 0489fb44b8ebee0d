import { useEffect, useState } from 'react';
import { api, ConsoleUser } from './api';
import { useLanguage } from './i18n';
import { nameOf, ROLE } from './labels';
import { MemorandaPage } from './memoranda-page';
import { DraftPage } from './draft-page';
import { MemorandumPage } from './memorandum-page';
import { OverviewPage } from './overview-page';
import { BulletinsPage } from './bulletins-page';
import { RELEASES_TITLE, ReleasesPage } from './releases-page';
import { Link, navigate, useRoute } from './router';
import { SignInPage } from './sign-in-page';
import { forgetDraft } from './draft-page';
import { WhatIfPage } from './what-if-page';

/** Who may see the district at a glance (the API checks it too: CONSOLE.ROLE_REQUIRED). */
const OVERVIEW_ROLES = ['credit-office', 'auditor'];

export function App() {
  const { t, language, toggle } = useLanguage();
  const [user, setUser] = useState<ConsoleUser | null | undefined>(undefined);
  const route = useRoute();
  useEffect(() => {
    api.session().then((s) => setUser(s.user), () => setUser(null));
  }, []);

  if (user === undefined) return <p className="loading">{t.loading}</p>;
  const mayOverview = !!user && user.roles.some((r) => OVERVIEW_ROLES.includes(r));
  const signOut = async () => {
    await api.signOut();
    // The tab's draft was this user's: the next one to sign in here must not resume it as theirs.
    forgetDraft();
    const session = await api.session();
    setUser(session.user);
    navigate('/');
  };

  return (
    <div className="shell">
      <header>
        <strong className="app-name">{t.appName}</strong>
        {user && (
          <nav>
            <Link to="/" testId="nav-memoranda">
              {t.memoranda}
            </Link>
            {mayOverview && (
              <Link to="/overview" testId="nav-overview">
                {t.overview}
              </Link>
            )}
            {mayOverview && (
              <Link to="/bulletins" testId="nav-bulletins">
                {t.bulletins}
              </Link>
            )}
            <Link to="/releases" testId="nav-releases">
              {RELEASES_TITLE[language]}
            </Link>
            <Link to="/what-if" testId="nav-what-if">
              {t.whatIf}
            </Link>
          </nav>
        )}
        <span className="spacer" />
        {user && (
          <span className="who" data-testid="signed-in-user">
            {user.name} · {user.roles.map((r) => nameOf(ROLE, r, language)).join('、')}
          </span>
        )}
        <button type="button" onClick={toggle} data-testid="language-switch">
          {t.switchLanguage}
        </button>
        {user && (
          <button type="button" onClick={signOut} data-testid="sign-out">
            {t.signOut}
          </button>
        )}
      </header>
      <main>
        {!user ? (
          <SignInPage onSignedIn={setUser} />
        ) : route.page === 'memorandum' ? (
          <MemorandumPage id={route.id} mayDraft={user.roles.includes('policy-editor')} />
        ) : route.page === 'draft' && user.roles.includes('policy-editor') ? (
          <DraftPage id={route.id} />
        ) : route.page === 'overview' && mayOverview ? (
          <OverviewPage />
        ) : route.page === 'bulletins' && mayOverview ? (
          <BulletinsPage />
        ) : route.page === 'releases' ? (
          <ReleasesPage user={user} />
        ) : route.page === 'what-if' ? (
          <WhatIfPage user={user} />
        ) : (
          <MemorandaPage />
        )}
      </main>
    </div>
  );
}
