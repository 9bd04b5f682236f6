/**
 * Copies a whole prepbot SQLite database into a migrated PostgreSQL database
 * (`prepbot migrate`, issue 13).
 *
 * The table list is read from the source's sqlite_master, never written down
 * here: a table a new migration adds is copied without anyone remembering to, and
 * a table one side has and the other lacks stops the copy with its name. The only
 * tables left behind are SQLite's FTS5 index (the virtual table and its shadow
 * tables): PostgreSQL computes its search column from the copied questions.
 *
 * Everything happens in one PostgreSQL transaction under an advisory lock: a failure
 * leaves the target as it was, and two `migrate`s at the same time go one after the other.
 * The source is read inside one SQLite read transaction: a consistent snapshot
 * even while a bot keeps writing to the file.
 */
import { createHash } from 'node:crypto';
import type { Db } from '../db.ts';
import type { SqlClient, SqlQueryable } from '../postgres/sql.ts';

/** Any constant shared by every prepbot process: two migrations into one database run one after the other. */
const MIGRATE_LOCK = 7_260_514_100;

/** PostgreSQL's limit of bound parameters in one statement (a 16-bit count in the wire protocol). */
export const MAX_PARAMETERS = 65_535;
/** Rows per INSERT at most, whatever the width: keeps one statement's text and memory modest. */
const MAX_BATCH_ROWS = 1_000;

/**
 * Tables whose rows the migrations themselves write (migration 11 leaves a
 * `board_backfill` marker for the store's first start). A freshly migrated target
 * holds them, so they do not make it "non-empty"; the copy replaces them with the
 * source's.
 */
const MIGRATION_SEEDED = new Set(['board_backfill']);

/** Bookkeeping each side keeps for itself: both are migrated to the same versions before copying. */
const NOT_COPIED = new Set(['schema_migrations']);

export class MigrationRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationRefused';
  }
}

export interface TableReport {
  name: string;
  /** Rows in the source, and (verified) in the target after the copy. */
  rows: number;
  /** NUL characters (U+0000) replaced by U+FFFD: PostgreSQL text cannot hold them. */
  nulsReplaced: number;
}

export interface CopyReport {
  /** copied: the target now holds the source's data; unchanged: it already did, nothing was written. */
  outcome: 'copied' | 'unchanged';
  /** The target held other data and --force replaced it. */
  replaced: boolean;
  tables: TableReport[];
  /** Source tables deliberately not copied, with why. */
  skipped: { name: string; why: string }[];
  nulsReplaced: number;
  /** Identity sequences moved past the copied ids, so the next insert does not collide. */
  sequences: { table: string; column: string; next: number }[];
}

export interface CopyOptions {
  /** Replace a target that holds other data (else refuse). */
  force?: boolean;
  /** Rows per INSERT (tests use small batches to cross batch boundaries); capped by the parameter limit. */
  batchRows?: number;
  /** Rows per query when reading PostgreSQL back to compare (tests use small pages). */
  readPage?: number;
  /** Progress lines ("people: 120 rows"). */
  progress?: (line: string) => void;
}

