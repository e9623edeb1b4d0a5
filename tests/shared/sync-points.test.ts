import { describe, expect, it } from 'vitest';
import {
  heardInterval,
  orderSyncPoints,
  passageTimes,
  syncPointsOfTurns,
  syncTimeAt,
} from '../../shared/sync-points.ts';

const POINTS = [
  { position: 0, time: 5 },
  { position: 40, time: 9 },
  { position: 90, time: 14.5 },
];

describe('orderSyncPoints', () => {
  it('sorts by position, keeps the first of one position, drops a point going back in time or invalid', () => {
    expect(
      orderSyncPoints([
        { position: 40, time: 9 },
        { position: 0, time: 5 },
        { position: 40, time: 10 },
        { position: 60, time: 7 },
        { position: -1, time: 1 },
        { position: 70, time: Number.NaN },
        { position: 90, time: 14.5 },
      ]),
    ).toEqual(POINTS);
  });
});

describe('syncTimeAt', () => {
  it('gives the time of the last point at or before a position, null before the first', () => {
    expect(syncTimeAt(POINTS, 0)).toBe(5);
    expect(syncTimeAt(POINTS, 39)).toBe(5);
    expect(syncTimeAt(POINTS, 40)).toBe(9);
    expect(syncTimeAt(POINTS, 1000)).toBe(14.5);
    expect(syncTimeAt(POINTS.slice(1), 10)).toBeNull();
  });
});

describe('passageTimes', () => {
  it('runs from the point at or before the start to the point at or after the end', () => {
    expect(passageTimes(POINTS, 10, 30)).toEqual({ from: 5, to: 9 });
    expect(passageTimes(POINTS, 10, 40)).toEqual({ from: 5, to: 9 });
    expect(passageTimes(POINTS, 10, 41)).toEqual({ from: 5, to: 14.5 });
    expect(passageTimes(POINTS, 40, 60)).toEqual({ from: 9, to: 14.5 });
  });

  it('plays to the end after the last point, and knows no time before the first', () => {
    expect(passageTimes(POINTS, 95, 120)).toEqual({ from: 14.5, to: null });
    expect(passageTimes(POINTS.slice(1), 0, 10)).toBeNull();
  });
});

describe('heardInterval', () => {
  it('finds the text between the point last passed and the next one', () => {
    expect(heardInterval(POINTS, 4.9)).toBeNull();
    expect(heardInterval(POINTS, 5)).toEqual({ start: 0, end: 40 });
    expect(heardInterval(POINTS, 12)).toEqual({ start: 40, end: 90 });
    expect(heardInterval(POINTS, 100)).toEqual({ start: 90, end: null });
  });
});

describe('syncPointsOfTurns', () => {
  it('makes a point of each timed turn’s start', () => {
    expect(syncPointsOfTurns([{ start: 0, time: 3 }, { start: 12 }, { start: 30, time: 8 }])).toEqual([
      { position: 0, time: 3 },
      { position: 30, time: 8 },
    ]);
  });
});
