import { describe, expect, it } from '@jest/globals';
import { CallerSlots } from './caller-slots.js';

describe(CallerSlots.name, () => {
  const slots = () =>
    new CallerSlots({ perCaller: 2, total: 3 }, { perCaller: (limit) => new Error(`caller has ${limit}`), total: (inHand) => new Error(`all ${inHand} taken`) });

  it("refuses a caller past its share before the total, and another caller only past the total", () => {
    const sut = slots();
    sut.take('alice');
    sut.take('alice');
    expect(() => sut.take('alice')).toThrow('caller has 2');
    sut.take('bob');
    expect(sut.inHand).toBe(3);
    expect(() => sut.take('carol')).toThrow('all 3 taken');
    // Past both bounds, the caller's own is named.
    expect(() => sut.take('alice')).toThrow('caller has 2');
  });

  it('frees a slot once, however often it is released', () => {
    const sut = slots();
    const release = sut.take('alice');
    sut.take('alice');
    release();
    release();
    expect(sut.inHand).toBe(1);
    sut.take('alice');
    expect(() => sut.take('alice')).toThrow('caller has 2');
    expect(sut.inHand).toBe(2);
  });
});
