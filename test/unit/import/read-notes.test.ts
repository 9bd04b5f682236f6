import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeNotes, MAX_NOTES_FILE_BYTES, readNotes } from '../../../src/bank/read-notes.ts';

const dirs: string[] = [];
function tree(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'prepbot-read-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) {
    // Restore permissions first so the cleanup itself can read what a test locked.
    try {
      chmodSync(join(dir, 'notes', 'locked.md'), 0o644);
    } catch {
      /* not every tree has one */
    }
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('readNotes', () => {
  it('walks folders for Markdown, skipping dot-entries and node_modules, in a stable order', async () => {
    const dir = tree({
      'notes/b.md': '## B?\nb',
      'notes/a.markdown': '## A?\na',
      'notes/sub/c.MD': '## C?\nc',
      'notes/readme.txt': 'not notes',
      'notes/.hidden.md': '## H?\nh',
      'notes/.git/x.md': '## X?\nx',
      'notes/node_modules/pkg/y.md': '## Y?\ny',
    });
    const result = await readNotes(['notes'], { cwd: dir, root: 'notes' });
    expect(result.files.map((f) => f.file)).toEqual(['a.markdown', 'b.md', 'sub/c.MD']);
    expect(result.problems).toEqual([]);
    expect(result.scope).toEqual({ files: [], folders: [''] });
  });

  it('keys a file inside the root the same whether the folder or the file is named', async () => {
    const dir = tree({ 'notes/go/chan.md': '## Q?\nA' });
    const viaFolder = await readNotes(['notes'], { cwd: dir, root: 'notes' });
    const viaFile = await readNotes(['notes/go/chan.md'], { cwd: dir, root: 'notes' });
    const viaSub = await readNotes(['notes/go'], { cwd: dir, root: 'notes' });
    expect(viaFolder.files.map((f) => f.file)).toEqual(['go/chan.md']);
    expect(viaFile.files.map((f) => f.file)).toEqual(['go/chan.md']);
    expect(viaFile.scope).toEqual({ files: ['go/chan.md'], folders: [] });
    expect(viaSub.scope).toEqual({ files: [], folders: ['go'] });
  });

  it('keys a folder outside the root under its own name', async () => {
    const dir = tree({ 'notes/a.md': '## A?\na', 'elsewhere/interview/b.md': '## B?\nb' });
    const result = await readNotes(['elsewhere/interview'], { cwd: dir, root: 'notes' });
    expect(result.files.map((f) => f.file)).toEqual(['interview/b.md']);
    expect(result.scope.folders).toEqual(['interview']);
  });

  it('reports a missing path and an empty folder, and reads nothing', async () => {
    const dir = tree({ 'empty/.keep': '' });
    const result = await readNotes(['missing', 'empty'], { cwd: dir });
    expect(result.files).toEqual([]);
    expect(result.problems).toEqual([
      { file: 'missing', line: 0, message: expect.stringContaining('no such file or folder') },
      { file: 'empty', line: 0, message: expect.stringContaining('no Markdown notes') },
    ]);
  });

  it('skips a file with bytes that are not UTF-8, naming the first bad line, and keeps its stored questions', async () => {
    const latin1 = Buffer.concat([Buffer.from('## Caf'), Buffer.from([0xe9]), Buffer.from('?\nanswer\n')]);
    const dir = tree({ 'notes/good.md': '## Q?\nA', 'notes/latin1.md': Buffer.concat([Buffer.from('# Notes\n\n'), latin1]) });
    const result = await readNotes(['notes'], { cwd: dir, root: 'notes' });
    expect(result.files.map((f) => f.file)).toEqual(['good.md']);
    expect(result.problems).toEqual([{ file: 'latin1.md', line: 3, message: expect.stringContaining('not valid UTF-8') }]);
    expect(result.unreadable).toEqual(['latin1.md']);
  });

  it('skips binary and UTF-16 files with a reason', async () => {
    // The PNG signature holds two LF bytes before its first NUL, so the NUL sits on line 3.
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('## Q?\n', 'utf16le')]);
    const dir = tree({ 'notes/image.md': png, 'notes/wide.md': utf16 });
    const result = await readNotes(['notes'], { cwd: dir, root: 'notes' });
    expect(result.files).toEqual([]);
    expect(result.problems).toEqual([
      { file: 'image.md', line: 3, message: expect.stringContaining('binary') },
      { file: 'wide.md', line: 1, message: expect.stringContaining('UTF-16') },
    ]);
  });

  it('reports a dangling link as unreadable', async () => {
    const dir = tree({ 'notes/good.md': '## Q?\nA' });
    symlinkSync(join(dir, 'nowhere.md'), join(dir, 'notes', 'gone.md'));
    const result = await readNotes(['notes'], { cwd: dir, root: 'notes' });
    expect(result.files.map((f) => f.file)).toEqual(['good.md']);
    expect(result.problems).toEqual([{ file: 'gone.md', line: 0, message: expect.stringContaining('cannot be read') }]);
    expect(result.unreadable).toEqual(['gone.md']);
  });

  // A FIFO named like notes would block readFile forever; it must be reported, not read.
  it.skipIf(process.platform === 'win32')('reports a named pipe instead of waiting on it', async () => {
    const dir = tree({ 'notes/good.md': '## Q?\nA' });
    execFileSync('mkfifo', [join(dir, 'notes', 'pipe.md')]);
    const result = await readNotes(['notes'], { cwd: dir, root: 'notes' });
    expect(result.files.map((f) => f.file)).toEqual(['good.md']);
    expect(result.problems).toEqual([{ file: 'pipe.md', line: 0, message: expect.stringContaining('not a regular file') }]);
    expect(result.unreadable).toEqual(['pipe.md']);
  });

  it('does not loop on a folder link that points back up the tree', async () => {
    const dir = tree({ 'notes/a.md': '## A?\na' });
    symlinkSync(join(dir, 'notes'), join(dir, 'notes', 'loop'));
    const result = await readNotes(['notes'], { cwd: dir, root: 'notes' });
    expect(result.files.map((f) => f.file)).toEqual(['a.md']);
  });

  // root reads any file regardless of its mode bits, so there is no way to make one unreadable for root.
  it.skipIf(process.getuid?.() === 0)('reports a file without read permission', async () => {
    const dir = tree({ 'notes/locked.md': '## Q?\nA', 'notes/ok.md': '## Q?\nA' });
    chmodSync(join(dir, 'notes', 'locked.md'), 0o000);
    const result = await readNotes(['notes'], { cwd: dir, root: 'notes' });
    expect(result.files.map((f) => f.file)).toEqual(['ok.md']);
    expect(result.problems).toEqual([{ file: 'locked.md', line: 0, message: expect.stringContaining('permission denied') }]);
  });

  it('reads a 5 MB notes file whole', async () => {
    const section = '## What is a goroutine?\n\nA lightweight thread.\n\n```go\ngo f()\n```\n\n';
    const big = section.repeat(Math.ceil((5 * 1024 * 1024) / section.length));
    const dir = tree({ 'notes/big.md': big });
    const result = await readNotes(['notes'], { cwd: dir, root: 'notes' });
    expect(result.problems).toEqual([]);
    expect(result.files[0]!.text.length).toBe(big.length);
    expect(MAX_NOTES_FILE_BYTES).toBeGreaterThan(5 * 1024 * 1024);
  });
});

describe('decodeNotes', () => {
  it('drops a UTF-8 byte-order mark and keeps everything else', () => {
    const decoded = decodeNotes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('## Ça va?\r\nOui ✓')]));
    expect(decoded).toEqual({ text: '## Ça va?\r\nOui ✓' });
  });
});
