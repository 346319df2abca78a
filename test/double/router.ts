// A tiny method + path router for the proxy double, so later tasks can add the auth/join API
// with one addRoute() call each. Patterns are literal segments or `:name` placeholders.

export type Params = Record<string, string>;

interface Route<H> {
  method: string;
  segments: string[];
  handler: H;
}

export type Match<H> =
  | { kind: 'found'; handler: H; params: Params }
  | { kind: 'wrong-method'; allowed: string[] }
  | { kind: 'none' };

function split(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

export class Router<H> {
  private routes: Route<H>[] = [];

  /** Adds a route; a later route for the same method and pattern replaces the earlier one. */
  add(method: string, pattern: string, handler: H): this {
    const segments = split(pattern);
    const upper = method.toUpperCase();
    this.routes = this.routes.filter(
      (r) => !(r.method === upper && r.segments.join('/') === segments.join('/')),
    );
    this.routes.push({ method: upper, segments, handler });
    return this;
  }

  match(method: string, pathname: string): Match<H> {
    const parts = split(pathname);
    const allowed: string[] = [];
    for (const route of this.routes) {
      const params = matchSegments(route.segments, parts);
      if (!params) continue;
      if (route.method === method.toUpperCase())
        return { kind: 'found', handler: route.handler, params };
      allowed.push(route.method);
    }
    return allowed.length > 0 ? { kind: 'wrong-method', allowed } : { kind: 'none' };
  }
}

function matchSegments(pattern: string[], parts: string[]): Params | undefined {
  if (pattern.length !== parts.length) return undefined;
  const params: Params = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i] ?? '';
    const v = parts[i] ?? '';
    if (p.startsWith(':')) {
      try {
        params[p.slice(1)] = decodeURIComponent(v);
      } catch {
        return undefined;
      }
    } else if (p !== v) {
      return undefined;
    }
  }
  return params;
}
