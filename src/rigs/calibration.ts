import { z } from 'zod';

/**
 * A meter calibration: [raw, value] points in ascending order, as the radio's meter maps to a physical
 * value (dB over S9, watts). The profiles copy Hamlib 4.5.4's tables for each model, so what Hamlib
 * reads back from the raw value is exactly the value the gateway meant.
 */
export const calibrationSchema = z
  .array(z.tuple([z.number().int().min(0), z.number()]))
  .min(2)
  .refine(
    (points) => points.every((p, i) => i === 0 || (p[0] > points[i - 1]![0] && p[1] > points[i - 1]![1])),
    {
      message: 'points must rise in both raw value and value',
    },
  );

export type Calibration = readonly (readonly [number, number])[];

/** The raw meter value for `value`: the inverse of reading the table, clamped to its ends. */
export function rawFor(points: Calibration, value: number): number {
  const [first] = points;
  if (!first || value <= first[1]) return first?.[0] ?? 0;
  for (let i = 1; i < points.length; i++) {
    const [r0, v0] = points[i - 1]!;
    const [r1, v1] = points[i]!;
    if (value <= v1) return Math.round(r0 + ((value - v0) / (v1 - v0)) * (r1 - r0));
  }
  return points.at(-1)![0];
}
