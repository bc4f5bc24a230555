/**
 * The first steps every runner takes: answer `--help` or `--render FILE` without measuring, else
 * build what the children import, bundle the child, and ask one child which fusedis it loads.
 */
import { bundleChild, type ChildBundle, type Launcher, makeLauncher, runChild } from './child-launcher.js';
import { log } from './log.js';

/** How a runner turns a raw JSON back into its reports (`--render`). */
export interface Rerender<Meta, Rows, Targets> {
  load(file: string): { meta: Meta; rows: Rows; targets: Targets };
  /** The table printed to the terminal. */
  table(rows: Rows): string;
  /** Writes the committed reports; returns the paths written. */
  write(meta: Meta, rows: Rows, targets: Targets): string[];
}

/** Prints the usage for `--help`, or rewrites the reports for `--render FILE`; true when that was the whole run. */
export function helpOrRender<Meta, Rows, Targets>(
  options: { readonly help: boolean; readonly render: string | undefined },
  usage: string,
  rerender: Rerender<Meta, Rows, Targets>,
): boolean {
  if (options.help) {
    log(usage);
    return true;
  }
  if (options.render === undefined) return false;
  const { meta, rows, targets } = rerender.load(options.render);
  log(rerender.table(rows));
  log(`wrote ${rerender.write(meta, rows, targets).join(', ')}`);
  return true;
}

export interface ChildrenSetup {
  /** Run the fusedis packages from their TS sources (`--source`). */
  readonly source: boolean;
  /** Builds the dist the children import; undefined skips it. False from it falls back to the sources. */
  readonly build: (() => boolean) | undefined;
  /** Children behind `taskset -c 1`. */
  readonly pinned: boolean;
  /** For every child, the probe included. @default no timeout */
  readonly timeoutMs?: number;
}

/**
 * Builds (falling back to the TS sources when the build fails), bundles the child, and runs it
 * once with `probe`: the children's launcher (whose `source` says what they run) and the probe's answer.
 */
export async function startChildren<Probe>(
  child: ChildBundle,
  setup: ChildrenSetup,
): Promise<{ how: Launcher; probe: Probe }> {
  let source = setup.source;
  if (!source && setup.build !== undefined && !setup.build()) {
    log('  falling back to the TS sources (as with --source).');
    source = true;
  }
  await bundleChild(child);
  const how = makeLauncher(child, setup.pinned, source);
  const probe = JSON.parse(await runChild(how, 'probe', setup.timeoutMs)) as Probe;
  return { how, probe };
}
