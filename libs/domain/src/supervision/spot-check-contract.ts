/**
 * What a stored spot-check sample (双随机抽查) records about how it was drawn, declared here so
 * that the repository that stores it and the service that draws it share one closed set.
 */
export const FREQUENCIES = ['month', 'quarter', 'half-year', 'year'] as const;
/** How often a plan (or one of its classes) draws: one sample per period of this length. */
export type Frequency = (typeof FREQUENCIES)[number];

/** The draw's method (libs/query spot-check-draw.ts says what it is): stored with each sample, checked by its verification. */
export const DRAW_METHOD = 'stratified-hmac-sha256-lowest-k/v1';
