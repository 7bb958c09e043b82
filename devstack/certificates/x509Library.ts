/** The one place @peculiar/x509 is loaded (devstack and tests only): reflect-metadata first, then Node's WebCrypto. */
import "reflect-metadata";
import * as x509 from "@peculiar/x509";

x509.cryptoProvider.set(globalThis.crypto);

/** @peculiar/x509, ready to use with globalThis.crypto (Node's WebCrypto). */
export { x509 };