interface SourceTable {
  name: string;
  columns: string[];
  /** Columns whose foreign key points at the same table (questions.parent_id): parents must go first. */
  selfRefs: { column: string; parent: string }[];
  /** Other tables this one references: copied before it. */
  dependsOn: string[];
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Rows per INSERT for a table this wide: never past the parameter cap. */
export function batchRowsFor(columns: number, wanted = MAX_BATCH_ROWS): number {
  return Math.max(1, Math.min(wanted, Math.floor(MAX_PARAMETERS / Math.max(1, columns))));
}

/** The tables prepbot's migrations created in a SQLite database, and those left behind (FTS5). */
function sqliteTables(source: Db): { copy: string[]; skipped: { name: string; why: string }[] } {
  const all = source
    .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")
    .all() as { name: string; sql: string | null }[];
  const virtual = all.filter((t) => /^\s*CREATE\s+VIRTUAL\s+TABLE/i.test(t.sql ?? '')).map((t) => t.name);
  const skipped: { name: string; why: string }[] = [];
  const copy: string[] = [];
  for (const t of all) {
    if (NOT_COPIED.has(t.name)) continue;
    const ownerVirtual = virtual.find((v) => t.name === v || t.name.startsWith(`${v}_`));
    if (ownerVirtual) {
      skipped.push({ name: t.name, why: `SQLite's full-text index (${ownerVirtual}); PostgreSQL rebuilds its own from questions` });
      continue;
    }
    copy.push(t.name);
  }
  return { copy, skipped };
}

function describeSource(source: Db, names: string[]): SourceTable[] {
  return names.map((name) => {
    const columns = (source.prepare(`PRAGMA table_info(${quote(name)})`).all() as { name: string }[]).map((c) => c.name);
    const fks = source.prepare(`PRAGMA foreign_key_list(${quote(name)})`).all() as { table: string; from: string; to: string | null }[];
    return {
      name,
      columns,
      selfRefs: fks.filter((f) => f.table === name).map((f) => ({ column: f.from, parent: f.to ?? 'rowid' })),
      dependsOn: [...new Set(fks.filter((f) => f.table !== name).map((f) => f.table))],
    };
  });
}

/** Referenced tables before the tables referencing them (foreign keys are checked per statement). */
function dependencyOrder(tables: SourceTable[]): SourceTable[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const out: SourceTable[] = [];
  const visit = (t: SourceTable) => {
    if (done.has(t.name)) return;
    if (visiting.has(t.name)) throw new Error(`foreign keys form a cycle through ${t.name}; the copy cannot order these tables`);
    visiting.add(t.name);
    for (const dep of t.dependsOn) {
      const target = byName.get(dep);
      if (target) visit(target);
    }
    visiting.delete(t.name);
    done.add(t.name);
    out.push(t);
  };
  for (const t of tables) visit(t);
  return out;
}

interface TargetColumns {
  /** Columns the copy writes (generated ones, like questions.search, are computed by PostgreSQL). */
  writable: Map<string, string[]>;
  identities: { table: string; column: string }[];
}

async function describeTarget(tx: SqlQueryable): Promise<TargetColumns> {
  const { rows } = await tx.query<{ table_name: string; column_name: string; is_generated: string; is_identity: string }>(
    `SELECT table_name, column_name, is_generated, is_identity
       FROM information_schema.columns
      WHERE table_schema = current_schema()
      ORDER BY table_name, ordinal_position`,
  );
  const { rows: tables } = await tx.query<{ name: string }>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
  );
  const writable = new Map<string, string[]>(tables.map((t) => [t.name, []]));
  const identities: { table: string; column: string }[] = [];
  for (const r of rows) {
    if (!writable.has(r.table_name)) continue;
    if (r.is_generated === 'ALWAYS') continue;
    writable.get(r.table_name)!.push(r.column_name);
    if (r.is_identity === 'YES') identities.push({ table: r.table_name, column: r.column_name });
  }
  return { writable, identities };
}

/** Names what differs between the two schemas, or undefined when the copy can proceed. */
function schemaDifference(source: SourceTable[], target: TargetColumns): string | undefined {
  const problems: string[] = [];
  const sourceNames = new Set(source.map((t) => t.name));
  for (const t of source) {
    const cols = target.writable.get(t.name);
    if (!cols) {
      problems.push(`table ${t.name} is in the SQLite file but not in PostgreSQL`);
      continue;
    }
    const missing = t.columns.filter((c) => !cols.includes(c));
    const extra = cols.filter((c) => !t.columns.includes(c));
    if (missing.length) problems.push(`${t.name}: PostgreSQL lacks column(s) ${missing.join(', ')}`);
    if (extra.length) problems.push(`${t.name}: SQLite lacks column(s) ${extra.join(', ')}`);
  }
  for (const name of target.writable.keys()) {
    if (!sourceNames.has(name) && !NOT_COPIED.has(name)) problems.push(`table ${name} is in PostgreSQL but not in the SQLite file`);
  }
  return problems.length ? problems.join('; ') : undefined;
}

const NUL = /\u0000/g;

/** A row's values for PostgreSQL: NULs replaced (counted), everything else as SQLite returned it. */
function cleanRow(row: Record<string, unknown>, columns: string[], counter: { nuls: number }): unknown[] {
  return columns.map((c) => {
    const v = row[c];
    if (typeof v === 'string' && v.includes('\u0000')) {
      counter.nuls += v.match(NUL)!.length;
      return v.replace(NUL, '\uFFFD');
    }
    if (typeof v === 'bigint') return v.toString();
    return v;
  });
}

/**
 * An order-independent fingerprint of a table's rows: the count and the sum (mod 2^64)
 * of each row's hash. Equal on both sides exactly when they hold the same multiset of
 * rows (up to a hash collision), without sorting either side by a collation.
 */
class Fingerprint {
  rows = 0;
  private sum = 0n;
  add(values: readonly unknown[]): void {
    const digest = createHash('sha256').update(JSON.stringify(values.map(canonical))).digest();
    this.sum = (this.sum + digest.readBigUInt64BE(0)) & 0xffff_ffff_ffff_ffffn;
    this.rows += 1;
  }
  equals(other: Fingerprint): boolean {
    return this.rows === other.rows && this.sum === other.sum;
  }
}

