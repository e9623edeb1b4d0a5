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

  let answering = 0;
  const activity = () => {
    answering = 0;
    return new Activity(
      () => answering,
      () => Date.now(),
    );
  };

  it('waits until no request has arrived for QUIET_MS', () => {
    const a = activity();
    const work = vi.fn();
    a.whenQuiet(work);
    vi.advanceTimersByTime(QUIET_MS - 600);
    a.arrived(); // A request arrives and is answered at once.
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
    a.arrived();
    answering = 1;
    a.whenQuiet(work);
    vi.advanceTimersByTime(5 * QUIET_MS);
    expect(work).not.toHaveBeenCalled();
    answering = 0;
    expect(a.quiet()).toBe(true);
    vi.advanceTimersByTime(500);
    expect(work).toHaveBeenCalledTimes(1);
  });

  it('counts an arrival that is not answered yet only for QUIET_MS (a live feed)', () => {
    const a = activity();
    vi.advanceTimersByTime(QUIET_MS);
    a.arrived();
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
