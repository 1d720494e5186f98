/**
 * V8's young generation for recording. A batch of events (their parsed trees, the text handed to
 * the fold thread, the encoded batch) stays alive until it is appended; with V8's default
 * semi-space the scavenger runs several times per batch and copies the live part of it each time,
 * promoting some to the old generation. A larger one lets most of a batch die young. README,
 * "Benchmarks and budgets", has the measurements behind the sizes and what they cost in memory.
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
