/**
 * `npm run bench:import`: how much our import costs on top of the Markdown parse it
 * cannot avoid. Generates a 10,000-question notes tree, then in the same process times
 * (1) a bare remark parse (remark + gfm + frontmatter) of every file, read from disk,
 * and (2) our full import: read + decode + parse + topics + one SQLite transaction.
 * Prints both and the ratio (goal ≤ 1.5×), in wall and CPU time, for the tree and for one 5 MB file,
 * and last a `RESULT import-ratio <worse CPU ratio> goal 1.5 ok|miss` line.
 * Not a test: no assertions, numbers vary by machine.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { remark } from 'remark';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import { importNotes } from '../src/bank/import.ts';
import { readNotes } from '../src/bank/read-notes.ts';
import { createTopicCatalog, loadTopicCatalog } from '../src/bank/topics.ts';
import { openDatabase } from '../src/store/db.ts';
import { createSqliteBankRepository } from '../src/store/sqlite/bank.ts';
import { resultLine } from './result.ts';

const QUESTIONS = Number(process.env.BENCH_QUESTIONS ?? 10_000);
const PER_FILE = 50;
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 2));

const words = [
  'goroutine', 'channel', 'mutex', 'index', 'transaction', 'replication', 'cache', 'queue', 'latency',
  'closure', 'promise', 'socket', 'thread', 'partition', 'consensus', 'heap', 'graph', 'token', 'shard',
];
// Deterministic pseudo-random numbers: every run benchmarks the same tree.
let seed = 42;
const rand = (n: number) => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed % n;
};
const word = () => words[rand(words.length)]!;
const sentence = () => `The ${word()} talks to the ${word()} through a ${word()}, so the ${word()} stays consistent.`;

function answer(i: number): string {
  const parts = [`- ${sentence()}`, `- ${sentence()}`, `- ${sentence()}`];
  if (i % 3 === 0) parts.push('', '```go', `func f${i}(ch chan int) {`, '    ch <- 1', '}', '```');
  if (i % 7 === 0) parts.push('', '| option | cost |', '| --- | --- |', `| ${word()} | low |`, `| ${word()} | high |`);
  if (i % 5 === 0) parts.push('', sentence(), sentence());
  return parts.join('\n');
}

/** One file in one of several real-world shapes (headings, numbered, bold, <details>, quiz, study-guide table), so the parser's different paths all run. */
function notesFile(fileIndex: number, first: number, count: number): string {
  const out: string[] = [];
  const shape = fileIndex % 6;
  if (fileIndex % 2 === 0) out.push('---', `title: Generated notes ${fileIndex}`, 'tags: [go, concurrency]', '---', '');
  out.push(`# Notes ${fileIndex}`, '', 'Questions I collected while preparing.', '');
  for (let k = 0; k < count; k++) {
    const i = first + k;
    const prompt = `How does the ${word()} interact with the ${word()} in case ${i}?`;
    if (shape === 0) out.push(`## ${prompt}`, '', answer(i), '');
    else if (shape === 1) {
      if (k % 10 === 0) out.push(`## ${word()} topics ${k}`, '');
      out.push(`### ${k + 1}. ${prompt}`, '', answer(i), '');
    } else if (shape === 2) out.push(`**${prompt}**`, '', answer(i), '');
    else if (shape === 3) out.push('<details>', `<summary>${prompt}</summary>`, '', answer(i), '', '</details>', '');
    else if (shape === 4) {
      // Quiz: one heading shared by every question, told apart by its stem (code + options).
      out.push(`###### ${k + 1}. What's the output?`, '', '```go', `fmt.Println(${word()}(${i}))`, '```', '', '- A: `1`', '- B: `2`', '');
      out.push('<details><summary><b>Answer</b></summary>', '<p>', '', `#### Answer: ${'AB'[i % 2]}`, '', answer(i), '', '</p>', '</details>', '', '---', '');
    } else {
      // Study guide: questions as rows of a table with a Reference(s) column.
      if (k % 10 === 0) out.push(`## ${word()} section ${k}`, '', sentence(), '', '| # | Question | Reference(s) |', '| --- | --- | --- |');
      out.push(`| ${k + 1} | ${prompt} | [${word()}](https://example.com/${i}) |`);
      if (k % 10 === 9 || k === count - 1) out.push('');
    }
  }
  return out.join('\n');
}

function generate(dir: string): number {
  let files = 0;
  for (let first = 0; first < QUESTIONS; first += PER_FILE) {
    const sub = join(dir, `area-${files % 10}`);
    mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, `notes-${files}.md`), notesFile(files, first, Math.min(PER_FILE, QUESTIONS - first)));
    files++;
  }
  return files;
}

async function bareParse(dir: string): Promise<number> {
  const processor = remark().use(remarkGfm).use(remarkFrontmatter);
  // Same file discovery as the import, so both sides parse exactly the same files.
  const { files } = await readNotes([dir]);
  let nodes = 0;
  for (const f of files) nodes += processor.parse(await readFile(f.path, 'utf8')).children.length;
  return nodes;
}

