/**
 * Counts the tokens a language model reads in a text. Core takes the counter as a function, so
 * that it stays free of dependencies: a worker passes a real tokenizer's count (the Context Optimizer
 * in apps/agents: `gpt-tokenizer`'s `o200k_base`), and {@link estimateTokens} serves where none is loaded.
 */
export type TokenCounter = (text: string) => number;

// Pieces as BPE pre-tokenizers cut text: letter runs, digit runs, whitespace, other symbols.
const PIECES = /(\p{L}+)|(\p{N}+)|(\s+)|([^\p{L}\p{N}\s]+)/gu;
// Calibrated against o200k_base on generated workflow states (token-counter.test.ts prints
// the error; apps/gateway/test/context.test.ts measures it with the real tokenizer).
const LETTERS_PER_TOKEN = 6;
const NON_LATIN_LETTERS_PER_TOKEN = 2;
const DIGITS_PER_TOKEN = 3;
const SYMBOLS_PER_TOKEN = 3;

/**
 * A tokenizer-free estimate of the `o200k_base` token count of a text: each letter run costs a
 * token per 6 Latin letters (2 other letters), each digit run a token per 3 digits (as o200k
 * cuts numbers), each symbol run a token per 3 symbols, and whitespace nothing but line breaks.
 * @param text any text, typically compact JSON
 * @returns the estimated number of tokens
 * @example
 * estimateTokens('{"status":"running"}'); // 6 (o200k_base: 5)
 */
export function estimateTokens(text: string): number {
  let tokens = 0;
  for (const [, letters, digits, space, symbols] of text.matchAll(PIECES)) {
    if (letters !== undefined) {
      const perToken = isLatin(letters) ? LETTERS_PER_TOKEN : NON_LATIN_LETTERS_PER_TOKEN;
      tokens += Math.ceil(letters.length / perToken);
    } else if (digits !== undefined) tokens += Math.ceil(digits.length / DIGITS_PER_TOKEN);
    else if (symbols !== undefined) tokens += Math.ceil(symbols.length / SYMBOLS_PER_TOKEN);
    else if (space?.includes("\n")) tokens += 1;
  }
  return tokens;
}

function isLatin(letters: string): boolean {
  return /^[A-Za-z\u00C0-\u024F]+$/.test(letters);
}
