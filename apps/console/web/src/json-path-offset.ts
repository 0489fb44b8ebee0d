import { findNodeAtLocation, parseTree, type Node, type Segment } from 'jsonc-parser';

/** Where in a file's text a problem's JSON path points: the span of its value, for the editor to mark. */
export interface TextSpan {
  from: number;
  to: number;
}

/** `$.rules[2].conditions.all[0].operator` or `$['a-b'][0]` → ['rules', 2, 'conditions', 'all', 0, 'operator']. */
export function pathSegments(path: string): Segment[] {
  const segments: Segment[] = [];
  const pattern = /\.([^.[\]]+)|\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\]|\["((?:[^"\\]|\\.)*)"\]/g;
  for (const match of path.replace(/^\$/, '').matchAll(pattern)) {
    if (match[1] !== undefined) segments.push(match[1]);
    else if (match[2] !== undefined) segments.push(Number(match[2]));
    else segments.push((match[3] ?? match[4]).replace(/\\(.)/g, '$1'));
  }
  return segments;
}

/**
 * The span of the value a path names; where the path goes further than the text (a missing
 * property, a deleted rule) the span of the deepest part that is there, so the mark stays near;
 * for text that does not parse, the first character.
 */
export function spanOfPath(text: string, path: string): TextSpan {
  const root = parseTree(text);
  if (!root) return { from: 0, to: Math.min(1, text.length) };
  const segments = pathSegments(path);
  for (let depth = segments.length; depth >= 0; depth--) {
    const node: Node | undefined = depth === 0 ? root : findNodeAtLocation(root, segments.slice(0, depth));
    if (node) return depth === 0 && segments.length > 0 ? { from: node.offset, to: node.offset + 1 } : { from: node.offset, to: node.offset + node.length };
  }
  return { from: 0, to: Math.min(1, text.length) };
}
