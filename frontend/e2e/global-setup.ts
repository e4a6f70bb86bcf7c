import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { stateFile, type ServerInfo } from './server';

// Starts `$HOOKLENS_BIN serve` on free loopback ports with a fresh data directory and a random
// token, and waits for the "Receiver: " and "UI: " lines it prints.
export default async function globalSetup(): Promise<void> {
  const bin = process.env.HOOKLENS_BIN;
  if (!bin) throw new Error('HOOKLENS_BIN is not set: build the Go binary (go build -o build/bin/hooklens .) and export its path');
  if (!existsSync(bin)) throw new Error(`HOOKLENS_BIN=${bin} does not exist`);

  const dataDir = mkdtempSync(join(tmpdir(), 'hooklens-e2e-'));
  const token = randomBytes(16).toString('hex');
  const child = spawn(bin, ['serve', '--data', dataDir, '--listen', '127.0.0.1:0', '--ui', '127.0.0.1:0', '--token', token], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr: string[] = [];
  child.stderr.on('data', (b: Buffer) => {
    stderr.push(b.toString());
    if (process.env.HOOKLENS_E2E_VERBOSE) process.stderr.write(b);
  });

  const info = await new Promise<ServerInfo>((resolve, reject) => {
    let receiver = '';
    let ui = '';
    const timer = setTimeout(() => fail(new Error('hooklens did not print its URLs within 15 s')), 15_000);
    const fail = (err: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${err.message}\nstderr:\n${stderr.join('')}`));
    };
    child.once('exit', (code) => fail(new Error(`hooklens exited early with code ${code}`)));
    child.once('error', (err) => fail(err));
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith('Receiver: ')) receiver = line.slice('Receiver: '.length).trim().replace(/\/+$/, '');
      if (line.startsWith('UI: ')) ui = line.slice('UI: '.length).trim();
      if (receiver && ui) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve({ pid: child.pid ?? 0, dataDir, receiver, ui, origin: new URL(ui).origin, token });
      }
    });
  });
  child.stdout.resume();

  mkdirSync(dirname(stateFile), { recursive: true });
  writeFileSync(stateFile, JSON.stringify(info));
  process.env.HOOKLENS_E2E_SERVER = JSON.stringify(info);
  mkdirSync(join(import.meta.dirname, 'artifacts'), { recursive: true });
}
