export * from '../../../../localorg/src/store/salesforceId'; // moved: localorg/src/store/salesforceId.ts; removed once the gateway uses the org APIs
