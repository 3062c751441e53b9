import type { CaseState, HistoryItem, Transition } from '../../api/types';

type EventName = Transition['event'];

/** One state's part of the workflow: how the case got there and the events that leave it. */
export interface Neighbourhood {
  current: CaseState;
  /** The state the case last came from, and by which event; null while it has never moved. */
  cameFrom: { state: CaseState; event: HistoryItem['type'] } | null;
  /** Each state the machine can move to from here, with the events that lead there, in the machine's order. */
  exits: Array<{ to: CaseState; events: EventName[] }>;
  /** Events that leave the case in this state (findings, reassignments, deadlines that escalate). */
  stays: EventName[];
}

const unique = <T>(items: T[]): T[] => [...new Set(items)];

/** The neighbourhood of `current` in the machine's transitions, with the case's own history for where it came from. */
export const neighbourhood = (transitions: readonly Transition[], current: CaseState, history: readonly HistoryItem[] = []): Neighbourhood => {
  const entered = history.findLast((item) => item.toState === current && item.fromState !== current);
  const leaving = transitions.filter((t) => t.from === current);
  const exits: Neighbourhood['exits'] = [];
  for (const t of leaving) {
    if (t.to === current) continue;
    const exit = exits.find((e) => e.to === t.to);
    if (exit) {
      if (!exit.events.includes(t.event)) exit.events.push(t.event);
    } else exits.push({ to: t.to, events: [t.event] });
  }
  return {
    current,
    cameFrom: entered?.fromState ? { state: entered.fromState, event: entered.type } : null,
    exits,
    stays: unique(leaving.filter((t) => t.to === current).map((t) => t.event)),
  };
};

export interface Point { x: number; y: number }
export interface Box extends Point { width: number; height: number; label: string }
/** A polyline with its label, in lines, above the last stretch and right-aligned at `labelAt` (the lowest line). */
export interface Arrow { points: Point[]; lines: string[]; labelAt: Point }
export interface Layout { width: number; height: number; previous: Box | null; current: Box; targets: Box[]; arrows: Arrow[] }

const BOX = { width: 190, height: 44 };
const ROW = 64;
const LINE = 17;
/** What fits on an arrow's last stretch at 14px. */
const LINE_CHARS = 36;
const X = { previous: 0, current: 350, bus: 560, targets: 850 };

const rightOf = (b: Box): Point => ({ x: b.x + b.width, y: b.y + b.height / 2 });
const leftOf = (b: Box): Point => ({ x: b.x, y: b.y + b.height / 2 });

/** The names, comma-separated, packed into lines of at most LINE_CHARS characters (a longer name keeps a line of its own). */
export const packLines = (names: readonly string[]): string[] => {
  const lines: string[] = [];
  for (const name of names) {
    const last = lines.at(-1);
    if (last !== undefined && `${last}, ${name}`.length <= LINE_CHARS) lines[lines.length - 1] = `${last}, ${name}`;
    else lines.push(name);
  }
  return lines.map((line, i) => (i < lines.length - 1 ? `${line},` : line));
};

/**
 * Three columns, at a size read without zooming: where the case came from, the current state, and
 * each state it can go to. Arrows to the targets leave along one vertical bus and end in a straight
 * stretch that carries their events, so no label crosses another arrow; a row grows with its label.
 */
export const layout = (n: Neighbourhood, words: (name: string) => string): Layout => {
  const labels = n.exits.map((e) => packLines(e.events.map(words)));
  const rowHeights = labels.map((lines) => Math.max(ROW, BOX.height + 10 + lines.length * LINE));
  const height = Math.max(rowHeights.reduce((a, b) => a + b, 0), ROW) + 20;
  const middle = height / 2 - BOX.height / 2;
  const current: Box = { x: X.current, y: middle, ...BOX, label: words(n.current) };
  const previous: Box | null = n.cameFrom ? { x: X.previous, y: middle, ...BOX, label: words(n.cameFrom.state) } : null;
  // Each target sits at the bottom of its row, leaving the room above it for its label.
  let top = 10;
  const targets = n.exits.map((e, i): Box => {
    top += rowHeights[i]!;
    return { x: X.targets, y: top - BOX.height - 10, ...BOX, label: words(e.to) };
  });
  const start = rightOf(current);
  const arrows: Arrow[] = n.exits.map((_, i) => {
    const end = leftOf(targets[i]!);
    return { points: [start, { x: X.bus, y: start.y }, { x: X.bus, y: end.y }, end], lines: labels[i]!, labelAt: { x: end.x - 10, y: end.y - 7 } };
  });
  if (previous && n.cameFrom) {
    const end = leftOf(current);
    arrows.unshift({ points: [rightOf(previous), end], lines: [words(n.cameFrom.event)], labelAt: { x: end.x - 10, y: end.y - 7 } });
  }
  return { width: X.targets + BOX.width + 10, height, previous, current, targets, arrows };
};
