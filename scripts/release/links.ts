/** Links in READMEs that leave the monorepo (an action's own repository, the orb, the GitLab project). */
import { posix } from 'node:path';

/** Where the monorepo lives: links in a README that leaves it must point back here. */
export const MONOREPO_URL = 'https://github.com/teleport-actions/root';
/** Relative Markdown links and images → absolute links into the monorepo at `ref`. */
export function absolutizeLinks(markdown: string, packageDir: string, ref: string): string {
  return markdown.replace(/(!?\[[^\]]*\]\()([^)\s]+)(\))/g, (whole, open, target, close) => {
    if (/^([a-z][a-z0-9+.-]*:|#|\/\/)/i.test(target)) return whole;
    const path = posix.normalize(posix.join(packageDir, target));
    if (path.startsWith('../')) return whole;
    const kind = whole.startsWith('!') ? 'raw' : 'blob';
    return `${open}${MONOREPO_URL}/${kind}/${ref}/${path}${close}`;
  });
}
