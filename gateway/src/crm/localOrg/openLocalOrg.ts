export * from '../../../../localorg/src/store/openLocalOrg'; // moved: localorg/src/store/openLocalOrg.ts; removed once the gateway uses the org APIs
