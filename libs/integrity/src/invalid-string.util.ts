type PathNode = { parent: PathNode | null; segment: string };
type Pending = { value: unknown; path: PathNode };

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function isInvalid(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0) return true;
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return true;
      i++;
    } else if (code >= 0xdc00 && code <= 0xdfff) {
      return true;
    }
  }
  return false;
}

// The path is reported to clients and logged, so the offending characters are escaped in it.
function escapeKey(key: string): string {
  let out = '';
  for (let i = 0; i < key.length; i++) {
    const code = key.charCodeAt(i);
    const next = key.charCodeAt(i + 1);
    if (code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      out += key.slice(i, i + 2);
      i++;
    } else if (code < 0x20 || (code >= 0xd800 && code <= 0xdfff)) {
      out += `\\u${code.toString(16).padStart(4, '0')}`;
    } else {
      out += key[i] === '\\' || key[i] === "'" ? `\\${key[i]}` : key[i];
    }
  }
  return out;
}

function keySegment(key: string): string {
  return IDENTIFIER.test(key) ? `.${key}` : `['${escapeKey(key)}']`;
}

function render(path: PathNode): string {
  const segments: string[] = [];
  for (let node: PathNode | null = path; node !== null; node = node.parent) segments.push(node.segment);
  return segments.reverse().join('');
}

/**
 * JSONPath (`$.a.b[2]`, `$['odd key']`) of the first string, object keys included, holding
 * U+0000 or a lone surrogate, in document order; null when there is none.
 */
export function findInvalidString(value: unknown): string | null {
  // Iterative so that a deeply nested body cannot overflow the stack; paths are built only on a hit.
  const stack: Pending[] = [{ value, path: { parent: null, segment: '$' } }];
  const seen = new WeakSet<object>();
  while (stack.length > 0) {
    const { value: current, path } = stack.pop()!;
    if (typeof current === 'string') {
      if (isInvalid(current)) return render(path);
      continue;
    }
    if (current === null || typeof current !== 'object' || seen.has(current)) continue;
    seen.add(current);
    const children: Pending[] = [];
    if (Array.isArray(current)) {
      current.forEach((item, index) => children.push({ value: item, path: { parent: path, segment: `[${index}]` } }));
    } else {
      for (const [key, item] of Object.entries(current)) {
        const member: PathNode = { parent: path, segment: keySegment(key) };
        // The key is checked as a string of its own, just before its value.
        children.push({ value: key, path: member }, { value: item, path: member });
      }
    }
    // Reversed so the first child is popped first and the walk stays in document order.
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return null;
}
