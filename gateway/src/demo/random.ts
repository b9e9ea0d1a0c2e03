export * from '../../../localorg/src/seed/random'; // moved: localorg/src/seed/random.ts; removed once the gateway uses the org APIs
