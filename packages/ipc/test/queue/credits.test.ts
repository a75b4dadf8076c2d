import { CreditLedger, MAX_WINDOW, type CreditAccount } from '../../src/queue/credits.js';

interface Writer extends CreditAccount {
  readonly name: string;
}

function writer(name: string, local = false): Writer {
  return { name, local, outstanding: 0, ended: false };
}

/** A ledger with writers already joined. */
function ledgerOf(capacity: number, ...writers: Writer[]): CreditLedger<Writer> {
  const ledger = new CreditLedger<Writer>(capacity);
  for (const joined of writers) ledger.join(joined);
  return ledger;
}

const names = (grants: Array<{ writer: Writer }>) => grants.map((grant) => grant.writer.name);

describe('CreditLedger: the window', () => {
  it('is the whole capacity for one writer and shrinks as writers join', () => {
    const ledger = ledgerOf(100);
    expect(ledger.window()).toBe(100); // no writer yet: as for one
    const windows: number[] = [];
    for (const name of ['a', 'b', 'c', 'd']) {
      ledger.join(writer(name));
      windows.push(ledger.window());
    }
    expect(windows).toEqual([100, 50, 33, 25]);
  });

  it('is at most MAX_WINDOW and at least 1', () => {
    expect(ledgerOf(10 * MAX_WINDOW, writer('a')).window()).toBe(MAX_WINDOW);
    expect(ledgerOf(2, writer('a'), writer('b'), writer('c')).window()).toBe(1);
  });

  it('grows back as writers leave or end', () => {
    const [a, b, c] = [writer('a'), writer('b'), writer('c')];
    const ledger = ledgerOf(90, a, b, c);
    expect(ledger.window()).toBe(30);
    c.ended = true;
    expect(ledger.window()).toBe(45);
    expect(ledger.leave(b)).toBe(true);
    expect(ledger.leave(b)).toBe(false);
    expect(ledger.window()).toBe(90);
  });
});

describe('CreditLedger: grants', () => {
  it('grants a newcomer its window when the capacity is free', () => {
    const a = writer('a');
    const ledger = ledgerOf(100, a);
    expect(ledger.grant(a, 0)).toBe(100);
    expect(a.outstanding).toBe(100);
    expect(ledger.free(0)).toBe(0);
  });

  it('never grants beyond the free capacity: capacity − occupied − outstanding', () => {
    const [a, b] = [writer('a'), writer('b')];
    const ledger = ledgerOf(100, a, b);
    expect(ledger.free(70)).toBe(30);
    expect(ledger.grant(a, 70)).toBe(30); // its window is 50, but only 30 are free
    expect(ledger.grant(b, 70)).toBe(0);
    expect(ledger.topUp(70)).toEqual([]);
    expect(b.outstanding).toBe(0);
  });

  it('keeps occupied + outstanding within the capacity through any sequence', () => {
    const writers = ['a', 'b', 'c', 'd'].map((name, index) => writer(name, index === 3));
    const ledger = new CreditLedger<Writer>(37);
    let occupied = 0;
    let seed = 42;
    const random = (below: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % below;
    };
    const promised = () => occupied + writers.reduce((sum, each) => sum + (ledger.writers.has(each) ? each.outstanding : 0), 0);
    let full = 0;
    for (let step = 0; step < 5_000; step++) {
      const chosen = writers[random(writers.length)]!;
      switch (random(6)) {
        case 0:
          if (!ledger.writers.has(chosen)) ledger.join(chosen);
          else ledger.grant(chosen, occupied);
          break;
        case 1:
          if (ledger.writers.has(chosen)) {
            const used = random(chosen.outstanding + 1); // items sent against credit arrive
            ledger.spend(chosen, used);
            occupied += used;
          }
          break;
        case 2:
          occupied -= random(occupied + 1); // the consumer takes (and acknowledges) items
          ledger.topUp(occupied);
          break;
        case 3:
          for (const revoked of ledger.revokeExcess().writers) ledger.returned(revoked, revoked.outstanding - ledger.window());
          break;
        case 4:
          // A writer that leaves takes its credits with it; one that comes back is a new account.
          if (ledger.leave(chosen)) writers[writers.indexOf(chosen)] = writer(chosen.name, chosen.local);
          break;
        case 5:
          ledger.topUp(occupied);
          break;
      }
      expect(promised()).toBeLessThanOrEqual(37);
      if (promised() === 37) full++;
      for (const each of writers) expect(each.outstanding).toBeGreaterThanOrEqual(0);
    }
    expect(full).toBeGreaterThan(100); // the sequence did press against the capacity
  });

  it('spends and takes back credits without going below zero', () => {
    const a = writer('a');
    const ledger = ledgerOf(10, a);
    ledger.grant(a, 0);
    ledger.spend(a, 4);
    expect(a.outstanding).toBe(6);
    ledger.spend(a, 100);
    expect(a.outstanding).toBe(0);
  });

  it('cancels every credit at once', () => {
    const [a, b] = [writer('a'), writer('b')];
    const ledger = ledgerOf(10, a, b);
    ledger.grant(a, 0);
    ledger.grant(b, 0);
    ledger.cancelAll();
    expect([a.outstanding, b.outstanding]).toEqual([0, 0]);
    expect(ledger.free(0)).toBe(10);
  });
});

