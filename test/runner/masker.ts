/**
 * The runner's secret masker: every registered value (and the encoded forms the runner also
 * masks) is replaced by `***` in everything the user sees. Multi-line values are registered as a
 * whole and line by line, since process output is read line by line.
 */

const MASK = '***';

function base64(value: string, shift: number): string {
  const bytes = Buffer.from(value, 'utf8');
  const shifted = bytes.length > shift ? bytes.subarray(shift) : bytes;
  // Without padding: the value may sit in the middle of a longer base64 string.
  return shifted.toString('base64').replace(/=+$/, '');
}

/** The encodings the runner's masker adds for each value (ValueEncoders). */
function encodings(value: string): string[] {
  const out = [value];
  out.push(JSON.stringify(value).slice(1, -1));
  out.push(encodeURIComponent(value));
  out.push(value.replace(/'/g, "''"));
  if (value.startsWith('"') && value.endsWith('"') && value.length > 2)
    out.push(value.slice(1, -1));
  for (const shift of [0, 1, 2]) {
    const b64 = base64(value, shift);
    // Shifted forms of very short values would mask unrelated text.
    if (b64.length >= 4) out.push(b64);
  }
  return out;
}

export class SecretMasker {
  private readonly values = new Set<string>();
  private sorted: string[] = [];

  add(value: string): void {
    const whole = value.trim();
    if (whole === '') return;
    const candidates = [whole];
    for (const line of whole.split(/\r?\n|\r/)) {
      const t = line.trim();
      if (t !== '') candidates.push(t);
    }
    let changed = false;
    for (const c of candidates) {
      for (const e of encodings(c)) {
        if (e !== '' && !this.values.has(e)) {
          this.values.add(e);
          changed = true;
        }
      }
    }
    if (changed) this.sorted = [...this.values].sort((a, b) => b.length - a.length);
  }

  /** Replaces every occurrence of every registered value; overlapping matches merge into one. */
  mask(text: string): string {
    if (this.sorted.length === 0 || text === '') return text;
    const ranges: Array<[number, number]> = [];
    for (const v of this.sorted) {
      let i = text.indexOf(v);
      while (i >= 0) {
        ranges.push([i, i + v.length]);
        i = text.indexOf(v, i + 1);
      }
    }
    if (ranges.length === 0) return text;
    ranges.sort((a, b) => a[0] - b[0]);
    let out = '';
    let pos = 0;
    let cur: [number, number] | undefined;
    for (const r of ranges) {
      if (cur && r[0] <= cur[1]) {
        cur[1] = Math.max(cur[1], r[1]);
        continue;
      }
      if (cur) {
        out += text.slice(pos, cur[0]) + MASK;
        pos = cur[1];
      }
      cur = [r[0], r[1]];
    }
    if (cur) {
      out += text.slice(pos, cur[0]) + MASK;
      pos = cur[1];
    }
    return out + text.slice(pos);
  }
}