/** Values the two drivers return alike for the same stored datum. */
function canonical(v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  return v;
}

/** The source's rows of one table, in an order that satisfies its self-references. */
function* sourceRows(source: Db, table: SourceTable): Generator<Record<string, unknown>> {
  const select = `SELECT ${table.columns.map(quote).join(', ')} FROM ${quote(table.name)}`;
  if (table.selfRefs.length === 0) {
    yield* source.prepare(select).iterate() as Iterable<Record<string, unknown>>;
    return;
  }
  // A follow-up references its parent question in the same table: emit a row only after the row it points at.
  const pending = source.prepare(select).all() as Record<string, unknown>[];
  const emitted = new Map<string, Set<unknown>>(table.selfRefs.map((r) => [r.parent, new Set()]));
  let remaining = pending;
  while (remaining.length > 0) {
    const next: Record<string, unknown>[] = [];
    for (const row of remaining) {
      const ready = table.selfRefs.every((r) => row[r.column] === null || row[r.column] === undefined || emitted.get(r.parent)!.has(row[r.column]) || row[r.column] === row[r.parent]);
      if (!ready) {
        next.push(row);
        continue;
      }
      for (const r of table.selfRefs) emitted.get(r.parent)!.add(row[r.parent]);
      yield row;
    }
    if (next.length === remaining.length) {
      // The parents are missing from the source; let PostgreSQL name the broken reference.
      yield* next;
      return;
    }
    remaining = next;
  }
}

/** Rows read from PostgreSQL per query while fingerprinting, so a large table never sits in memory whole. */
const READ_PAGE = 5_000;

async function targetFingerprint(tx: SqlQueryable, table: SourceTable, page: number): Promise<Fingerprint> {
  const fp = new Fingerprint();
  const cols = table.columns.map(quote).join(', ');
  // Keyset pages by physical row id: stable inside this transaction, and needs no key of the table's own.
  let after = '(0,0)';
  for (;;) {
    const { rows } = await tx.query<Record<string, unknown> & { _ctid: string }>(
      `SELECT ctid::text AS _ctid, ${cols} FROM ${quote(table.name)} WHERE ctid > $1::tid ORDER BY ctid LIMIT ${page}`,
      [after],
    );
    for (const row of rows) fp.add(table.columns.map((c) => row[c]));
    if (rows.length < page) return fp;
    after = rows[rows.length - 1]!._ctid;
  }
}

function sourceFingerprint(source: Db, table: SourceTable): Fingerprint {
  const fp = new Fingerprint();
  const counter = { nuls: 0 };
  for (const row of source.prepare(`SELECT ${table.columns.map(quote).join(', ')} FROM ${quote(table.name)}`).iterate() as Iterable<
    Record<string, unknown>
  >) {
    fp.add(cleanRow(row, table.columns, counter));
  }
  return fp;
}

async function countRows(tx: SqlQueryable, table: string): Promise<number> {
  return (await tx.query<{ n: number }>(`SELECT COUNT(*)::int AS n FROM ${quote(table)}`)).rows[0]!.n;
}

async function insertBatch(tx: SqlQueryable, table: SourceTable, batch: unknown[][]): Promise<void> {
  const width = table.columns.length;
  const params: unknown[] = [];
  const tuples = batch.map((values, i) => {
    params.push(...values);
    return `(${values.map((_, j) => `$${i * width + j + 1}`).join(', ')})`;
  });
  await tx.query(`INSERT INTO ${quote(table.name)} (${table.columns.map(quote).join(', ')}) VALUES ${tuples.join(', ')}`, params);
}

/**
 * Copies every table of `source` (a prepbot SQLite database at the current schema)
 * into `target` (migrated by openPostgres to the same migrations).
 *
 * - Target empty (nothing but what migrations seed): copies.
 * - Target holds exactly the source's rows: changes nothing, reports `unchanged`.
 * - Target holds anything else: refuses with MigrationRefused, unless `force`, which
 *   replaces it (every copied table emptied first, in the same transaction).
 *
 * Row counts are verified per table before COMMIT; a mismatch rolls everything back.
 */
