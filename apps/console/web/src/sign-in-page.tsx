import { FormEvent, useState } from 'react';
import { api, ApiProblem, ConsoleUser } from './api';
import { useLanguage } from './i18n';

export function SignInPage({ onSignedIn }: { onSignedIn: (user: ConsoleUser) => void }) {
  const { t } = useLanguage();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const session = await api.signIn(name, password);
      if (session.user) onSignedIn(session.user);
    } catch (problem) {
      setError(problem instanceof ApiProblem && problem.code === 'CONSOLE.SIGN_IN_BACKOFF' ? t.tooManyAttempts : t.badCredentials);
      setPassword('');
    }
  };
  return (
    <form className="sign-in" onSubmit={submit}>
      <h1>{t.signIn}</h1>
      <label>
        {t.name}
        <input name="name" autoComplete="username" value={name} onChange={(e) => setName(e.target.value)} required />
      </label>
      <label>
        {t.password}
        <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
      </label>
      {error && (
        <p className="error" role="alert" data-testid="sign-in-error">
          {error}
        </p>
      )}
      <button type="submit" data-testid="sign-in-submit">
        {t.signIn}
      </button>
    </form>
  );
}
