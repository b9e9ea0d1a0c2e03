export * from '../../../localorg/src/lightning/shellRoutes'; // moved: localorg/src/lightning/shellRoutes.ts; removed once the gateway uses the org APIs
