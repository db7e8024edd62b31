/**
 * The reference build the gate races against (bench/race.ts): the engine as of the commit the
 * baseline names, extracted from this clone's history into a directory of its own and built
 * there (the engine and benchmarks only, not the viewer). Built once per commit and machine and
 * kept in the system's temporary directory; a half-built one is never used (it is built beside
 * and renamed into place when done).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const STAMP = '.roadtwin-reference-built';

export type Reference = { root: string; commit: string; reused: boolean } | { unavailable: string };

/** The engine built at `commit` of the repository at `repoRoot`; `log` hears what is being done. */
export function prepareReference(repoRoot: string, commit: string, log: (line: string) => void = () => {}): Reference {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28 });
  let full: string;
  try {
    full = git('rev-parse', '--verify', '--quiet', `${commit}^{commit}`).trim();
  } catch {
    return { unavailable: `commit ${commit} is not in this clone's history (a shallow clone or a copy without .git?)` };
  }
  const root = join(tmpdir(), `roadtwin-reference-${full.slice(0, 12)}`);
  if (existsSync(join(root, STAMP))) return { root, commit: full, reused: true };
  log(`building the reference engine of ${full.slice(0, 12)} in ${root}`);
  const staging = mkdtempSync(join(tmpdir(), 'roadtwin-reference-staging-'));
  try {
    const tar = `${staging}.tar`;
    git('archive', '--format=tar', `--output=${tar}`, full);
    execFileSync('tar', ['-xf', tar, '-C', staging], { stdio: 'ignore' });
    rmSync(tar, { force: true });
    // the same locked dependencies: share this clone's node_modules; others: install them
    const lockHere = join(repoRoot, 'package-lock.json');
    const sameLock = existsSync(lockHere) && existsSync(join(repoRoot, 'node_modules')) && readFileSync(lockHere, 'utf8') === readFileSync(join(staging, 'package-lock.json'), 'utf8');
    if (sameLock) symlinkSync(join(repoRoot, 'node_modules'), join(staging, 'node_modules'), 'dir');
    else execFileSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: staging, stdio: ['ignore', 'ignore', 'pipe'] });
    execFileSync(process.execPath, [join(staging, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: staging, stdio: ['ignore', 'pipe', 'pipe'] });
    if (!existsSync(join(staging, 'dist/bench/macro.js'))) return { unavailable: `the build of ${full.slice(0, 12)} has no dist/bench/macro.js` };
    writeFileSync(join(staging, STAMP), `${full}\n`);
    rmSync(root, { recursive: true, force: true });
    mkdirSync(tmpdir(), { recursive: true });
    renameSync(staging, root);
    return { root, commit: full, reused: false };
  } catch (e) {
    const err = e as Error & { stderr?: Buffer | string };
    const detail = err.stderr ? err.stderr.toString().trim().split('\n').slice(-3).join(' / ') : err.message;
    return { unavailable: `building ${full.slice(0, 12)} failed: ${detail}` };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
