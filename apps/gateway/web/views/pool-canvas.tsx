import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { CellState, subnetAt, type PoolNetwork, type PoolPicture } from '../../src/dashboard/pool-layout.js';

/** Cell colours, by CellState (the legend uses the same). */
export const CELL_COLOURS: Record<CellState, string> = {
  [CellState.Free]: '#e3e7ed',
  [CellState.Network]: '#2f6fd0',
  [CellState.Explicit]: '#8e44ad',
  [CellState.Ingress]: '#e8912d',
};
/** The same colours as pixels of an ImageData (RGBA bytes, read as a little-endian 32-bit word). */
const PIXELS: Record<CellState, number> = Object.fromEntries(
  Object.entries(CELL_COLOURS).map(([state, hex]) => {
    const [r, g, b] = [1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16)) as [number, number, number];
    return [state, ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0];
  }),
) as unknown as Record<CellState, number>;

export const STATE_NAMES: Record<CellState, string> = {
  [CellState.Free]: 'free',
  [CellState.Network]: 'network',
  [CellState.Explicit]: 'explicit subnet',
  [CellState.Ingress]: 'ingress',
};

/** Grid geometry: small pools as 64 columns of 12 px cells, big ones as 256 columns of 3 px. */
export function gridOf(cells: number): { cols: number; cellPx: number; gap: number } {
  return cells <= 4096 ? { cols: 64, cellPx: 12, gap: 1 } : { cols: 256, cellPx: 3, gap: 0 };
}

interface Props {
  readonly picture: PoolPicture;
  readonly subnetSize: number;
  readonly networks: readonly PoolNetwork[];
}

/** One pool as a grid of its subnets on a canvas (a DOM cell per subnet would be 65,536 elements for a /8). */
export function PoolCanvas({ picture, subnetSize, networks }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [tip, setTip] = useState<{ x: number; y: number; text: string } | null>(null);
  const cells = picture.states.length;
  const { cols, cellPx, gap } = gridOf(cells);
  const rows = Math.max(1, Math.ceil(cells / cols));

  // A layout effect: painted in the same task as the render, so the pool view can time both.
  // Pixels are written into one ImageData (65,536 fillRect calls took ~60 ms for a /8).
  useLayoutEffect(() => {
    const context = canvas.current?.getContext('2d');
    if (!context) return;
    const width = cols * cellPx;
    const image = context.createImageData(width, rows * cellPx);
    const pixels = new Uint32Array(image.data.buffer);
    const side = cellPx - gap;
    for (let cell = 0; cell < cells; cell++) {
      const colour = PIXELS[(picture.states[cell] ?? CellState.Free) as CellState];
      const top = Math.floor(cell / cols) * cellPx * width + (cell % cols) * cellPx;
      for (let y = 0; y < side; y++) pixels.fill(colour, top + y * width, top + y * width + side);
    }
    context.putImageData(image, 0, 0);
  }, [picture, cols, cellPx, gap, rows, cells]);

  const describe = (cell: number): string => {
    const state = (picture.states[cell] ?? CellState.Free) as CellState;
    const owner = networks[picture.owners[cell] ?? -1];
    const first = subnetAt(picture.pool, subnetSize, cell * picture.span);
    const where = picture.span === 1 ? first : `${first} … ${subnetAt(picture.pool, subnetSize, (cell + 1) * picture.span - 1)} (${picture.span} subnets)`;
    return owner ? `${owner.name} ${owner.subnet} — ${STATE_NAMES[state]} (${where})` : `${where} — free`;
  };

  const onMove = (event: MouseEvent): void => {
    const col = Math.floor(event.offsetX / cellPx);
    const cell = Math.floor(event.offsetY / cellPx) * cols + col;
    if (col >= cols || cell < 0 || cell >= cells) return setTip(null);
    setTip({ x: event.offsetX + 14, y: event.offsetY + 14, text: describe(cell) });
  };

  return (
    <div class="pool-canvas">
      <canvas
        ref={canvas}
        width={cols * cellPx}
        height={rows * cellPx}
        data-cols={cols}
        data-cell-px={cellPx}
        onMouseMove={onMove}
        onMouseLeave={() => setTip(null)}
      />
      {tip && (
        <div class="tooltip" data-testid="pool-tooltip" style={{ left: `${tip.x}px`, top: `${tip.y}px` }}>
          {tip.text}
        </div>
      )}
    </div>
  );
}
