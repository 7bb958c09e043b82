/** The one place @peculiar/x509 is loaded: loads the reflect-metadata polyfill first and points it at Node's WebCrypto once. */
import "reflect-metadata";
import * as x509 from "@peculiar/x509";

// Node's WebCrypto (globalThis.crypto); the DOM typings that name its type are not part of this project's lib.
x509.cryptoProvider.set(globalThis.crypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

/** @peculiar/x509, ready to use with globalThis.crypto (Node's WebCrypto). */
export { x509 };
