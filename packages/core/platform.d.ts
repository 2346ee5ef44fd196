// Core is pure: it may use only what Workers, Node and browsers all provide. Declaring just
// these globals (instead of the DOM or Node libs) makes any other platform API a type error.

interface SubtleCrypto {
  digest(algorithm: "SHA-256", data: Uint8Array): Promise<ArrayBuffer>;
}
interface Crypto {
  readonly subtle: SubtleCrypto;
  randomUUID(): string;
}
declare var crypto: Crypto;

declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
