import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeDirs } from './make-dirs.js';

describe(makeDirs.name, () => {
  const root = mkdtempSync(join(tmpdir(), 'make-dirs-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('makes every missing level with the mode asked, and leaves an existing one as it is', () => {
    const dir = join(root, 'a', 'b', 'c');
    makeDirs(dir, 0o700);
    expect(statSync(dir).isDirectory()).toBe(true);
    expect(statSync(join(root, 'a')).mode & 0o777).toBe(0o700);
    expect(() => makeDirs(dir)).not.toThrow();
  });

  it('stops with the directory named where a level cannot be made (Node’s recursive mkdir spins forever there)', () => {
    expect(() => makeDirs('/proc/sokohub-make-dirs/data')).toThrow(
      /^cannot create the directory \/proc\/sokohub-make-dirs: ENOENT/,
    );
  });
});