export async function copySqliteToPostgres(source: Db, target: SqlClient, options: CopyOptions = {}): Promise<CopyReport> {
  const progress = options.progress ?? (() => {});
  const { copy: names, skipped } = sqliteTables(source);
  const tables = dependencyOrder(describeSource(source, names));

  const sourceVersions = (source.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all() as number[]).join(',');

  return target.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(${MIGRATE_LOCK})`);

    const targetVersions = (await tx.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')).rows
      .map((r) => r.version)
      .join(',');
    if (targetVersions !== sourceVersions) {
      throw new MigrationRefused(
        `the SQLite file has migrations [${sourceVersions}] and PostgreSQL [${targetVersions}]; ` +
          'run the same prepbot version on both (open the SQLite file with this prepbot once, e.g. `prepbot bank list`), then migrate again. Nothing was changed.',
      );
    }
    const columns = await describeTarget(tx);
    const drift = schemaDifference(tables, columns);
    if (drift) {
      throw new MigrationRefused(
        `the two schemas differ (${drift}); nothing was changed. If that PostgreSQL database holds another application's tables, ` +
          "give prepbot a database of its own; otherwise a migration's PostgreSQL text is wrong: please report it.",
      );
    }

    // Read the source inside one read transaction: every table from the same moment.
    source.exec('BEGIN');
    try {
      const held: { name: string; rows: number }[] = [];
      for (const t of tables) {
        const n = await countRows(tx, t.name);
        if (n > 0 && !MIGRATION_SEEDED.has(t.name)) held.push({ name: t.name, rows: n });
      }
      let replaced = false;
      if (held.length > 0) {
        const same = await sameData(source, tx, tables, options.readPage ?? READ_PAGE);
        if (same) {
          return {
            outcome: 'unchanged' as const,
            replaced: false,
            tables: tables.map((t) => ({ name: t.name, rows: countSource(source, t.name), nulsReplaced: 0 })),
            skipped,
            nulsReplaced: 0,
            sequences: [],
          };
        }
        if (!options.force) {
          const summary = held
            .slice(0, 6)
            .map((h) => `${h.name}: ${h.rows}`)
            .join(', ');
          throw new MigrationRefused(
            `the target database already holds other prepbot data (${summary}${held.length > 6 ? ', …' : ''}); nothing was changed. ` +
              'Point --to at an empty database, or pass --force to replace its data with the SQLite file’s.',
          );
        }
        replaced = true;
      }

      // Empty (or seeded by migrations, or being replaced): clear every copied table in one statement (foreign keys among them).
      await tx.exec(`TRUNCATE ${tables.map((t) => quote(t.name)).join(', ')}`);

      const report: TableReport[] = [];
      for (const t of tables) {
        const size = batchRowsFor(t.columns.length, options.batchRows);
        const counter = { nuls: 0 };
        let rows = 0;
        let batch: unknown[][] = [];
        for (const row of sourceRows(source, t)) {
          batch.push(cleanRow(row, t.columns, counter));
          if (batch.length >= size) {
            await insertBatch(tx, t, batch);
            rows += batch.length;
            batch = [];
          }
        }
        if (batch.length > 0) {
          await insertBatch(tx, t, batch);
          rows += batch.length;
        }
        const copied = await countRows(tx, t.name);
        if (copied !== rows) throw new Error(`${t.name}: read ${rows} rows from SQLite but PostgreSQL holds ${copied}; rolled back, nothing was changed`);
        report.push({ name: t.name, rows, nulsReplaced: counter.nuls });
        progress(`${t.name}: ${rows} row${rows === 1 ? '' : 's'}${counter.nuls ? ` (${counter.nuls} NUL character(s) replaced)` : ''}`);
      }

      // Explicit ids were copied into identity columns; the sequences still start at 1.
      const sequences: CopyReport['sequences'] = [];
      for (const { table, column } of columns.identities) {
        if (!tables.some((t) => t.name === table)) continue;
        const { rows } = await tx.query<{ next: number }>(
          `SELECT setval(pg_get_serial_sequence($1, $2), COALESCE(MAX(${quote(column)}), 0) + 1, false)::int AS next FROM ${quote(table)}`,
          [quote(table), column],
        );
        sequences.push({ table, column, next: rows[0]!.next });
      }

      return {
        outcome: 'copied' as const,
        replaced,
        tables: report,
        skipped,
        nulsReplaced: report.reduce((n, t) => n + t.nulsReplaced, 0),
        sequences,
      };
    } finally {
      source.exec('COMMIT');
    }
  });
}

function countSource(source: Db, table: string): number {
  return (source.prepare(`SELECT COUNT(*) AS n FROM ${quote(table)}`).get() as { n: number }).n;
}

async function sameData(source: Db, tx: SqlQueryable, tables: SourceTable[], page: number): Promise<boolean> {
  for (const t of tables) {
    if (!sourceFingerprint(source, t).equals(await targetFingerprint(tx, t, page))) return false;
  }
  return true;
}
