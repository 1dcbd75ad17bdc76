// Which commit a benchmark measured, for its header line and JSON.

import { spawnSync } from 'node:child_process';

/** The commit measured, and whether src/ differed from it (numbers then belong to neither). */
export function gitState(root: string): { commit: string | null; dirty: boolean | null } {
  const git = (args: string[]) => spawnSync('git', ['-C', root, ...args], { encoding: 'utf8' });
  const head = git(['rev-parse', 'HEAD']);
  if (head.status !== 0) return { commit: null, dirty: null };
  const status = git(['status', '--porcelain', '--untracked-files=no', '--', 'src']);
  return { commit: head.stdout.trim(), dirty: status.status === 0 ? status.stdout.trim() !== '' : null };
}
