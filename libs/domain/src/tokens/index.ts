export {
  caDigestBase36,
  formatJoinToken,
  joinTokensMatch,
  parseJoinToken,
  secretBase36,
  type ParsedJoinToken,
} from './join-token.js';
export * from './join-tokens.js';
export * from './token-age.js';
