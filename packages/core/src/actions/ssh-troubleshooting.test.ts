import { describe, expect, it } from 'vitest';
import { summaryTable } from '../auth/summary';
import { sshConfigClusters } from './auth-ssh';
import { sshTroubleshooting } from './ssh-troubleshooting';

// tbot's ssh_config for a root and a trusted leaf (lib/config/openssh golden
// "modern OpenSSH - multiple clusters", in tbot's form).
const TWO_CLUSTERS = `# Begin generated Teleport configuration for proxy.example.com by tbot

# Common flags for all root.example.com hosts
Host *.root.example.com proxy.example.com
    UserKnownHostsFile "/d/known_hosts"

# Flags for all root.example.com hosts except the proxy
Host *.root.example.com !proxy.example.com
    Port 3022
# Common flags for all leaf hosts
Host *.leaf proxy.example.com
    UserKnownHostsFile "/d/known_hosts"

# Flags for all leaf hosts except the proxy
Host *.leaf !proxy.example.com
    Port 3022

# End generated Teleport configuration
`;

describe('the clusters an ssh_config covers', () => {
  it('the root first, then each leaf, once', () => {
    expect(sshConfigClusters(TWO_CLUSTERS)).toEqual(['root.example.com', 'leaf']);
  });

  it('a name a hostile server made up to break the summary is left out', () => {
    const hostile = TWO_CLUSTERS.replace('*.leaf proxy', '*.le`af|x proxy');
    expect(sshConfigClusters(hostile)).toEqual(['root.example.com']);
  });
});

describe('the summary says what a refused ssh means', () => {
  it('names the plain roles of the credentials, in a collapsed section', () => {
    const who = { user: 'bot-ci', bot: 'ci', roles: ['ci-ssh', 'ci`|evil'], expires: new Date(0) };
    const summary = summaryTable('auth-ssh', who, [], sshTroubleshooting(who));
    expect(summary).toContain('<details><summary>If ssh or tsh is refused</summary>');
    expect(summary).toContain('from tsh: the login must be one of the logins of `ci-ssh`;');
    expect(summary).toContain(
      "`ci-ssh` (or the cluster's auth preference) requires per-session MFA",
    );
    expect(summary).toContain(
      'the proxy found no node of that name on that port. Name it `<node>.<cluster>`, with `<node>` as `tsh ls` lists it; a node registered on another port than 3022 (an OpenSSH node on 22) needs `ssh -p <port>`.',
    );
    // A role name that would end the code span and the cell is shown inert in the table,
    // and left out of the advice.
    expect(summary).toContain("| Roles | `ci-ssh`, `ci'\\|evil` |");
    expect(summary.split('<details>')[1]).not.toContain('evil');
  });

  it('several roles: one of them', () => {
    const who = { user: 'bot-ci', roles: ['a', 'b'], expires: new Date(0) };
    expect(sshTroubleshooting(who).items[1]).toContain('one of `a`, `b` (or the cluster');
  });
});
