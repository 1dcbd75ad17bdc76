// The shape of a function's control-flow graph that structured wasm code needs (Ramsey, "Beyond Relooper", 2022):
// reverse postorder, dominator tree, loop headers and merge nodes; null when the graph is irreducible.

export interface ControlFlowShape {
  /** Reverse-postorder number of each block reachable from the entry (-1: unreachable). */
  readonly rpo: Int32Array;
  /** Dominator-tree children of each block, in reverse postorder. */
  readonly children: readonly number[][];
  /** Blocks some edge goes back to (a loop starts there). */
  readonly loopHeader: Uint8Array;
  /** Blocks with more than one forward in-edge: they need a wasm block ending just before them. */
  readonly merge: Uint8Array;
}

/**
 * Analyses the graph of `successors` (block → blocks, duplicates allowed) from `entry`. Reducible graphs (every
 * retreating edge goes to a block that dominates its source, as compilers emit) get their shape; others null.
 */
export function controlFlowShape(
  successors: readonly (readonly number[])[],
  entry: number,
): ControlFlowShape | null {
  const n = successors.length;
  const rpo = new Int32Array(n).fill(-1);
  // Iterative depth-first search for postorder.
  const order: number[] = [];
  const visited = new Uint8Array(n);
  const stack: number[] = [entry];
  const next: number[] = new Array(n).fill(0);
  visited[entry] = 1;
  while (stack.length > 0) {
    const node = stack[stack.length - 1];
    const edges = successors[node];
    if (next[node] < edges.length) {
      const to = edges[next[node]++];
      if (visited[to] === 0) {
        visited[to] = 1;
        stack.push(to);
      }
    } else {
      stack.pop();
      order.push(node);
    }
  }
  const byRpo = order.reverse();
  for (let i = 0; i < byRpo.length; i++) rpo[byRpo[i]] = i;

  const predecessors: number[][] = Array.from({ length: n }, () => []);
  for (const node of byRpo) for (const to of successors[node]) predecessors[to].push(node);

  // Cooper, Harvey and Kennedy's iterative dominators over reverse postorder.
  const idom = new Int32Array(n).fill(-1);
  idom[entry] = entry;
  const intersect = (a: number, b: number): number => {
    let x = a;
    let y = b;
    while (x !== y) {
      while (rpo[x] > rpo[y]) x = idom[x];
      while (rpo[y] > rpo[x]) y = idom[y];
    }
    return x;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (let i = 1; i < byRpo.length; i++) {
      const node = byRpo[i];
      let dom = -1;
      for (const p of predecessors[node]) {
        if (idom[p] < 0) continue;
        dom = dom < 0 ? p : intersect(p, dom);
      }
      if (dom !== idom[node]) {
        idom[node] = dom;
        changed = true;
      }
    }
  }
  const dominates = (a: number, b: number): boolean => {
    let x = b;
    for (;;) {
      if (x === a) return true;
      if (x === entry) return false;
      x = idom[x];
    }
  };

  const loopHeader = new Uint8Array(n);
  const merge = new Uint8Array(n);
  const forwardIn = new Int32Array(n);
  for (const node of byRpo) {
    for (const to of successors[node]) {
      if (rpo[to] <= rpo[node]) {
        if (!dominates(to, node)) return null;
        loopHeader[to] = 1;
      } else {
        forwardIn[to]++;
      }
    }
  }
  for (const node of byRpo) if (forwardIn[node] > 1) merge[node] = 1;
  const children: number[][] = Array.from({ length: n }, () => []);
  for (const node of byRpo) if (node !== entry) children[idom[node]].push(node);
  return { rpo, children, loopHeader, merge };
}
