/** Knowledge lookup (R3): tokenising Chinese for the local index, and ranking quality. */
export { tokenize, queryTerms, normaliseText, ftsColumn, ftsQuote, type Tokens, type QueryTerms } from './tokenize'
export { ndcgAtK, dcgAtK, percentile } from './ndcg'
