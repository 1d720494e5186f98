/**
 * V8's young generation for `meshfold serve`. Each `/api/history` answer decodes a namespace's
 * link index and folds small states from it: many short-lived objects per request. With V8's
 * default semi-space the scavenger runs several times per answer and copies what is still in use
 * each time; a larger one lets most of it die young. README, "Benchmarks and budgets", has the
 * measurements. The bench's history and time-travel children run with it too, as serve does.
 */
export const SERVING_HEAP = {
  /** `--max-semi-space-size` of a serving process (MB): fixed when V8 starts. */
  semiSpaceMb: 64,
} as const;
