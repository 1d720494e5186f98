/**
 * V8's young generation for recording. Recording makes short-lived objects by the million (each
 * event's parsed tree, its encoding, the batch); with V8's default the young generation fills
 * several times per batch, much of a batch survives into the old one, and the scavenger and the
 * old generation's collector took about a quarter of the recording thread. README, "Benchmarks
 * and budgets", has the measurements behind the sizes and what they cost in memory.
 */
export const RECORDING_HEAP = {
  /** `--max-semi-space-size` of a recording process (MB): fixed when V8 starts. */
  semiSpaceMb: 64,
  /**
   * The fold thread's `maxYoungGenerationSizeMb`, to match: V8's young generation is three
   * semi-spaces (two, plus as much for new large objects).
   */
  foldThreadYoungGenerationMb: 3 * 64,
} as const;
