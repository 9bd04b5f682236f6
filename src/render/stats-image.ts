/**
 * Draws the /stats picture: the practice calendar (a heat map, Monday-first,
 * like GitHub's) above key-point coverage by topic per week (a line chart).
 * A pure function from data to PNG bytes; the canvas library stays in here.
 *
 * @napi-rs/canvas (Skia) is loaded on first use, so processes that never draw
 * (and tests that do not) skip loading its native binary. The font comes from
 * an npm package rather than the system, so every machine draws the same.
 */
import { createRequire } from 'node:module';
import type { SKRSContext2D } from '@napi-rs/canvas';
import { intensity, trend, type PracticeCalendar, type TopicWeekly } from '../core/stats/data.ts';

export interface StatsPicture {
  calendar: PracticeCalendar;
  topics: readonly TopicWeekly[];
}

export const STATS_IMAGE_WIDTH = 640;
export const STATS_IMAGE_HEIGHT = 580;

const FONT = 'PrepbotSans';
const FAMILY = `${FONT}, sans-serif`;
/** GitHub's contribution greens: none, then more answers darker. */
const SHADES = ['#ebedf0', '#9be9a8', '#40c463', '#30a14e', '#216e39'] as const;
/** Distinct for the common colour-vision deficiencies (Okabe-Ito). */
const LINE_COLOURS = ['#0072b2', '#e69f00', '#009e73', '#cc79a7'] as const;
const INK = '#24292f';
const MUTED = '#6e7781';
const GRID = '#d0d7de';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const ROW_LABELS = ['Mon', '', 'Wed', '', 'Fri', '', 'Sun'];

type Canvas = typeof import('@napi-rs/canvas');
let loaded: Promise<Canvas> | undefined;

function canvasLibrary(): Promise<Canvas> {
  loaded ??= import('@napi-rs/canvas').then((lib) => {
    const require = createRequire(import.meta.url);
    for (const [file, weight] of [
      ['dejavu-sans-latin-400-normal.woff2', '400'],
      ['dejavu-sans-latin-700-normal.woff2', '700'],
    ] as const) {
      lib.GlobalFonts.registerFromPath(require.resolve(`@fontsource/dejavu-sans/files/${file}`), FONT, { weight });
    }
    return lib;
  });
  return loaded;
}

const monthOf = (date: string) => MONTHS[Number(date.slice(5, 7)) - 1]!;
const shortDate = (date: string) => `${monthOf(date)} ${Number(date.slice(8, 10))}`;
const percent = (v: number) => `${Math.round(v * 100)}%`;

/** The PNG bytes of the /stats picture, STATS_IMAGE_WIDTH × STATS_IMAGE_HEIGHT. */
export async function renderStatsImage(data: StatsPicture): Promise<Uint8Array> {
  const lib = await canvasLibrary();
  const canvas = lib.createCanvas(STATS_IMAGE_WIDTH, STATS_IMAGE_HEIGHT);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, STATS_IMAGE_WIDTH, STATS_IMAGE_HEIGHT);
  ctx.textBaseline = 'middle';

  text(ctx, 'Your practice, last 12 weeks', 24, 26, { size: 18, bold: true });
  drawCalendar(ctx, data.calendar, 24, 56);
  drawCoverage(ctx, data.topics, data.calendar, 24, 322, STATS_IMAGE_WIDTH - 48, 240);
  return new Uint8Array(canvas.toBuffer('image/png'));
}

function text(
  ctx: SKRSContext2D,
  value: string,
  x: number,
  y: number,
  o: { size?: number; bold?: boolean; colour?: string; align?: 'left' | 'right' | 'center' } = {},
): void {
  ctx.font = `${o.bold ? 'bold ' : ''}${o.size ?? 12}px ${FAMILY}`;
  ctx.fillStyle = o.colour ?? INK;
  ctx.textAlign = o.align ?? 'left';
  ctx.fillText(value, x, y);
}

