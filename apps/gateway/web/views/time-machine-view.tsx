import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { TimeMachineAnswer } from '../../src/dashboard/view-types.js';
import { formatTime } from '../format.js';
import { NetworksTable } from './networks-table.js';
import { NodesView } from './nodes-view.js';
import { PoolsView } from './pools-view.js';
import { SwarmView } from './swarm-view.js';

/** Asks the server for the view at a point; a later request makes the answer of an earlier one moot. */
function useAnswer(): [TimeMachineAnswer | null, string, (query: string) => void] {
  const [answer, setAnswer] = useState<TimeMachineAnswer | null>(null);
  const [error, setError] = useState('');
  const latest = useRef(0);
  const inFlight = useRef<AbortController | null>(null);
  const ask = (query: string): void => {
    const ticket = ++latest.current;
    inFlight.current?.abort();
    inFlight.current = new AbortController();
    fetch(`/api/at?${query}`, { signal: inFlight.current.signal })
      .then(async (response) => {
        const body = (await response.json()) as TimeMachineAnswer & { message?: string };
        if (ticket !== latest.current) return;
        if (!response.ok) return setError(body.message ?? `HTTP ${response.status}`);
        setError('');
        setAnswer(body);
      })
      .catch((e: Error) => ticket === latest.current && e.name !== 'AbortError' && setError(e.message));
  };
  return [answer, error, ask];
}

/** The whole log on a slider: swarm, nodes, networks and pools as they were at any position. */
export function TimeMachineView({ livePosition }: { livePosition: number }) {
  const [answer, error, ask] = useAnswer();
  const [position, setPosition] = useState<number | null>(null);
  const [date, setDate] = useState('');
  const head = Math.max(answer?.head ?? 0, livePosition);
  useEffect(() => ask(`at=${encodeURIComponent(new Date().toISOString())}`), []);
  const shown = answer?.view;
  const networks = useMemo(() => shown?.networks ?? [], [shown]);
  const go = (query: string): void => ask(query);
  return (
    <section data-testid="time-machine">
      <form class="time-controls" onSubmit={(e) => { e.preventDefault(); go(date ? `at=${encodeURIComponent(new Date(date).toISOString())}` : `position=${position ?? head}`); }}>
        <input
          type="range" name="slider" min={0} max={head} value={position ?? shown?.position ?? head}
          onInput={(e) => setPosition(Number((e.target as HTMLInputElement).value))}
          onChange={(e) => { setDate(''); go(`position=${(e.target as HTMLInputElement).value}`); }}
        />
        <label>position <input type="number" name="position" min={0} max={head} value={position ?? shown?.position ?? ''} onInput={(e) => { setDate(''); setPosition(Number((e.target as HTMLInputElement).value)); }} /></label>
        <label>or date <input type="datetime-local" name="date" step={1} value={date} onInput={(e) => setDate((e.target as HTMLInputElement).value)} /></label>
        <button type="submit">Go</button>
        <span class="count">of {head} events</span>
      </form>
      {error && <p class="error">{error}</p>}
      {answer && shown && (
        <div data-testid="time-machine-result" data-position={shown.position}>
          <p class="when">As it was at position <strong data-testid="tm-position">{shown.position}</strong>, {formatTime(answer.time)}.</p>
          <h3>Swarm</h3>
          <SwarmView swarm={shown.swarm} now={answer.time ? new Date(answer.time).getTime() : Date.now()} />
          <h3>Nodes</h3>
          <NodesView nodes={shown.nodes} selfNodeId={shown.selfNodeId} />
          <h3>Address pools ({networks.length} networks)</h3>
          <PoolsView swarm={shown.swarm} networks={networks} version={shown.position} testId="tm-pools" />
          <h3>Networks</h3>
          <NetworksTable networks={networks} />
          <h3>The log around this point</h3>
          <table class="grid around">
            <thead><tr><th>position</th><th>time</th><th>event</th><th>stream</th><th>actor</th></tr></thead>
            <tbody>
              {answer.around.map((row) => (
                <tr key={row.position} class={row.position === shown.position ? 'here' : row.position > shown.position ? 'later' : ''}>
                  <td>{row.position}</td><td>{formatTime(row.time)}</td><td>{row.type}</td><td><code>{row.stream}</code></td><td>{row.actor}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
