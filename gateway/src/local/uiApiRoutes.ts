export * from '../../../localorg/src/lightning/uiApiRoutes'; // moved: localorg/src/lightning/uiApiRoutes.ts; removed once the gateway uses the org APIs
