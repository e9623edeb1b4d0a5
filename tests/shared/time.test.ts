import { describe, expect, it } from 'vitest';
import { durationAttribute, formatTime } from '../../shared/time.ts';

describe('formatTime', () => {
  it('writes m:ss under an hour and h:mm:ss from an hour on', () => {
    expect(formatTime(0)).toBe('0:00');
    expect(formatTime(66.168)).toBe('1:06');
    expect(formatTime(3599.9)).toBe('59:59');
    expect(formatTime(3723)).toBe('1:02:03');
  });
});

describe('durationAttribute', () => {
  it('writes an HTML duration for <time datetime>: 62.5 s → PT0H1M2S', () => {
    expect(durationAttribute(62.5)).toBe('PT0H1M2S');
    expect(durationAttribute(3723)).toBe('PT1H2M3S');
  });
});
