import { MouseEvent, ReactNode, useEffect, useState } from 'react';

/** The few addresses of the console, read from the path so a reload or a shared link opens the same page. */
export type Route = { page: 'memoranda' } | { page: 'memorandum'; id: string } | { page: 'draft'; id: string } | { page: 'overview' } | { page: 'bulletins' } | { page: 'releases' } | { page: 'what-if' };

export function routeOf(path: string): Route {
  const draft = /^\/memoranda\/([^/]+)\/draft$/.exec(path);
  if (draft) return { page: 'draft', id: decodeURIComponent(draft[1]) };
  const memorandum = /^\/memoranda\/([^/]+)$/.exec(path);
  if (memorandum) return { page: 'memorandum', id: decodeURIComponent(memorandum[1]) };
  if (path === '/overview') return { page: 'overview' };
  if (path === '/bulletins') return { page: 'bulletins' };
  if (path === '/releases') return { page: 'releases' };
  // Its options (?source=draft, ?run=<id>) are read by the page itself.
  if (path === '/what-if') return { page: 'what-if' };
  return { page: 'memoranda' };
}

export function navigate(path: string): void {
  history.pushState(null, '', path);
  dispatchEvent(new PopStateEvent('popstate'));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => routeOf(location.pathname));
  useEffect(() => {
    const update = () => setRoute(routeOf(location.pathname));
    addEventListener('popstate', update);
    return () => removeEventListener('popstate', update);
  }, []);
  return route;
}

export function Link({ to, children, testId }: { to: string; children: ReactNode; testId?: string }) {
  const follow = (event: MouseEvent) => {
    if (event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    navigate(to);
  };
  return (
    <a href={to} onClick={follow} data-testid={testId}>
      {children}
    </a>
  );
}
