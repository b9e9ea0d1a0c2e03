export * from '../../../localorg/src/lightning/staticResourceRoutes'; // moved: localorg/src/lightning/staticResourceRoutes.ts; removed once the gateway uses the org APIs
