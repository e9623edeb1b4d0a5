/** What the REFI-QDA tests share: the schemas and samples beside the repository, xmllint, zips. */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { strToU8, zipSync } from 'fflate';

const repoRoot = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

/**
 * `shared/refi-qda` beside the repository (CI runs with a copy of shared/ at ../shared). Its
 * samples carry licences the project does not take on, so they are read there, never copied.
 */
export const REFI_DIR = resolve(repoRoot, '../shared/refi-qda');
export const SAMPLES_DIR = join(REFI_DIR, 'samples');
/** The REFI-QDA 1.5 schemas, kept in the repository so validation never depends on ../shared. */
export const SCHEMA_DIR = resolve('fixtures/refi-qda/schema');
export const haveSamples = existsSync(SAMPLES_DIR);
export const haveSchemas = existsSync(join(SCHEMA_DIR, 'Project.xsd'));

function hasXmllint(): boolean {
  try {
    execFileSync('xmllint', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export const haveXmllint = hasXmllint();

/**
 * Whether schema validation can run. In CI a missing xmllint or schema is a failure, not a skip;
 * elsewhere the tests are skipped with a notice.
 */
export function canValidate(): boolean {
  if (haveXmllint && haveSchemas) return true;
  const missing = !haveXmllint
    ? 'xmllint (apt-get install -y libxml2-utils)'
    : `the schemas in ${SCHEMA_DIR}`;
  if (process.env.CI) throw new Error(`REFI-QDA schema validation needs ${missing}.`);
  console.warn(`[refi] Skipping schema validation: ${missing} is missing.`);
  return false;
}

export function noticeMissingSamples(): void {
  if (!haveSamples) console.warn(`[refi] Skipping the real REFI-QDA samples: ${SAMPLES_DIR} is absent.`);
}

/** Validate an XML document with xmllint; returns xmllint's verdict and messages. */
export async function validateXml(xml: string | Uint8Array, schema: 'Project' | 'Codebook') {
  const dir = await mkdtemp(join(tmpdir(), 'verbatim-refi-'));
  try {
    const file = join(dir, schema === 'Project' ? 'project.qde' : 'codebook.qdc');
    await writeFile(file, xml);
    try {
      execFileSync('xmllint', ['--noout', '--schema', join(SCHEMA_DIR, `${schema}.xsd`), file], {
        stdio: 'pipe',
      });
      return { valid: true, output: '' };
    } catch (error) {
      return { valid: false, output: String((error as { stderr?: Buffer }).stderr ?? error) };
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A .qdpx made of a project XML and source files (`name` → text or bytes). */
export function qdpx(
  projectXml: string,
  sources: Record<string, string | Uint8Array> = {},
  folder = 'sources',
): Uint8Array {
  const files: Record<string, Uint8Array> = { 'project.qde': strToU8(projectXml) };
  for (const [name, content] of Object.entries(sources)) {
    files[`${folder}/${name}`] = typeof content === 'string' ? strToU8(content) : content;
  }
  return zipSync(files);
}

/** Every file under a folder with its size, sorted: to check that a refusal left nothing behind. */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (folder: string) => {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.name !== 'LOCK') out.push(`${relative(dir, path)} ${(await stat(path)).size}`);
    }
  };
  await walk(dir);
  return out.sort();
}

export function form(bytes: Uint8Array | string, name: string): FormData {
  const data = new FormData();
  data.append('file', new Blob([typeof bytes === 'string' ? bytes : new Uint8Array(bytes)]), name);
  return data;
}
