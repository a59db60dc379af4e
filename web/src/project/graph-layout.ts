/** A service and the services it depends on (none yet in the API: edges come with a later issue). */
export interface GraphNode {
  id: string;
  dependsOn?: string[];
}

/**
 * Layers for a dependency graph: a service with no dependencies is in layer 0, any other one layer
 * above the highest of its dependencies. Unknown ids are ignored and a cycle is cut where it closes,
 * so every node gets a layer. Within a layer, nodes keep their given order.
 */
export const layers = <T extends GraphNode>(nodes: T[]): T[][] => {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const layerOf = (node: T): number => {
    const known = depth.get(node.id);
    if (known !== undefined) return known;
    if (visiting.has(node.id)) return 0;
    visiting.add(node.id);
    const deps = (node.dependsOn ?? []).map((id) => byId.get(id)).filter((d): d is T => Boolean(d) && d!.id !== node.id);
    const layer = deps.length ? 1 + Math.max(...deps.map(layerOf)) : 0;
    visiting.delete(node.id);
    depth.set(node.id, layer);
    return layer;
  };
  const result: T[][] = [];
  for (const node of nodes) (result[layerOf(node)] ??= []).push(node);
  return result.filter(Boolean);
};

/** Every edge between known nodes, from a service to what it depends on. */
export const edges = (nodes: GraphNode[]) => {
  const ids = new Set(nodes.map((n) => n.id));
  return nodes.flatMap((n) => (n.dependsOn ?? []).filter((d) => ids.has(d) && d !== n.id).map((to) => ({ from: n.id, to })));
};
