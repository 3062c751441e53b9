const compareDigits = (a: string, b: string): number => {
  // Compare as integers of any size: strip leading zeros, then longer is larger.
  const x = a.replace(/^0+(?=\d)/, '');
  const y = b.replace(/^0+(?=\d)/, '');
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return x < y ? -1 : x > y ? 1 : 0;
};

/**
 * Orders dot-separated version strings numerically (`"1.10"` after `"1.9"`); negative, zero or
 * positive like a sort comparator. A missing segment counts as 0, and on a tie the version with
 * more segments sorts later, so `"1"` < `"1.0"` and distinct strings never compare equal.
 */
export const compareVersions = (a: string, b: string): number => {
  const xs = a.split('.');
  const ys = b.split('.');
  for (let i = 0; i < Math.max(xs.length, ys.length); i++) {
    const order = compareDigits(xs[i] ?? '0', ys[i] ?? '0');
    if (order !== 0) return order;
  }
  return Math.sign(xs.length - ys.length);
};