/** Wall-clock and CPU milliseconds of one step. CPU time is printed too because on a shared, busy machine
 *  wall time also counts other processes; the ratio of CPU times is the steadier number. */
async function timed<T>(step: () => Promise<T>): Promise<{ value: T; wall: number; cpu: number }> {
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const value = await step();
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  const used = process.cpuUsage(cpu0);
  return { value, wall, cpu: (used.user + used.system) / 1000 };
}

/** One big file (~5 MB) of long answers with code fences: the size the issue names. */
function bigNotesFile(): string {
  const filler = 'An index trades write cost for read speed; the planner uses statistics to pick one. '.repeat(30);
  const out: string[] = [];
  let size = 0;
  for (let i = 0; size < 5 * 1024 * 1024; i++) {
    const s = `## Question number ${i} about indexes?\n\n${filler}\n\n\`\`\`sql\nCREATE INDEX i${i} ON t (c);\n\`\`\`\n\n`;
    out.push(s);
    size += s.length;
  }
  return out.join('');
}

async function main() {
  const work = mkdtempSync(join(tmpdir(), 'prepbot-bench-'));
  try {
    const notes = join(work, 'notes');
    const files = generate(notes);
    const topicsPath = fileURLToPath(new URL('../notes/topics.yml', import.meta.url));
    let catalog;
    try {
      catalog = loadTopicCatalog(topicsPath);
    } catch {
      catalog = createTopicCatalog([]);
    }
    // Warm both paths up on a slice so JIT compilation is not billed to either side.
    const warm = join(work, 'warm');
    mkdirSync(warm);
    writeFileSync(join(warm, 'w.md'), notesFile(1, 0, 200));
    await bareParse(warm);
    const warmDb = openDatabase(join(work, 'warm.db'));
    await importNotes({ paths: [warm], root: warm, catalog, repo: createSqliteBankRepository(warmDb), now: new Date() });
    warmDb.close();

    // Alternating rounds, best of each: whichever side runs first on a cold heap (or while another
    // process hogs the CPU) would otherwise look slower than it is.
    type Timed<T> = Awaited<ReturnType<typeof timed<T>>>;
    const best = <T,>(a: Timed<T> | undefined, b: Timed<T>): Timed<T> => (a === undefined || b.wall < a.wall ? b : a);
    const compare = async (dir: string, name: string) => {
      let bare: Timed<number> | undefined;
      let full: Timed<Awaited<ReturnType<typeof importNotes>>> | undefined;
      let again: typeof full;
      for (let round = 0; round < ROUNDS; round++) {
        bare = best(bare, await timed(() => bareParse(dir)));
        const db = openDatabase(join(work, `${name}-${round}.db`));
        const repo = createSqliteBankRepository(db);
        full = best(full, await timed(() => importNotes({ paths: [dir], root: dir, catalog, repo, now: new Date() })));
        if (round === ROUNDS - 1) again = await timed(() => importNotes({ paths: [dir], root: dir, catalog, repo, now: new Date() }));
        db.close();
      }
      return { bare: bare!, full: full!, again: again! };
    };
    const { bare, full, again } = await compare(notes, 'tree');
    const big = join(work, 'big');
    mkdirSync(big);
    writeFileSync(join(big, 'big.md'), bigNotesFile());
    const { bare: bigBare, full: bigFull } = await compare(big, 'big');

    const line = (label: string, value: string) => console.log(`${label.padEnd(34)} ${value}`);
    const t = (m: { wall: number; cpu: number }) => `${m.wall.toFixed(0).padStart(6)} ms  (cpu ${m.cpu.toFixed(0)} ms)`;
    const ratio = (a: { wall: number; cpu: number }, b: { wall: number; cpu: number }) =>
      `${(a.wall / b.wall).toFixed(2)}x  (cpu ${(a.cpu / b.cpu).toFixed(2)}x; goal <= 1.5x)`;
    console.log(`import benchmark: ${QUESTIONS} generated questions in ${files} files (best of ${ROUNDS} alternating rounds)`);
    line('bare remark parse (read + parse)', t(bare));
    line('prepbot import (fresh database)', `${t(full)}  ${full.value.added.length} added, ${full.value.skipped.length} skipped`);
    line('prepbot re-import (no changes)', `${t(again)}  ${again.value.added.length} added, ${again.value.changed.length} changed`);
    line('ratio import / bare parse', ratio(full, bare));
    console.log('one 5 MB notes file');
    line('bare remark parse (read + parse)', t(bigBare));
    line('prepbot import (fresh database)', `${t(bigFull)}  ${bigFull.value.added.length} added`);
    line('ratio import / bare parse', ratio(bigFull, bigBare));
    // Machine-readable figures, last: wall-time ratios (the goal is stated on wall time).
    console.log(resultLine('import_tree_ratio', full.wall / bare.wall, 1.5));
    console.log(resultLine('import_5mb_ratio', bigFull.wall / bigBare.wall, 1.5));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
