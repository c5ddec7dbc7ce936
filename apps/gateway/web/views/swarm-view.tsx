import type { SwarmInfo, TokenInfo } from '../../src/dashboard/view-types.js';
import { DAY_MS, daysSince, formatTime, relativeDays } from '../format.js';

function TokenLine({ role, token, maxAge, now }: { role: string; token: TokenInfo | null; maxAge: SwarmInfo['tokenMaxAge']; now: number }) {
  if (!token) return <tr><th>{role} join token</th><td>—</td></tr>;
  const age = daysSince(token.since, now);
  const overdue = now - new Date(token.since).getTime() >= maxAge.ms;
  return (
    <tr class={overdue ? 'warn' : ''} data-token={role}>
      <th>{role} join token</th>
      <td>
        <code title="HMAC-SHA256 fingerprint: the token itself never reaches this page">{token.fingerprint.slice(0, 16)}…</code>{' '}
        issued {formatTime(token.since)}, {age} day{age === 1 ? '' : 's'} old{' '}
        <span class={overdue ? 'badge bad' : 'badge ok'}>
          {overdue ? `rotate: older than ${maxAge.text}` : `rotate within ${Math.floor(maxAge.ms / DAY_MS) - age} days`}
        </span>
      </td>
    </tr>
  );
}

/**
 * The swarm card: what `docker info` tells about the cluster, tokens by fingerprint and age. Ages
 * and expiries count from `now`: the time machine passes the time of the point it shows.
 */
export function SwarmView({ swarm, now = Date.now() }: { swarm: SwarmInfo | null; now?: number }) {
  if (!swarm) return <p class="empty" data-testid="no-swarm">No swarm: this manager has not run <code>docker swarm init</code> (or has left).</p>;
  const caDays = swarm.rootCaExpiry ? daysSince(swarm.rootCaExpiry, now) : 0;
  return (
    <table class="facts" data-testid="swarm">
      <tbody>
        <tr><th>Cluster ID</th><td><code data-testid="cluster-id">{swarm.id}</code></td></tr>
        <tr><th>Created</th><td>{formatTime(swarm.createdAt)}</td></tr>
        <tr><th>Nodes</th><td data-testid="node-counts">{swarm.managers} manager{swarm.managers === 1 ? '' : 's'}, {swarm.workers} worker{swarm.workers === 1 ? '' : 's'}</td></tr>
        <tr class={caDays > -30 && swarm.rootCaExpiry ? 'warn' : ''}>
          <th>Root CA expires</th>
          <td>{formatTime(swarm.rootCaExpiry)} ({relativeDays(swarm.rootCaExpiry, now)})</td>
        </tr>
        <TokenLine role="worker" token={swarm.tokens.worker} maxAge={swarm.tokenMaxAge} now={now} />
        <TokenLine role="manager" token={swarm.tokens.manager} maxAge={swarm.tokenMaxAge} now={now} />
        <tr><th>Autolock</th><td data-testid="autolock">{swarm.autolock ? 'on' : 'off'}</td></tr>
        <tr><th>Default address pools</th><td>{swarm.pools.join(', ')} (subnets of /{swarm.subnetSize})</td></tr>
      </tbody>
    </table>
  );
}
