// The contract scenarios live in ../shared/contract; scenarios/ holds copies so that the repository
// runs on its own. Where the originals are present, the copies must be identical to them.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const shared = join(root, '..', 'shared', 'contract');

describe.skipIf(!existsSync(shared))('contract scenario copies', () => {
  it.each(['ring', 'corridor', 'grid'])('scenarios/%s.yaml is byte-identical to ../shared/contract', (name) => {
    expect(readFileSync(join(root, 'scenarios', `${name}.yaml`), 'utf8')).toBe(readFileSync(join(shared, `${name}.yaml`), 'utf8'));
  });
});