describe('CreditLedger: top-ups', () => {
  it('tops a writer up only once it has spent a quarter of its window', () => {
    const a = writer('a');
    const ledger = ledgerOf(100, a); // window 100, threshold 25
    ledger.grant(a, 0);
    ledger.spend(a, 24);
    expect(ledger.topUp(24)).toEqual([]);
    expect(a.outstanding).toBe(76);
    ledger.spend(a, 1);
    expect(ledger.topUp(0)).toEqual([{ writer: a, credits: 25 }]);
    expect(a.outstanding).toBe(100);
  });

  it('tops up a writer that holds nothing, however small the amount', () => {
    const a = writer('a');
    const ledger = ledgerOf(100, a);
    expect(ledger.topUp(90)).toEqual([{ writer: a, credits: 10 }]); // below the threshold, but a holds nothing
  });

  it('starts one writer further along at each call, so short capacity is shared in turn', () => {
    const [a, b] = [writer('a'), writer('b')];
    const ledger = ledgerOf(4, a, b); // window 2; with 2 occupied, only one window is free at a time
    const served: string[] = [];
    for (let call = 0; call < 4; call++) {
      const grants = ledger.topUp(2);
      expect(grants).toHaveLength(1);
      expect(grants[0]!.credits).toBe(2);
      served.push(grants[0]!.writer.name);
      ledger.spend(grants[0]!.writer, 2); // the served writer uses its credits; the consumer takes as much
    }
    expect(served).toEqual(['a', 'b', 'a', 'b']);
  });

  it('grants in rotation order when there is room for everyone', () => {
    const writers = [writer('a'), writer('b'), writer('c')];
    const ledger = ledgerOf(300, ...writers);
    const orders: string[][] = [];
    for (let call = 0; call < 3; call++) {
      orders.push(names(ledger.topUp(0)));
      ledger.cancelAll();
    }
    expect(orders).toEqual([
      ['a', 'b', 'c'],
      ['b', 'c', 'a'],
      ['c', 'a', 'b'],
    ]);
  });
});

describe('CreditLedger: revokes', () => {
  it('asks a remote writer holding more than the window to keep the window, once', () => {
    const [a, b] = [writer('a'), writer('b')];
    const ledger = ledgerOf(100, a);
    ledger.grant(a, 0);
    ledger.join(b);
    expect(ledger.grant(b, 0)).toBe(0); // a holds everything
    expect(ledger.revokeExcess()).toEqual({ keep: 50, writers: [a] });
    expect(a.revoking).toBe(true);
    expect(ledger.revokeExcess()).toEqual({ keep: 50, writers: [] }); // already asked
    ledger.returned(a, 50);
    expect(a).toMatchObject({ outstanding: 50, revoking: false });
    expect(ledger.grant(b, 0)).toBe(50);
  });

  it('cuts a local writer down to the window at once', () => {
    const [local, b] = [writer('local', true), writer('b')];
    const ledger = ledgerOf(100, local);
    ledger.grant(local, 0);
    ledger.join(b);
    expect(ledger.revokeExcess()).toEqual({ keep: 50, writers: [] });
    expect(local.outstanding).toBe(50);
    expect(local.revoking).toBeFalsy();
  });

  it('leaves writers within their window alone', () => {
    const [a, b] = [writer('a'), writer('b')];
    const ledger = ledgerOf(100, a, b);
    ledger.grant(a, 0);
    ledger.grant(b, 0);
    expect(ledger.revokeExcess().writers).toEqual([]);
    expect([a.outstanding, b.outstanding]).toEqual([50, 50]);
  });
});

describe('CreditLedger: an ended writer', () => {
  it('gets no top-up and no revoke, and does not count toward the window', () => {
    const [a, b] = [writer('a'), writer('b')];
    const ledger = ledgerOf(100, a, b);
    ledger.grant(a, 0);
    ledger.grant(b, 0);
    b.ended = true;
    ledger.spend(b, 50);
    expect(ledger.window()).toBe(100);
    expect(ledger.revokeExcess().writers).toEqual([]);
    const grants = ledger.topUp(0);
    expect(names(grants)).toEqual(['a']);
    expect(b.outstanding).toBe(0);
  });
});
