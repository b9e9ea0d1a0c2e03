/**
 * The platform's own declarations of its modules (base components such as
 * `lightning/combobox`, `@salesforce/user/Id`, …). `platform-modules.d.ts` declares only what
 * this package does not cover yet.
 */
/// <reference types="@salesforce/lightning-types" />
