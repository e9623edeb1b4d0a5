// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Activity, QUIET_MS } from '../../server/quiet.ts';

describe('Activity.whenQuiet', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const activity = () => new Activity(() => Date.now());

  it('waits until no request has arrived for QUIET_MS', () => {
    const a = activity();
    const work = vi.fn();
    a.whenQuiet(work);
    vi.advanceTimersByTime(QUIET_MS - 600);
    a.arrived().answered(); // A request arrives and is answered at once.
    vi.advanceTimersByTime(QUIET_MS - 100);
    expect(work).not.toHaveBeenCalled();
    vi.advanceTimersByTime(600);
    expect(work).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(10 * QUIET_MS);
    expect(work).toHaveBeenCalledTimes(1);
  });

  it('does not run while a request is being answered, however long it takes', () => {
    const a = activity();
    const work = vi.fn();
    const slow = a.arrived();
    a.whenQuiet(work);
    vi.advanceTimersByTime(5 * QUIET_MS);
    expect(work).not.toHaveBeenCalled();
    slow.answered();
    slow.answered(); // Said twice (a response's close after its finish): counted once.
    expect(a.quiet()).toBe(true);
    vi.advanceTimersByTime(500);
    expect(work).toHaveBeenCalledTimes(1);
  });

  it('counts a live feed as an arrival, not as a request under way', () => {
    const a = activity();
    vi.advanceTimersByTime(QUIET_MS);
    a.arrivedLong();
    expect(a.quiet()).toBe(false);
    vi.advanceTimersByTime(QUIET_MS);
    expect(a.quiet()).toBe(true);
  });

  it('gives up when told to', () => {
    const a = activity();
    const work = vi.fn();
    const cancel = a.whenQuiet(work);
    cancel();
    vi.advanceTimersByTime(10 * QUIET_MS);
    expect(work).not.toHaveBeenCalled();
  });
});
