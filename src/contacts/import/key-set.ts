// The wa_keys already seen in an import file, with the row that had each one
// first. A 1M-row file must fit the import's memory budget, so keys (at most
// 15 digits: exact in a double) live in a flat open-addressing table of
// Float64Array + Int32Array, about 24 bytes per key, instead of a Map of
// strings (several times that).
const EMPTY = 0; // wa_keys are at least 6 digits, never 0

export class KeySet {
  private keys: Float64Array;
  private rows: Int32Array;
  private count = 0;

  constructor(capacity = 1 << 14) {
    const size = 1 << Math.ceil(Math.log2(Math.max(16, capacity * 2)));
    this.keys = new Float64Array(size);
    this.rows = new Int32Array(size);
  }

  get size(): number {
    return this.count;
  }

  /** The row that first had `key`, or undefined after recording `row` for it. */
  firstRowOrAdd(key: string, row: number): number | undefined {
    const k = Number(key);
    const slot = this.slotOf(k);
    if (this.keys[slot] === k) return this.rows[slot];
    this.keys[slot] = k;
    this.rows[slot] = row;
    if (++this.count * 2 > this.keys.length) this.grow();
    return undefined;
  }

  private slotOf(k: number): number {
    const mask = this.keys.length - 1;
    // Mix the high and low halves: neighbouring numbers must not cluster.
    let h = (Math.imul((k % 4294967296) | 0, 0x9e3779b1) ^ Math.imul(Math.floor(k / 4294967296) | 0, 0x85ebca6b)) >>> 0;
    for (;;) {
      const slot = h & mask;
      const at = this.keys[slot];
      if (at === EMPTY || at === k) return slot;
      h = (h + 1) >>> 0;
    }
  }

  private grow(): void {
    const [keys, rows] = [this.keys, this.rows];
    this.keys = new Float64Array(keys.length * 2);
    this.rows = new Int32Array(keys.length * 2);
    for (let i = 0; i < keys.length; i++) {
      if (keys[i] === EMPTY) continue;
      const slot = this.slotOf(keys[i]);
      this.keys[slot] = keys[i];
      this.rows[slot] = rows[i];
    }
  }
}
