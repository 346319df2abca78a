import type { SummaryDetails } from '../auth/summary';
import type { IssuedIdentity } from '../tbot/certificate';

// Role names come from the certificate the server issued: only plain names reach the summary.
const PLAIN_NAME = /^[A-Za-z0-9][A-Za-z0-9._@:-]*$/;

/**
 * What a refused `ssh`/`tsh ssh` means, for the credentials just written. Both refusals happen
 * inside the SSH handshake, after the step, so the step cannot see them: the summary says what
 * each looks like and which roles to check (Teleport's Machine ID FAQ on logins and MFA).
 */
export function sshTroubleshooting(who: IssuedIdentity | undefined): SummaryDetails {
  const names = (who?.roles ?? []).filter((r) => PLAIN_NAME.test(r)).map((r) => `\`${r}\``);
  const roles = names.length > 0 ? names.join(', ') : "the bot's roles";
  const oneOf = names.length > 1 ? `one of ${roles}` : roles;
  return {
    title: 'If ssh or tsh is refused',
    items: [
      `\`Permission denied (publickey)\` from ssh, \`access denied to <login> connecting to <node>\` from tsh: the login must be one of the logins of ${roles}; on a node in a trusted leaf cluster, also one of the leaf roles that the leaf's \`role_map\` maps them to.`,
      `\`Permission denied (publickey)\` with \`access to resource requires MFA\` in Teleport's audit log, or tsh saying \`MFA is required to access this resource\`: ${oneOf} (or the cluster's auth preference) requires per-session MFA, which a bot cannot answer. Set \`require_session_mfa\` on other roles, not on the ones the bot impersonates.`,
      '`kex_exchange_identification: Connection closed by remote host` from ssh: the proxy found no node of that name on that port. Name it `<node>.<cluster>`, with `<node>` as `tsh ls` lists it; a node registered on another port than 3022 (an OpenSSH node on 22) needs `ssh -p <port>`.',
    ],
  };
}
