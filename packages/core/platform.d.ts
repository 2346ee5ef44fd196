// Core is pure: it may use only what Workers, Node and browsers all provide. Declaring just
// these globals (instead of the DOM or Node libs) makes any other platform API a type error.

interface CryptoKey {
  readonly type: string;
}
interface SubtleCrypto {
  digest(algorithm: "SHA-256", data: Uint8Array): Promise<ArrayBuffer>;
  importKey(
    format: "raw",
    keyData: Uint8Array,
    algorithm: { name: "HMAC"; hash: "SHA-256" },
    extractable: false,
    usages: ["sign"],
  ): Promise<CryptoKey>;
  sign(algorithm: "HMAC", key: CryptoKey, data: Uint8Array): Promise<ArrayBuffer>;
}
interface Crypto {
  readonly subtle: SubtleCrypto;
  randomUUID(): string;
}
declare var crypto: Crypto;

declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
