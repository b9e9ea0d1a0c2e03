export * from '../../../localorg/src/lightning/localSession'; // moved: localorg/src/lightning/localSession.ts; removed once the gateway uses the org APIs
