// Runs the `tsbpf` command in-process through main(), capturing what it prints.

import { main } from '../src/cli/main.js';

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

export async function runCli(...argv: string[]): Promise<CliResult> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const status = await main(
    argv,
    (text) => stdout.push(`${text}\n`),
    (text) => stderr.push(`${text}\n`),
  );
  return { status, stdout: stdout.join(''), stderr: stderr.join('') };
}
