export * from '../../../localorg/src/seed/demoCompany'; // moved: localorg/src/seed/demoCompany.ts; removed once the gateway uses the org APIs
