import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder holding Deskpulse's package.json: the same from the TypeScript sources (tests, tsx) and from the
 * compiled bundle in dist/, so files shipped beside the code (the built dashboard) are found from either.
 */
export function packageRoot(from: string = import.meta.url): string {
  let dir = path.dirname(fileURLToPath(from));
  for (;;) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error('package.json not found above the running code');
    dir = up;
  }
}
