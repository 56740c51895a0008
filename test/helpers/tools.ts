import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

const announced = new Set<string>();

/** The tool's path on PATH, if it is there and executable. */
export function findTool(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const file = join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/**
 * Whether a command-line tool that some tests need is installed. When it is not, the tests that
 * need it skip, and one line says so and names the Debian package to install. With
 * XXGK_REQUIRE_TOOLS set (CI sets it) a missing tool is an error instead: CI never skips quietly.
 */
export function requireTool(name: string, debianPackage: string, label = name): boolean {
  if (findTool(name)) return true;
  const hint = `apt-get install ${debianPackage}`;
  if (process.env.XXGK_REQUIRE_TOOLS)
    throw new Error(`${label} not installed (${hint}); XXGK_REQUIRE_TOOLS is set, so its tests may not skip`);
  if (!announced.has(name)) {
    announced.add(name);
    console.warn(`skipped: ${label} not installed (${hint})`);
  }
  return false;
}