function drawCalendar(ctx: SKRSContext2D, cal: PracticeCalendar, left: number, top: number): void {
  const cell = 24;
  const step = 28;
  const gridLeft = left + 36;
  const gridTop = top + 22;
  // Month names above the first week that starts in a new month, as GitHub does.
  let lastMonth = '';
  cal.weeks.forEach((w, k) => {
    const m = monthOf(w.days[6]!.date);
    if (m !== lastMonth) text(ctx, m, gridLeft + k * step, top + 8, { colour: MUTED });
    lastMonth = m;
  });
  ROW_LABELS.forEach((label, d) => label && text(ctx, label, left, gridTop + d * step + cell / 2, { colour: MUTED, size: 11 }));
  cal.weeks.forEach((w, k) => {
    w.days.forEach((day, d) => {
      if (day.future) return;
      const x = gridLeft + k * step;
      const y = gridTop + d * step;
      ctx.fillStyle = SHADES[intensity(day.answers)];
      roundRect(ctx, x, y, cell, cell, 4);
      ctx.fill();
      if (day.date === cal.today) {
        ctx.strokeStyle = INK;
        ctx.lineWidth = 2;
        roundRect(ctx, x + 1, y + 1, cell - 2, cell - 2, 4);
        ctx.stroke();
      }
    });
  });
  // Legend under the grid.
  const legendY = gridTop + 7 * step + 10;
  text(ctx, 'Less', gridLeft, legendY, { colour: MUTED, size: 11 });
  SHADES.forEach((shade, k) => {
    ctx.fillStyle = shade;
    roundRect(ctx, gridLeft + 32 + k * 16, legendY - 6, 12, 12, 2);
    ctx.fill();
  });
  text(ctx, 'More', gridLeft + 32 + SHADES.length * 16 + 4, legendY, { colour: MUTED, size: 11 });

  // The numbers beside the grid.
  const x = gridLeft + cal.weeks.length * step + 28;
  const streakless = cal.activeDays === 0;
  text(ctx, String(cal.answers), x, gridTop + 20, { size: 30, bold: true });
  text(ctx, cal.answers === 1 ? 'answer' : 'answers', x, gridTop + 48, { colour: MUTED, size: 13 });
  text(ctx, String(cal.activeDays), x, gridTop + 96, { size: 30, bold: true });
  text(ctx, cal.activeDays === 1 ? 'practice day' : 'practice days', x, gridTop + 124, { colour: MUTED, size: 13 });
  text(ctx, streakless ? 'No answers in these weeks yet.' : `Today: ${shortDate(cal.today)}`, x, gridTop + 168, { colour: MUTED, size: 12 });
}

function drawCoverage(ctx: SKRSContext2D, topics: readonly TopicWeekly[], cal: PracticeCalendar, left: number, top: number, width: number, height: number): void {
  text(ctx, 'Key points covered, by topic and week', left, top, { size: 15, bold: true });
  const plotLeft = left + 40;
  const plotTop = top + 24;
  const plotWidth = width - 40 - 190;
  const plotHeight = height - 60;
  const weeks = cal.weeks.length;
  const xOf = (k: number) => plotLeft + (weeks === 1 ? plotWidth / 2 : (k * plotWidth) / (weeks - 1));
  const yOf = (v: number) => plotTop + plotHeight - v * plotHeight;

  ctx.lineWidth = 1;
  for (const v of [0, 0.25, 0.5, 0.75, 1]) {
    ctx.strokeStyle = GRID;
    ctx.beginPath();
    ctx.moveTo(plotLeft, yOf(v));
    ctx.lineTo(plotLeft + plotWidth, yOf(v));
    ctx.stroke();
    text(ctx, percent(v), plotLeft - 6, yOf(v), { colour: MUTED, size: 11, align: 'right' });
  }
  cal.weeks.forEach((w, k) => {
    if (k % 3 === 0 || k === weeks - 1) text(ctx, shortDate(w.start), xOf(k), plotTop + plotHeight + 14, { colour: MUTED, size: 11, align: 'center' });
  });

  if (topics.length === 0) {
    text(ctx, 'No answers in these weeks yet.', plotLeft + plotWidth / 2, plotTop + plotHeight / 2, { colour: MUTED, size: 13, align: 'center' });
    return;
  }
  topics.forEach((t, n) => {
    const colour = LINE_COLOURS[n % LINE_COLOURS.length]!;
    ctx.strokeStyle = colour;
    ctx.fillStyle = colour;
    ctx.lineWidth = 2.5;
    // Weeks without an answer break the line: no invented values in between.
    let drawing = false;
    ctx.beginPath();
    t.weekly.forEach((v, k) => {
      if (v === null) {
        drawing = false;
        return;
      }
      if (drawing) ctx.lineTo(xOf(k), yOf(v));
      else ctx.moveTo(xOf(k), yOf(v));
      drawing = true;
    });
    ctx.stroke();
    // Earlier (busier) topics get bigger dots, so a later topic on the same value still shows inside.
    const radius = 3.5 + (topics.length - 1 - n) * 1.5;
    t.weekly.forEach((v, k) => {
      if (v === null) return;
      ctx.beginPath();
      ctx.arc(xOf(k), yOf(v), radius, 0, Math.PI * 2);
      ctx.fill();
    });
    // Legend: the topic and where it stands now.
    const ly = plotTop + 8 + n * 40;
    const lx = plotLeft + plotWidth + 20;
    ctx.fillRect(lx, ly - 2, 14, 4);
    text(ctx, clip(t.topic, 16), lx + 20, ly, { size: 12, bold: true });
    const tr = trend(t.weekly);
    const detail = tr ? (tr.weeks > 1 ? `${percent(tr.from)} → ${percent(tr.to)}` : percent(tr.to)) : 'not graded';
    text(ctx, `${detail} · ${t.answers} ${t.answers === 1 ? 'answer' : 'answers'}`, lx + 20, ly + 16, { colour: MUTED, size: 11 });
  });
}

function clip(s: string, n: number): string {
  return [...s].length > n ? `${[...s].slice(0, n - 1).join('')}…` : s;
}

function roundRect(ctx: SKRSContext2D, x: number, y: number, w: number, h: number, r: number): void {
  ctx.beginPath();
  ctx.roundRect(x, y, w, h, r);
}
