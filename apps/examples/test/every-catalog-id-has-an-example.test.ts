import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { catalog, fileOf } from '../src/catalog.js';

const srcDir = new URL('../src/', import.meta.url);

describe('the catalog', () => {
  test('has the 95 rows s0-01 … s4-36, in order, without repeats', () => {
    const ids = catalog.map((entry) => entry.id);
    expect(ids).toHaveLength(95);
    expect(new Set(ids).size).toBe(95);
    expect([...ids].sort()).toEqual(ids);
    expect(ids[0]).toBe('s0-01');
    expect(ids.at(-1)).toBe('s4-36');
  });

  test('every catalog ID has its example file, with a header naming its seed file', () => {
    for (const entry of catalog) {
      const file = new URL(fileOf(entry), srcDir);
      expect(existsSync(file), `${entry.id}: src/${fileOf(entry)} is missing`).toBe(true);
      const text = readFileSync(file, 'utf8');
      expect(text.startsWith(`/**\n * ${entry.id} — seeds/`), `${entry.id}: header comment`).toBe(true);
    }
  });

  test('every example file belongs to a catalog row', () => {
    const files = readdirSync(srcDir).filter((name) => /^s\d-\d\d-/.test(name));
    expect(files.sort()).toEqual(catalog.map(fileOf).sort());
  });

  test('a duplicate row runs the example of the row it duplicates', () => {
    for (const entry of catalog.filter((row) => row.dupOf)) {
      const text = readFileSync(new URL(fileOf(entry), srcDir), 'utf8');
      expect(text, entry.id).toContain(`runDuplicateOf('${entry.dupOf}')`);
    }
  });

  test('the README links every ID to its file', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    for (const entry of catalog) expect(readme, entry.id).toContain(`[${entry.id}](src/${fileOf(entry)})`);
  });
});
