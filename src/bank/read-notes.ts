import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { basename, dirname, relative, resolve, sep } from 'node:path';
import type { ImportProblem } from '../store/types.ts';

/**
 * Finds and reads the notes files behind `prepbot import [paths…]`, turning every
 * file that cannot be used into a problem with file:line instead of an exception.
 *
 * Limits (decided here, documented in docs/import.md):
 * - A folder is walked recursively for `*.md` and `*.markdown`; dot-entries and
 *   `node_modules` are skipped. A file named explicitly is read whatever its name.
 * - Files over MAX_NOTES_FILE_BYTES are skipped: nobody writes notes that big, and
 *   it keeps a stray dump from stalling the import. A 5 MB notes file is fine.
 * - A NUL byte means a binary file; bytes that are not UTF-8 are reported at the
 *   first bad line. A UTF-8 byte-order mark is dropped.
 */
export const MAX_NOTES_FILE_BYTES = 32 * 1024 * 1024;

export interface NotesFile {
  /** Absolute path on disk. */
  path: string;
  /** Stable key stored with each question: relative to the notes root, forward slashes. */
  file: string;
  text: string;
}

export interface ReadNotesResult {
  files: NotesFile[];
  /** What these paths speak for (see ImportPlan.scope). */
  scope: { files: string[]; folders: string[] };
  /** Files that exist but could not be used: their stored questions must be left alone. */
  unreadable: string[];
  problems: ImportProblem[];
}

export interface ReadNotesOptions {
  /**
   * Notes root: paths inside it are keyed relative to it, so `import notes` and
   * `import notes/go.md` store the same file key. Paths outside it are keyed
   * relative to their parent folder.
   */
  root?: string;
  cwd?: string;
}

const NOTES_FILE = /\.(md|markdown)$/i;

function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep) && !/^[a-zA-Z]:/.test(rel));
}

function toKey(base: string, path: string): string {
  return relative(base, path).split(sep).join('/');
}

function describe(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied; check the file permissions';
  if (code === 'ENOENT') return 'does not exist (a broken link?); fix or remove the link';
  if (code === 'EISDIR') return 'is a folder, not a file';
  return (err as Error).message ?? String(err);
}

/** 1-based line of the first byte sequence that is not UTF-8. Lines split on LF, which never occurs inside a multi-byte character. */
function firstBadUtf8Line(bytes: Buffer): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let line = 1;
  let start = 0;
  while (start <= bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end === -1) end = bytes.length;
    try {
      decoder.decode(bytes.subarray(start, end));
    } catch {
      return line;
    }
    line++;
    start = end + 1;
  }
  return 1;
}

/** Decodes one notes file or says, with a line, why it cannot be used. */
export function decodeNotes(bytes: Buffer): { text: string } | { line: number; message: string } {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return { line: 1, message: 'is UTF-16 text; save it as UTF-8 to import it' };
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    const line = bytes.subarray(0, nul).reduce((n, b) => (b === 0x0a ? n + 1 : n), 1);
    return { line, message: 'looks binary (contains a NUL byte), not Markdown; move it out of the notes folder, or save it as plain UTF-8 text' };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { line: firstBadUtf8Line(bytes), message: 'is not valid UTF-8 (first bad byte on this line); re-save the file as UTF-8' };
  }
}

async function walk(dir: string, seen: Set<string>, out: string[], problems: ImportProblem[], key: (p: string) => string) {
  let real: string;
  try {
    real = await realpath(dir);
  } catch (err) {
    problems.push({ file: key(dir), line: 0, message: `folder cannot be read: ${describe(err)}` });
    return;
  }
  // Symlinked folders are followed, but a link back up the tree must not loop forever.
  if (seen.has(real)) return;
  seen.add(real);
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    problems.push({ file: key(dir), line: 0, message: `folder cannot be read: ${describe(err)}` });
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = resolve(dir, entry.name);
    let isDir = entry.isDirectory();
    if (entry.isSymbolicLink()) {
      try {
        isDir = (await stat(path)).isDirectory();
      } catch {
        isDir = false; // a dangling link to a notes file is reported when it is read
      }
    }
    if (isDir) await walk(path, seen, out, problems, key);
    else if (NOTES_FILE.test(entry.name)) out.push(path);
  }
}

async function readOne(path: string, file: string): Promise<NotesFile | ImportProblem> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) return { file, line: 0, message: 'is a folder, not a file' };
    // A FIFO or device named *.md would block the read forever (or never end): only regular files are notes.
    if (!info.isFile()) return { file, line: 0, message: 'is not a regular file (a pipe, socket or device?); replace it with a Markdown file or remove it' };
    if (info.size > MAX_NOTES_FILE_BYTES) {
      const mb = (info.size / 1024 / 1024).toFixed(1);
      return { file, line: 0, message: `is ${mb} MB, over the ${MAX_NOTES_FILE_BYTES / 1024 / 1024} MB limit for one notes file; split it` };
    }
    const decoded = decodeNotes(await readFile(path));
    if ('message' in decoded) return { file, ...decoded };
    return { path, file, text: decoded.text };
  } catch (err) {
    return { file, line: 0, message: `cannot be read: ${describe(err)}` };
  }
}

export async function readNotes(paths: string[], options: ReadNotesOptions = {}): Promise<ReadNotesResult> {
  const cwd = options.cwd ?? process.cwd();
  const root = options.root !== undefined ? resolve(cwd, options.root) : undefined;
  const result: ReadNotesResult = { files: [], scope: { files: [], folders: [] }, unreadable: [], problems: [] };
  const targets = new Map<string, string>(); // absolute path → file key, first path wins

  for (const given of paths) {
    const abs = resolve(cwd, given);
    let isDir: boolean;
    try {
      isDir = (await stat(abs)).isDirectory();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      result.problems.push({
        file: given,
        line: 0,
        message: code === 'ENOENT' ? 'no such file or folder; check the path' : `cannot be read: ${describe(err)}`,
      });
      continue;
    }
    // Outside the root a folder keeps its own name in the key ("interview/go.md"), so its
    // files neither collide with the root's files nor claim the whole bank as their scope.
    const base = root !== undefined && isInside(root, abs) ? root : dirname(abs);
    const key = (p: string) => toKey(base, p) || basename(p);
    if (isDir) {
      const found: string[] = [];
      await walk(abs, new Set(), found, result.problems, (p) => toKey(base, p) || given);
      result.scope.folders.push(toKey(base, abs));
      if (found.length === 0) {
        result.problems.push({ file: given, line: 0, message: 'has no Markdown notes (*.md, *.markdown); point at the folder that holds them' });
      }
      for (const f of found) if (!targets.has(f)) targets.set(f, key(f));
    } else {
      result.scope.files.push(key(abs));
      if (!targets.has(abs)) targets.set(abs, key(abs));
    }
  }

  // Reading in small parallel batches keeps a 10,000-file tree quick without opening every file at once.
  const entries = [...targets];
  for (let i = 0; i < entries.length; i += 32) {
    const batch = await Promise.all(entries.slice(i, i + 32).map(([path, file]) => readOne(path, file)));
    for (const r of batch) {
      if ('text' in r) result.files.push(r);
      else {
        result.problems.push(r);
        result.unreadable.push(r.file);
      }
    }
  }
  return result;
}
