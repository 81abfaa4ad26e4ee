// @peculiar/x509 resolves its parts through tsyringe, which needs the reflect-metadata polyfill
// loaded first; everything in mysign imports x509 from here so that holds.
import 'reflect-metadata';
import {webcrypto} from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export {x509};
