import { rmSync } from 'node:fs';
import { server } from './server';

// Stops the server started by global-setup.ts and removes its data directory.
export default async function globalTeardown(): Promise<void> {
  let info;
  try {
    info = server();
  } catch {
    return;
  }
  try {
    process.kill(info.pid, 'SIGTERM');
  } catch {
    return;
  }
  for (let i = 0; i < 50; i++) {
    try {
      process.kill(info.pid, 0);
    } catch {
      break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  try {
    process.kill(info.pid, 'SIGKILL');
  } catch {
    // already gone
  }
  rmSync(info.dataDir, { recursive: true, force: true });
}
