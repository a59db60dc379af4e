/** What dependencyOrder needs of a plan: its name and the names it depends on. */
export interface DependencyNode {
  name: string;
  dependencies: readonly { service: string }[];
}

export type DependencyOrder =
  /** Waves in deploy order: every service's dependencies are in earlier waves; one wave deploys in parallel. */
  | { ok: true; waves: string[][] }
  | { ok: false; reason: 'cycle'; cycle: string[]; message: string }
  | { ok: false; reason: 'unknown'; service: string; dependency: string; message: string };

/**
 * Topological layers (Kahn's algorithm, one layer at a time), in the order the services were
 * given within each wave so the result is stable. A cycle is named the way a person follows it:
 * "web → api → web".
 */
export const dependencyOrder = (nodes: readonly DependencyNode[]): DependencyOrder => {
  const names = new Set(nodes.map((n) => n.name));
  for (const node of nodes) {
    const unknown = node.dependencies.find((d) => !names.has(d.service));
    if (unknown) {
      return {
        ok: false,
        reason: 'unknown',
        service: node.name,
        dependency: unknown.service,
        message: `${node.name} depends on ${unknown.service}, which is not a service of this project`,
      };
    }
  }
  const waves: string[][] = [];
  const placed = new Set<string>();
  let remaining = [...nodes];
  while (remaining.length > 0) {
    const wave = remaining.filter((n) => n.dependencies.every((d) => placed.has(d.service)));
    if (wave.length === 0) {
      const cycle = findCycle(remaining);
      return { ok: false, reason: 'cycle', cycle, message: `the dependencies form a cycle: ${cycle.join(' → ')}` };
    }
    waves.push(wave.map((n) => n.name));
    for (const n of wave) placed.add(n.name);
    remaining = remaining.filter((n) => !placed.has(n.name));
  }
  return { ok: true, waves };
};

/** Among nodes that all wait on something unplaced, a walk must return to a node it has seen. */
const findCycle = (stuck: readonly DependencyNode[]): string[] => {
  const byName = new Map(stuck.map((n) => [n.name, n]));
  const path: string[] = [];
  let current = stuck[0];
  while (!path.includes(current.name)) {
    path.push(current.name);
    const next = current.dependencies.map((d) => byName.get(d.service)).find((n) => n !== undefined);
    if (!next) break;
    current = next;
  }
  const start = path.indexOf(current.name);
  return [...path.slice(start), current.name];
};
