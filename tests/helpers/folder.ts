import fs from 'node:fs';
import path from 'node:path';
import type { ImportFile } from '../../src/core/import';

/** Every file under `root` as an import reads a folder: its path inside the folder, "/" between parts. */
export function folderFiles(root: string): ImportFile[] {
  const out: ImportFile[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const at = path.join(dir, e.name);
      if (e.isDirectory()) walk(at);
      else {
        const rel = path.relative(root, at).split(path.sep).join('/');
        out.push({ name: rel, path: rel, markdown: fs.readFileSync(at, 'utf8') });
      }
    }
  };
  walk(root);
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export const ADR_FIXTURES = path.resolve(__dirname, '..', 'fixtures', 'adr');

/** Every file under `root` (or `root` itself, when it is a file), by its path inside it, byte for byte. */
export function filesUnder(root: string): Record<string, string> {
  if (!fs.statSync(root).isDirectory()) return { [path.basename(root)]: fs.readFileSync(root, 'latin1') };
  const out: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const at = path.join(dir, e.name);
      if (e.isDirectory()) walk(at);
      else out[path.relative(root, at).split(path.sep).join('/')] = fs.readFileSync(at, 'latin1');
    }
  };
  walk(root);
  return out;
}
